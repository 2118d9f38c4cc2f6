// discord-api-spec's `./zod` export names its JavaScript file as its types; these are the schemas the stand-in uses.
declare module 'discord-api-spec/zod' {
  import type { ZodMiniObject } from 'zod/mini';

  export const ApplicationCommandAutocompleteCallbackRequestSchema: ZodMiniObject;
  export const ApplicationCommandCreateRequestSchema: ZodMiniObject;
  export const ApplicationCommandPatchRequestPartialSchema: ZodMiniObject;
  export const ApplicationCommandUpdateRequestSchema: ZodMiniObject;
  export const CreateMessageInteractionCallbackRequestSchema: ZodMiniObject;
  export const CreateForumThreadRequestSchema: ZodMiniObject;
  export const CreateTextThreadWithMessageRequestSchema: ZodMiniObject;
  export const CreateTextThreadWithoutMessageRequestSchema: ZodMiniObject;
  export const ExternalScheduledEventCreateRequestSchema: ZodMiniObject;
  export const ExternalScheduledEventPatchRequestPartialSchema: ZodMiniObject;
  export const StageScheduledEventCreateRequestSchema: ZodMiniObject;
  export const StageScheduledEventPatchRequestPartialSchema: ZodMiniObject;
  export const VoiceScheduledEventCreateRequestSchema: ZodMiniObject;
  export const VoiceScheduledEventPatchRequestPartialSchema: ZodMiniObject;
  export const IncomingWebhookRequestPartialSchema: ZodMiniObject;
  export const IncomingWebhookUpdateRequestPartialSchema: ZodMiniObject;
  export const LaunchActivityInteractionCallbackRequestSchema: ZodMiniObject;
  export const MessageCreateRequestSchema: ZodMiniObject;
  export const MessageEditRequestPartialSchema: ZodMiniObject;
  export const ModalInteractionCallbackRequestSchema: ZodMiniObject;
  export const PongInteractionCallbackRequestSchema: ZodMiniObject;
  export const UpdateGuildChannelRequestPartialSchema: ZodMiniObject;
  export const UpdateMessageInteractionCallbackRequestSchema: ZodMiniObject;
  export const UpdateThreadRequestPartialSchema: ZodMiniObject;
}
