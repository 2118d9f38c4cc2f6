import { CallbackType, type InteractionRecord, type ShownModal } from './interactions.js';
import type { World } from './state.js';
import { toVisibleMessage, type VisibleMessage } from './visible.js';
import { DEFAULT_WAIT_MS, waitUntil } from './wait.js';

const CALLBACK_NAMES: Record<number, string> = {
  4: 'reply',
  5: 'deferred reply',
  6: 'deferred update',
  7: 'update',
  8: 'autocomplete result',
  9: 'modal',
};

/** What the invoking member experienced: how the bot answered, and the messages they can see. */
export class InteractionHandle {
  constructor(
    private readonly world: World,
    private readonly record: InteractionRecord,
    private readonly responseWindowMs: number,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  /** 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete result, 9 modal; null if never answered */
  get callbackType(): number | null {
    return this.record.callbackType;
  }

  /** the modal the bot opened (callback type 9) */
  get modal(): ShownModal | undefined {
    return this.record.modal ? structuredClone(this.record.modal) : undefined;
  }

  get ephemeral(): boolean {
    return this.record.ephemeral;
  }

  /** milliseconds between dispatch and the bot's callback */
  get latencyMs(): number | null {
    return this.record.respondedAt === null ? null : this.record.respondedAt - this.record.dispatchedAt;
  }

  /** 'This interaction failed' when the bot did not answer within the response window */
  get error(): string | undefined {
    if (this.record.callbackType !== null) return undefined;
    if (Date.now() - this.record.dispatchedAt >= this.responseWindowMs || this.record.undeliverable) {
      return 'This interaction failed';
    }
    return undefined;
  }

  /** follow-up messages so far (live: read again after the bot sends more) */
  get followUps(): VisibleMessage[] {
    return this.record.followUpIds.flatMap((id) => {
      const m = this.world.messages.get(id);
      return m && !m.deleted ? [toVisibleMessage(this.world, m)] : [];
    });
  }

  /** The original response as it stands now (the reply, the loading message, or the updated component message). */
  original(): VisibleMessage | undefined {
    const id = this.record.originalMessageId;
    const m = id ? this.world.messages.get(id) : undefined;
    return m ? toVisibleMessage(this.world, m) : undefined;
  }

  /**
   * The member-visible answer: the reply, or after a deferral the edited original (waits for the edit).
   * Rejects when the interaction failed or was answered with a modal/autocomplete result.
   */
  async reply(opts: { timeoutMs?: number } = {}): Promise<VisibleMessage> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
    await this.record.settled;
    const type = this.record.callbackType;
    if (type === null) throw new Error(`${this.error ?? 'No response'} (interaction ${this.id} was not answered)`);
    if (type === CallbackType.Modal || type === CallbackType.AutocompleteResult) {
      throw new Error(`The bot answered with a ${CALLBACK_NAMES[type]}, not a message`);
    }
    const respondedAt = this.record.respondedAt ?? 0;
    return waitUntil(
      () => {
        const m = this.original();
        if (!m) return undefined;
        if (type === CallbackType.DeferReply && m.loading) return undefined;
        if (type === CallbackType.DeferUpdate) {
          const raw = this.world.messages.get(m.id);
          if (!raw || raw.editedAt === null || raw.editedAt < respondedAt) return undefined;
        }
        return m;
      },
      {
        timeoutMs,
        describe: () =>
          `the bot acknowledged interaction ${this.id} with a ${CALLBACK_NAMES[type] ?? type} but did not edit the response within ${timeoutMs} ms`,
      },
    );
  }
}
