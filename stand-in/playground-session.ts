// One playground session: the stand-in with one server, the real bot on an embedded database, a clock that
// moves on `wait`, and the member the user is acting as. Each step returns what that member saw change.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import pino from 'pino';
import { startBot, type RunningBot } from '../src/bot.js';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { registerCommands } from '../src/register-commands.js';
import { createLogger } from '../src/logger.js';
import type { InteractionHandle } from './interaction-handle.js';
import { HELP_TEXT, PlaygroundInputError, type PlaygroundChannelKind, type PlaygroundCommand, type SlashLine } from './playground-commands.js';
import { loadWorld, saveWorld, type SavedWorld } from './playground-world.js';
import { resolveSlash, type OptionLookups } from './playground-slash.js';
import { canSee, changesBetween, duration, knownTimeZone, readable, renderChange, renderForTerminal, snapshot, type Names, type Place, type Snapshot } from './playground-view.js';
import { buttonsOf } from './render.js';
import { DEFAULT_BOT_PERMISSIONS, DiscordStandIn, type ChannelInfo, type GuildInfo, type MemberInfo } from './index.js';
import type { VisibleMessage } from './visible.js';

type Json = Record<string, unknown>;

/** A step that was understood but did not work: a missing button, an interaction that failed... */
export class StepFailedError extends Error {
  override name = 'StepFailedError';
}

export interface PlaygroundOptions {
  /** database and bot.log live here */
  dataDir: string;
  /** where the manual clock starts (default: now) */
  startAt?: Date;
  /** pause between a trivia reveal and the next question, in simulated time */
  triviaPauseMs?: number;
}

interface OpenModal {
  customId: string;
  title: string;
  channelId: string;
  fields: { id: string; label: string; required: boolean }[];
}

const SERVER_NAME = 'Deep Space Nine';
const FIRST_CHANNEL = 'ops';
const FIRST_MEMBER = 'kira';
/** Discord's channel type for each kind `channel NAME KIND` makes, and how the playground names them. */
const CHANNEL_TYPE: Record<PlaygroundChannelKind, number> = { text: 0, announcement: 5, forum: 15 };
const KIND_WORDS: Record<number, string> = { 0: 'a text channel', 5: 'an announcement channel', 15: 'a forum' };
/** Members with permissions beyond @everyone's, by name: their role and what it grants. */
const PRIVILEGED: Record<string, { role: string; permissions: bigint; says: string }> = {
  admin: {
    role: 'admins',
    permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageThreads | PermissionFlagsBits.ManageMessages,
    says: 'Manage Server, Manage Threads, Manage Messages',
  },
  mod: { role: 'moderators', permissions: PermissionFlagsBits.ManageMessages, says: 'Manage Messages only' },
};
/** The bot's work after an interaction is done once no REST request has come in for this long. */
const QUIET_MS = 200;
const SETTLE_LIMIT_MS = 10_000;
/** At most this many bot ticks per `wait` (one per simulated second below it). */
const MAX_TICKS_PER_WAIT = 600;

export class PlaygroundSession {
  private readonly members = new Map<string, MemberInfo>();
  private readonly userNames = new Map<string, string>();
  private readonly channels = new Map<string, ChannelInfo>();
  private readonly roles = new Map<string, string>();
  /** What the data directory keeps of this world for the next run. */
  private readonly world: SavedWorld;
  private readonly openModals = new Map<string, OpenModal>();
  private actor: MemberInfo;
  private placeId: string;
  private closed = false;

  private constructor(
    private readonly discord: DiscordStandIn,
    private readonly guild: GuildInfo,
    private readonly clock: ManualClock,
    private readonly database: Database,
    private readonly bot: RunningBot,
    ops: ChannelInfo,
    private readonly dataDir: string,
    saved: SavedWorld | null,
  ) {
    this.channels.set(ops.name, ops);
    this.placeId = ops.id;
    this.world = { guildId: guild.id, channels: { [ops.name]: ops.id }, members: {}, roles: {}, ...saved };
    this.save();
    this.userNames.set(discord.botUserId, 'ds9-bot');
    this.actor = this.memberNamed(FIRST_MEMBER);
  }

  static async start(options: PlaygroundOptions): Promise<PlaygroundSession> {
    mkdirSync(options.dataDir, { recursive: true });
    const base = loadConfig({});
    const logger = createLogger(base.logLevel, pino.destination({ dest: join(options.dataDir, 'bot.log'), sync: true }));
    // The database opens (a fresh directory takes a few seconds) while the stand-in starts and commands register.
    const opening = openDatabase({ kind: 'pglite', dir: join(options.dataDir, 'db') });
    opening.catch(() => {});
    const discord = await DiscordStandIn.start().catch(async (error: unknown) => {
      await (await opening.catch(() => undefined))?.close();
      throw error;
    });
    let database: Database | undefined;
    let bot: RunningBot | undefined;
    try {
      const saved = loadWorld(options.dataDir);
      // The bot was invited with the optional Manage Events too, so the rewatch's watch parties can be tried.
      const guild = discord.createGuild({ name: SERVER_NAME, botPermissions: DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageEvents, ...(saved && { id: saved.guildId }) });
      const ops = discord.createChannel(guild.id, { name: FIRST_CHANNEL, ...(saved?.channels[FIRST_CHANNEL] && { id: saved.channels[FIRST_CHANNEL] }) });
      await registerCommands({ token: discord.token, applicationId: discord.applicationId, guildId: guild.id, apiUrl: discord.restBase });
      database = await opening;
      const clock = new ManualClock(options.startAt ?? new Date());
      discord.useClock(() => clock.now().getTime()); // Discord's "now" (event start checks) is the playground's
      const config = { ...base, pgliteDir: join(options.dataDir, 'db'), discordToken: discord.token, discordApiUrl: discord.restBase };
      bot = await startBot({ config, logger, database, clock, tickIntervalMs: 0, triviaPauseMs: options.triviaPauseMs ?? 2_000, random: Math.random });
      const session = new PlaygroundSession(discord, guild, clock, database, bot, ops, options.dataDir, saved);
      session.restoreChannels();
      return session;
    } catch (error) {
      await bot?.stop().catch(() => {});
      await discord.stop().catch(() => {});
      await (database ?? (await opening.catch(() => undefined)))?.close().catch(() => {});
      throw error;
    }
  }

  get actorName(): string {
    return this.actor.username;
  }

  /** One line saying where the user is. */
  describeWhere(): string {
    return `Server "${SERVER_NAME}", ${this.placeLabel(this.place())}. You are ${this.actor.username}.`;
  }

  /** Runs one command; returns the text to show (what the acting member saw change). */
  async run(command: PlaygroundCommand): Promise<string> {
    switch (command.kind) {
      case 'as': {
        const existed = this.members.has(command.name);
        this.actor = this.memberNamed(command.name);
        const privileged = PRIVILEGED[command.name];
        const extra = privileged ? ` (${privileged.says})` : '';
        return existed ? `You are ${command.name}.` : `${command.name} joined ${SERVER_NAME}${extra}. You are ${command.name}.`;
      }
      case 'slash':
        return this.slash(command);
      case 'click':
        return this.click(command.target);
      case 'modal':
        return this.modal(command.fields, command.text);
      case 'wait':
        return this.wait(command.ms);
      case 'suggest':
        return this.suggest(command.slash);
      case 'timezone':
        return this.setTimeZone(command.zone);
      case 'threads':
        return this.listThreads();
      case 'events':
        return this.listEvents();
      case 'open':
        return this.openThread(command.target);
      case 'channel':
        return this.goToChannel(command.name, command.channelKind);
      case 'messages':
        return this.showPlace();
      case 'help':
        return HELP_TEXT;
      case 'quit':
        return '';
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.bot.stop();
    await this.discord.stop();
    await this.database.close();
  }

  // ---- steps ------------------------------------------------------------------------------------

  /** What the bot offers while the member types the last option of `command`, as Discord's autocomplete shows it. */
  private async suggest(command: SlashLine): Promise<string> {
    const focused = Object.keys(command.options).at(-1)!;
    const choices = await this.discord.autocomplete({ ...this.commandInput(command), focused }).catch(failed);
    if (choices.length === 0) return `No suggestions for ${focused}:"${command.options[focused]}".`;
    return [`Suggestions for ${focused}:`, ...choices.map((c, i) => `  ${i + 1}. ${c.name}`)].join('\n');
  }

  /** Times show in this zone from now on (the member's own, as Discord shows `<t:…>` in each reader's zone). */
  private setTimeZone(zone: string | undefined): string {
    if (zone === undefined) return `Times show in ${this.timeZone}.`;
    const known = knownTimeZone(zone);
    if (!known) throw new PlaygroundInputError(`"${zone}" is not a time zone: use a name such as Europe/Berlin or America/New_York.`);
    this.world.timeZone = known;
    this.save();
    return `Times show in ${known} now.`;
  }

  /** The zone the user reads times in: chosen with `timezone`, or the machine's. */
  private get timeZone(): string {
    return this.world.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  private async slash(command: SlashLine): Promise<string> {
    const input = this.commandInput(command);
    return this.observe(async () => this.answered(await this.discord.slashCommand(input).catch(failed)));
  }

  /** A typed slash command as the acting member sends it here, checked against the registered commands. */
  private commandInput(command: SlashLine) {
    const registered = [...this.discord.registeredCommands(this.guild.id), ...this.discord.registeredCommands()];
    const request = resolveSlash(command, registered, this.lookups());
    return {
      guildId: this.guild.id,
      channelId: this.placeId,
      userId: this.actor.id,
      command: request.command,
      ...(request.group !== undefined ? { group: request.group } : {}),
      ...(request.subcommand !== undefined ? { subcommand: request.subcommand } : {}),
      options: request.options,
    };
  }

  private async click(target: string): Promise<string> {
    const { message, customId } = this.findButton(target);
    return this.observe(async () => {
      const handle = await this.discord.clickButton({ userId: this.actor.id, messageId: message.id, customId }).catch(failed);
      return this.answered(handle);
    });
  }

  private async modal(fields: Record<string, string>, text: string | undefined): Promise<string> {
    const open = this.openModals.get(this.actor.id);
    if (!open) throw new StepFailedError(`No form is open for ${this.actor.username}: a button or command opens one first.`);
    let values = fields;
    if (text !== undefined) {
      if (open.fields.length !== 1) {
        throw new StepFailedError(`The form "${open.title}" has ${open.fields.length} fields: name them, e.g. modal ${open.fields.map((f) => `${f.id}="..."`).join(' ')}`);
      }
      values = { [open.fields[0]!.id]: text };
    }
    for (const name of Object.keys(values)) {
      if (!open.fields.some((f) => f.id === name)) {
        throw new StepFailedError(`The form "${open.title}" has no field "${name}" (fields: ${open.fields.map((f) => f.id).join(', ')})`);
      }
    }
    return this.observe(async () => {
      const handle = await this.discord
        .submitModal({ userId: this.actor.id, channelId: open.channelId, customId: open.customId, fields: values })
        .catch(failed);
      this.openModals.delete(this.actor.id);
      return this.answered(handle);
    });
  }

  private async wait(ms: number): Promise<string> {
    const step = Math.max(1000, Math.ceil(ms / MAX_TICKS_PER_WAIT));
    return this.observe(async () => {
      for (let left = ms; left > 0; left -= step) {
        this.clock.advance(Math.min(step, left));
        await this.bot.tick();
      }
      const passed = duration(ms);
      return `(${passed} ${passed.startsWith('1 ') ? 'passes' : 'pass'})`;
    });
  }

  /** The server's Events list: name, start in the member's time zone, where, and how many pressed Interested. */
  private listEvents(): string {
    const events = this.discord.scheduledEvents(this.guild.id);
    if (events.length === 0) return 'No events scheduled.';
    const link = /^https:\/\/discord\.com\/channels\/\d+\/(\d+)$/;
    return events
      .map((e, i) => {
        const unix = Math.floor(e.start.getTime() / 1000);
        const when = readable(`<t:${unix}:F> (<t:${unix}:R>)`, this.names, this.clock.now(), this.timeZone);
        const linked = e.location ? link.exec(e.location)?.[1] : undefined;
        const place = e.channelId ? `in #${this.names.channel(e.channelId) ?? 'a voice channel'}` : linked ? `at #${this.names.channel(linked) ?? linked}` : `at ${e.location ?? 'an unknown place'}`;
        const now = e.status === 2 ? ', happening now' : '';
        return `${i + 1}. ${e.name}: ${when}, ${place}${now}, ${e.interested} interested`;
      })
      .join('\n');
  }

  private listThreads(): string {
    const threads = this.threadList();
    if (threads.length === 0) return 'No threads yet.';
    return threads
      .map((t, i) => {
        const parent = this.names.channel(t.parentId) ?? 'unknown';
        const state = [t.archived ? 'archived' : '', t.locked ? 'locked' : ''].filter(Boolean).join(', ');
        const count = t.messages.filter((m) => canSee(m, this.actor.id)).length;
        const tags = t.appliedTags.length > 0 ? `, tagged ${t.appliedTags.join(', ')}` : '';
        return `${i + 1}. #${t.name} (in #${parent}${tags}, ${count} message${count === 1 ? '' : 's'}${state ? `, ${state}` : ''})`;
      })
      .join('\n');
  }

  private openThread(target: string): string {
    const threads = this.threadList();
    const byNumber = /^\d+$/.test(target) ? threads[Number(target) - 1] : undefined;
    const thread = byNumber ?? threads.find((t) => t.name.toLowerCase() === target.replace(/^#/, '').toLowerCase());
    if (!thread) {
      throw new StepFailedError(threads.length === 0 ? 'There are no threads yet.' : `No thread ${target}: "threads" lists ${threads.length}.`);
    }
    this.placeId = thread.id;
    return `${this.showPlace()}\n(You are in thread #${thread.name}; "channel ${this.names.channel(thread.parentId) ?? FIRST_CHANNEL}" goes back.)`;
  }

  private goToChannel(name: string, kind?: PlaygroundChannelKind): string {
    const thread = kind ? undefined : this.threadList().find((t) => t.name.toLowerCase() === name);
    if (thread) {
      this.placeId = thread.id;
      return this.showPlace();
    }
    let channel = this.channels.get(name);
    const created = !channel;
    if (channel && kind && channel.type !== CHANNEL_TYPE[kind]) {
      throw new StepFailedError(`#${name} already exists as ${KIND_WORDS[channel.type] ?? 'another kind of channel'}.`);
    }
    if (!channel) {
      if (!/^[a-z0-9_-]{1,100}$/.test(name)) throw new PlaygroundInputError('Channel names use lowercase letters, digits, "-" and "_".');
      const type = CHANNEL_TYPE[kind ?? 'text'];
      channel = this.discord.createChannel(this.guild.id, { name, type });
      this.channels.set(name, channel);
      this.world.channels[name] = channel.id;
      if (type !== 0) this.world.channelTypes = { ...this.world.channelTypes, [name]: type };
      this.save();
    }
    this.placeId = channel.id;
    if (channel.type === CHANNEL_TYPE.forum) return `${created ? `Created forum #${name}. ` : ''}${this.showForum(channel)}`;
    if (!created) return this.showPlace();
    return `Created ${channel.type === CHANNEL_TYPE.announcement ? 'announcement channel ' : ''}#${name}. You are in #${name}.`;
  }

  /** A forum as Discord lists it: its posts, newest first, with their tags (members talk inside the posts). */
  private showForum(forum: ChannelInfo): string {
    const posts = this.threadList().filter((t) => t.parentId === forum.id).reverse();
    const head = `#${forum.name} is a forum: it takes posts, not messages.`;
    if (posts.length === 0) return `${head} No posts yet.`;
    const numbers = new Map(this.threadList().map((t, i) => [t.id, i + 1]));
    const lines = posts.map((p) => {
      const count = p.messages.filter((m) => canSee(m, this.actor.id)).length;
      const tags = p.appliedTags.length > 0 ? ` [${p.appliedTags.join(', ')}]` : '';
      return `  ${numbers.get(p.id)}. ${p.name}${tags} (${count} message${count === 1 ? '' : 's'}${p.archived ? ', archived' : ''})`;
    });
    return [`${head} "open N" reads post N.`, ...lines].join('\n');
  }

  private showPlace(): string {
    const place = this.place();
    const messages = this.discord.messages(place.id).filter((m) => canSee(m, this.actor.id));
    const header = `── ${this.placeLabel(place)} ──`;
    if (messages.length === 0) return `${header}\n(no messages yet)`;
    return [header, ...messages.map((m) => this.tidy(renderForTerminal(m, { names: this.names, now: this.clock.now(), timeZone: this.timeZone })))].join('\n');
  }

  // ---- what the member sees ---------------------------------------------------------------------

  /** Runs an action, lets the bot finish, and reports the action's own note plus every visible change. */
  private async observe(action: () => Promise<string | undefined>): Promise<string> {
    const before = this.capture();
    const threadsBefore = new Set(this.threadList().map((t) => t.id));
    const note = await action();
    await this.settle(before);
    const after = this.capture();
    const lines = changesBetween(before, after, this.actor.id).map((change) =>
      this.tidy(renderChange(change, { names: this.names, now: this.clock.now(), timeZone: this.timeZone, currentPlaceId: this.placeId })),
    );
    this.threadList().forEach((t, i) => {
      if (!threadsBefore.has(t.id)) lines.push(`(new thread #${t.name}: "open ${i + 1}" to read it)`);
    });
    const out = [note, ...lines].filter((l): l is string => l !== undefined && l !== '');
    return out.length > 0 ? out.join('\n') : '(nothing you can see changed)';
  }

  /** Checks how the bot answered an interaction; a modal is remembered for `modal` and described. */
  private answered(handle: InteractionHandle): string | undefined {
    if (handle.callbackType === null) {
      throw new StepFailedError(`${handle.error ?? 'This interaction failed'}: the bot did not answer within 3 seconds (see bot.log).`);
    }
    const shown = handle.modal;
    if (!shown) return undefined;
    const fields = modalFields(shown.components);
    this.openModals.set(this.actor.id, { customId: shown.custom_id, title: shown.title, channelId: this.placeId, fields });
    const example = fields.length === 1 ? `modal ${fields[0]!.id}="..."` : `modal ${fields.map((f) => `${f.id}="..."`).join(' ')}`;
    const texts = shown.components.flatMap((c) => (c['type'] === 10 && typeof c['content'] === 'string' ? [`  ${c['content']}`] : []));
    return [
      `ds9-bot opened a form for you: ${shown.title}`,
      ...texts,
      ...fields.map((f) => `  ${f.id}: ${f.label}${f.required ? ' (required)' : ''}`),
      `  fill it in with: ${example}`,
    ].join('\n');
  }

  /**
   * Waits until the bot has handled every interaction (its reply and what follows, such as a game's first question),
   * then until it stops sending requests and no reply it started is still "thinking".
   */
  private async settle(before: Snapshot): Promise<void> {
    await this.bot.idle();
    const deadline = Date.now() + SETTLE_LIMIT_MS;
    let last = this.activity();
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      const now = this.activity();
      if (now !== last) {
        last = now;
        quietSince = Date.now();
        continue;
      }
      if (Date.now() - quietSince < QUIET_MS) continue;
      const thinking = [...this.capture().values()].some((seen) => seen.message.loading && !before.get(seen.message.id)?.message.loading);
      if (!thinking) return;
    }
  }

  private activity(): number {
    return Object.values(this.discord.requestCounts()).reduce((a, b) => a + b, 0);
  }

  private capture(): Snapshot {
    const places: Place[] = [
      ...[...this.channels.values()].map((c) => ({ id: c.id, name: c.name, thread: false })),
      ...this.threadList().map((t) => ({ id: t.id, name: t.name, thread: true })),
    ];
    return snapshot(places.map((place) => ({ place, messages: this.discord.messages(place.id) })));
  }

  private threadList() {
    return this.discord
      .threads(this.guild.id)
      .filter((t) => !t.deleted)
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  private place(): Place {
    const thread = this.discord.thread(this.placeId);
    if (thread && !thread.deleted) return { id: thread.id, name: thread.name, thread: true };
    const channel = [...this.channels.values()].find((c) => c.id === this.placeId);
    if (channel) return { id: channel.id, name: channel.name, thread: false };
    // The thread was deleted under us: back to the first channel.
    const ops = this.channels.get(FIRST_CHANNEL)!;
    this.placeId = ops.id;
    return { id: ops.id, name: ops.name, thread: false };
  }

  private placeLabel(place: Place): string {
    return place.thread ? `thread #${place.name}` : `#${place.name}`;
  }

  private tidy(text: string): string {
    return text.replaceAll('(only you can see this)', `(only ${this.actor.username} can see this)`);
  }

  private findButton(target: string): { message: VisibleMessage; customId: string } {
    const wanted = target.toLowerCase();
    const messages = this.discord
      .messages(this.placeId)
      .filter((m) => canSee(m, this.actor.id))
      .reverse();
    const matchers = [
      (b: ReturnType<typeof buttonsOf>[number]) => b.label.toLowerCase() === wanted || b.label.toLowerCase().endsWith(` ${wanted}`),
      (b: ReturnType<typeof buttonsOf>[number]) => /^\d+$/.test(target) && b.number === Number(target),
    ];
    for (const matches of matchers) {
      let disabled = false;
      for (const message of messages) {
        const button = buttonsOf(message).find(matches);
        if (!button) continue;
        if (button.disabled) {
          disabled = true;
          continue;
        }
        if (button.customId === null) throw new StepFailedError(`"${button.label}" is a link (${button.url ?? 'no address'}), not something the bot answers.`);
        return { message, customId: button.customId };
      }
      if (disabled) throw new StepFailedError(`The button "${target}" is disabled.`);
    }
    const newest = messages.find((m) => buttonsOf(m).length > 0);
    const offer = newest ? ` The newest buttons here: ${buttonsOf(newest).map((b) => `[${b.number} ${b.label}]`).join(' ')}` : ' There are no buttons here.';
    throw new StepFailedError(`No button "${target}" in ${this.placeLabel(this.place())}.${offer}`);
  }

  // ---- names ------------------------------------------------------------------------------------

  private memberNamed(name: string): MemberInfo {
    const existing = this.members.get(name);
    if (existing) return existing;
    const privileged = PRIVILEGED[name];
    const roles = privileged ? [this.roleFor(privileged)] : [];
    const id = this.world.members[name];
    const member = this.discord.createMember(this.guild.id, { username: name, roles, ...(id && { id }) });
    this.members.set(name, member);
    this.userNames.set(member.id, name);
    this.world.members[name] = member.id;
    this.save();
    return member;
  }

  private roleFor(privileged: { role: string; permissions: bigint }): string {
    const name = privileged.role;
    const existing = this.roles.get(name);
    if (existing) return existing;
    const role = this.discord.createRole(this.guild.id, { ...(this.world.roles[name] && { id: this.world.roles[name] }), name, permissions: privileged.permissions });
    this.roles.set(name, role.id);
    this.world.roles[name] = role.id;
    this.save();
    return role.id;
  }

  /** Channels an earlier run in this directory made come back with their ids (members come back when named). */
  private restoreChannels(): void {
    for (const [name, id] of Object.entries(this.world.channels)) {
      if (this.channels.has(name)) continue;
      const type = this.world.channelTypes?.[name];
      this.channels.set(name, this.discord.createChannel(this.guild.id, { name, id, ...(type !== undefined && { type }) }));
    }
  }

  private save(): void {
    saveWorld(this.dataDir, this.world);
  }

  private readonly names: Names = {
    user: (id) => this.userNames.get(id),
    channel: (id) => [...this.channels.values()].find((c) => c.id === id)?.name ?? this.discord.thread(id)?.name,
    role: (id) => [...this.roles.entries()].find(([, roleId]) => roleId === id)?.[0],
  };

  private lookups(): OptionLookups {
    return {
      member: (name) => this.members.get(name)?.id,
      channel: (name) => this.channels.get(name)?.id ?? this.threadList().find((t) => t.name.toLowerCase() === name)?.id,
      role: (name) => this.roles.get(name),
      readFile: (path) => readFileSync(resolve(process.cwd(), path)),
    };
  }
}

function failed(error: unknown): never {
  throw new StepFailedError(error instanceof Error ? error.message : String(error));
}

/** The text inputs of a modal, in action rows (type 1) or labels (type 18). */
function modalFields(components: Json[]): OpenModal['fields'] {
  const out: OpenModal['fields'] = [];
  for (const c of components) {
    const inner = c['type'] === 1 ? ((c['components'] ?? []) as Json[]) : c['type'] === 18 ? [c['component'] as Json] : [];
    for (const input of inner) {
      if (input?.['type'] !== 4) continue;
      const label = typeof input['label'] === 'string' ? input['label'] : typeof c['label'] === 'string' ? c['label'] : String(input['custom_id']);
      out.push({ id: String(input['custom_id']), label, required: input['required'] !== false });
    }
  }
  return out;
}
