import { randomBytes } from 'node:crypto';
import { ApiError, alreadyAcknowledged, invalidFormBody, unknownInteraction, unknownMessage, unknownWebhook } from './api-error.js';
import { MessageFlag, type Core } from './core.js';
import type { UploadedFile } from './http-body.js';
import { channelPayload, memberPayload, messagePayload } from './serialize.js';
import type { ChannelRecord, MessageRecord } from './state.js';

type Json = Record<string, unknown>;

export const InteractionType = { Command: 2, Component: 3, Autocomplete: 4, ModalSubmit: 5 } as const;
export const CallbackType = {
  Pong: 1,
  Reply: 4,
  DeferReply: 5,
  DeferUpdate: 6,
  Update: 7,
  AutocompleteResult: 8,
  Modal: 9,
} as const;

export interface ShownModal {
  custom_id: string;
  title: string;
  components: Json[];
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  guildId: string;
  channelId: string;
  userId: string;
  commandName?: string;
  /** the message a component (or a modal opened from a component) belongs to */
  sourceMessageId: string | null;
  dispatchedAt: number;
  respondedAt: number | null;
  callbackType: number | null;
  originalMessageId: string | null;
  ephemeral: boolean;
  followUpIds: string[];
  modal: ShownModal | null;
  modalSubmitted: boolean;
  choices: Json[] | null;
  /** no bot session was there to receive it */
  undeliverable: boolean;
  /** resolved when the bot answers or the response window closes */
  settled: Promise<void>;
  settle: () => void;
}

export interface InteractionOptions {
  responseWindowMs: number;
  tokenLifetimeMs: number;
}

/** Interactions the stand-in dispatched: their callbacks, original responses and follow-ups. */
export class Interactions {
  readonly all = new Map<string, InteractionRecord>();
  private readonly byToken = new Map<string, InteractionRecord>();

  constructor(
    private readonly core: Core,
    private readonly opts: InteractionOptions,
  ) {}

  /** Registers and dispatches INTERACTION_CREATE; `data` is the interaction's `data` field. */
  dispatch(input: {
    type: number;
    channel: ChannelRecord;
    userId: string;
    data: Json;
    commandName?: string;
    sourceMessage?: MessageRecord | null;
    locale?: string;
  }): InteractionRecord {
    const { core } = this;
    const guild = core.world.guilds.get(input.channel.guildId);
    const member = core.world.member(input.channel.guildId, input.userId);
    if (!guild || !member) throw new Error(`User ${input.userId} is not a member of guild ${input.channel.guildId}`);
    const id = core.ids.next();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
    let settle = (): void => undefined;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const record: InteractionRecord = {
      id,
      token,
      type: input.type,
      guildId: input.channel.guildId,
      channelId: input.channel.id,
      userId: input.userId,
      ...(input.commandName !== undefined ? { commandName: input.commandName } : {}),
      sourceMessageId: input.sourceMessage?.id ?? null,
      dispatchedAt: 0,
      respondedAt: null,
      callbackType: null,
      originalMessageId: null,
      ephemeral: false,
      followUpIds: [],
      modal: null,
      modalSubmitted: false,
      choices: null,
      undeliverable: false,
      settled,
      settle,
    };
    this.all.set(id, record);
    this.byToken.set(token, record);
    const memberPerms = core.permissionsIn(input.channel, input.userId);
    const payload: Json = {
      id,
      application_id: core.applicationId,
      type: input.type,
      data: input.data,
      guild_id: record.guildId,
      guild: { id: guild.id, locale: guild.preferredLocale, features: [] },
      channel_id: input.channel.id,
      channel: { ...channelPayload(input.channel), permissions: memberPerms.toString() },
      member: { ...memberPayload(core.world, member), permissions: memberPerms.toString() },
      token,
      version: 1,
      app_permissions: core.permissionsIn(input.channel, core.botUserId).toString(),
      locale: input.locale ?? 'en-US',
      guild_locale: guild.preferredLocale,
      entitlements: [],
      authorizing_integration_owners: { '0': record.guildId },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
    };
    if (input.sourceMessage) payload['message'] = messagePayload(core.world, input.sourceMessage);
    record.dispatchedAt = Date.now();
    const delivered = core.gateway.dispatch('INTERACTION_CREATE', payload, { guildId: record.guildId });
    if (delivered === 0) {
      record.undeliverable = true;
      record.settle();
    }
    const timer = setTimeout(() => record.settle(), this.opts.responseWindowMs);
    timer.unref();
    void settled.then(() => clearTimeout(timer));
    return record;
  }

  /** POST /interactions/{id}/{token}/callback */
  callback(id: string, token: string, body: Json, files: UploadedFile[], withResponse: boolean): Json | null {
    const record = this.all.get(id);
    if (!record || record.token !== token) throw unknownInteraction();
    if (record.callbackType !== null) throw alreadyAcknowledged();
    if (record.undeliverable) throw unknownInteraction();
    if (Date.now() - record.dispatchedAt > this.opts.responseWindowMs) throw unknownInteraction();
    const type = body['type'] as number;
    const data = (body['data'] ?? {}) as Json;
    this.checkCallbackAllowed(record, type);
    const channel = this.core.world.channels.get(record.channelId);
    if (!channel || channel.deleted) throw new ApiError(404, 10003, 'Unknown Channel');
    let resourceMessage: MessageRecord | null = null;
    switch (type) {
      case CallbackType.Reply:
      case CallbackType.DeferReply: {
        const flags = typeof data['flags'] === 'number' ? data['flags'] : 0;
        const ephemeral = (flags & MessageFlag.Ephemeral) !== 0;
        const deferred = type === CallbackType.DeferReply;
        const msg = this.core.createMessage({
          channel,
          authorId: this.core.botUserId,
          body: deferred ? { content: '', flags } : data,
          files: deferred ? [] : files,
          type: record.type === InteractionType.Command ? 20 : 0,
          webhookId: this.core.applicationId,
          interaction: this.link(record),
          extraFlags: MessageFlag.Ephemeral | (deferred ? MessageFlag.Loading : 0),
          visibleTo: ephemeral ? record.userId : null,
          deferred,
        });
        record.ephemeral = ephemeral;
        record.originalMessageId = msg.id;
        resourceMessage = msg;
        break;
      }
      case CallbackType.DeferUpdate:
        record.originalMessageId = record.sourceMessageId;
        break;
      case CallbackType.Update: {
        const source = record.sourceMessageId ? this.core.world.messages.get(record.sourceMessageId) : undefined;
        if (!source || source.deleted) throw unknownMessage();
        this.core.editMessage(source, data, files);
        record.originalMessageId = source.id;
        resourceMessage = source;
        break;
      }
      case CallbackType.AutocompleteResult:
        record.choices = structuredClone((data['choices'] ?? []) as Json[]);
        break;
      case CallbackType.Modal: {
        const { custom_id, title, components } = data as unknown as ShownModal;
        record.modal = structuredClone({ custom_id, title, components });
        break;
      }
      default:
        throw invalidFormBody([{ path: 'type', code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {4, 5, 6, 7, 8, 9}.' }]);
    }
    record.callbackType = type;
    record.respondedAt = Date.now();
    record.settle();
    if (!withResponse) return null;
    const message = resourceMessage ? messagePayload(this.core.world, resourceMessage) : undefined;
    return {
      interaction: {
        id: record.id,
        type: record.type,
        activity_instance_id: null,
        response_message_id: record.originalMessageId,
        response_message_loading: type === CallbackType.DeferReply,
        response_message_ephemeral: record.ephemeral,
      },
      resource: { type, ...(message ? { message } : {}) },
    };
  }

  private link(record: InteractionRecord): MessageRecord['interaction'] {
    return {
      id: record.id,
      type: record.type,
      userId: record.userId,
      ...(record.commandName !== undefined ? { name: record.commandName } : {}),
    };
  }

  private checkCallbackAllowed(record: InteractionRecord, type: number): void {
    const invalid = (): ApiError => new ApiError(400, 40061, 'Interaction callback type is not valid for this interaction');
    if (record.type === InteractionType.Autocomplete) {
      if (type !== CallbackType.AutocompleteResult) throw invalid();
      return;
    }
    if (type === CallbackType.AutocompleteResult) throw invalid();
    if ((type === CallbackType.DeferUpdate || type === CallbackType.Update) && record.sourceMessageId === null) throw invalid();
    if (type === CallbackType.Modal && record.type === InteractionType.ModalSubmit) throw invalid();
  }

  // ---- webhooks (follow-ups and the original response) ----------------------------------------

  /** The interaction behind a webhook token, while the 15 minute token lifetime lasts and after acknowledgement. */
  forWebhook(applicationId: string, token: string): InteractionRecord {
    const record = this.byToken.get(token);
    if (!record || applicationId !== this.core.applicationId) throw unknownWebhook();
    if (Date.now() - record.dispatchedAt > this.opts.tokenLifetimeMs) throw new ApiError(401, 50027, 'Invalid Webhook Token');
    if (record.callbackType === null) throw unknownWebhook();
    return record;
  }

  followUp(record: InteractionRecord, body: Json, files: UploadedFile[]): MessageRecord {
    const original = record.originalMessageId ? this.core.world.messages.get(record.originalMessageId) : undefined;
    if (record.callbackType === CallbackType.DeferReply && original && (original.flags & MessageFlag.Loading) !== 0) {
      // Discord: the first follow-up after a deferred reply replaces the loading message
      return this.core.editMessage(original, body, files);
    }
    const channel = this.core.world.channels.get(record.channelId);
    if (!channel || channel.deleted) throw new ApiError(404, 10003, 'Unknown Channel');
    const flags = typeof body['flags'] === 'number' ? body['flags'] : 0;
    const ephemeral = (flags & MessageFlag.Ephemeral) !== 0;
    const msg = this.core.createMessage({
      channel,
      authorId: this.core.botUserId,
      body,
      files,
      type: 0,
      webhookId: this.core.applicationId,
      interaction: this.link(record),
      extraFlags: MessageFlag.Ephemeral,
      visibleTo: ephemeral ? record.userId : null,
    });
    record.followUpIds.push(msg.id);
    return msg;
  }

  webhookMessage(record: InteractionRecord, messageId: string): MessageRecord {
    const id = messageId === '@original' ? record.originalMessageId : messageId;
    const allowed = id !== null && (id === record.originalMessageId || record.followUpIds.includes(id));
    const message = id ? this.core.world.messages.get(id) : undefined;
    if (!allowed || !message || message.deleted) throw unknownMessage();
    return message;
  }
}
