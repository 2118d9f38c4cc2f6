import * as spec from 'discord-api-spec/zod';
import * as z from 'zod/mini';
import { callbackRules, commandEditRules, commandListRules, commandRules, messageRules, threadPatchRules } from './discord-rules.js';
import type { BodyCheck } from './form-body.js';

/** Discord documents (and discord.js sends) a permission bit set as a string of digits; the spec types it a number. */
const permissions = { default_member_permissions: z.nullish(z.union([z.string().check(z.regex(/^\d+$/)), z.number()])) };

/** The request body each route accepts: the spec's `requestBody` schema, then the rules the spec leaves out. */
export const BODY = {
  commands: { schema: z.array(z.extend(spec.ApplicationCommandUpdateRequestSchema, permissions)), rules: commandListRules },
  command: { schema: z.extend(spec.ApplicationCommandCreateRequestSchema, permissions), rules: commandRules },
  commandEdit: { schema: z.extend(spec.ApplicationCommandPatchRequestPartialSchema, permissions), rules: commandEditRules },
  callback: {
    schema: z.union([
      spec.ApplicationCommandAutocompleteCallbackRequestSchema,
      spec.CreateMessageInteractionCallbackRequestSchema,
      spec.LaunchActivityInteractionCallbackRequestSchema,
      spec.ModalInteractionCallbackRequestSchema,
      spec.PongInteractionCallbackRequestSchema,
      spec.UpdateMessageInteractionCallbackRequestSchema,
    ]),
    rules: callbackRules,
  },
  webhookMessage: { schema: spec.IncomingWebhookRequestPartialSchema, rules: messageRules },
  webhookMessageEdit: { schema: spec.IncomingWebhookUpdateRequestPartialSchema, rules: messageRules },
  message: { schema: spec.MessageCreateRequestSchema, rules: messageRules },
  messageEdit: { schema: spec.MessageEditRequestPartialSchema, rules: messageRules },
  channelEdit: { schema: spec.UpdateGuildChannelRequestPartialSchema },
  threadEdit: { schema: spec.UpdateThreadRequestPartialSchema, rules: threadPatchRules },
  threadFromMessage: { schema: spec.CreateTextThreadWithMessageRequestSchema },
  thread: { schema: spec.CreateTextThreadWithoutMessageRequestSchema },
  /** POST /channels/{forum}/threads: a forum post, its first message under `message` */
  forumPost: {
    schema: spec.CreateForumThreadRequestSchema,
    rules: (body: { message: Parameters<typeof messageRules>[0] }) => messageRules(body.message, 'message'),
  },
} satisfies Record<string, BodyCheck>;
