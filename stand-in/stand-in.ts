import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermissionFlagsBits as P } from 'discord.js';
import { ApiError } from './api-error.js';
import { buildCommandOptions, type FileOption, type OptionInput } from './command-options.js';
import { CommandStore } from './commands.js';
import { Core } from './core.js';
import { GUILD_FORUM } from './forums.js';
import { Gateway, GatewayIntent } from './gateway.js';
import { InteractionHandle } from './interaction-handle.js';
import { InteractionType, Interactions, type InteractionRecord } from './interactions.js';
import { NonceStore } from './nonces.js';
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, hasAll } from './permissions.js';
import { addReaction, removeReaction } from './reactions.js';
import { RestRouter, type FailRule, type HoldRule } from './rest.js';
import { ROUTES, type RouteDeps } from './routes.js';
import {
  channelPayload,
  guildCreatePayload,
  memberPayload,
  messagePayload,
  rolePayload,
  userPayload,
} from './serialize.js';
import { isThreadType, type ChannelRecord, type MessageRecord } from './state.js';
import { listedEvents, markInterested, visibleEvent, type VisibleScheduledEvent } from './scheduled-events.js';
import { toVisibleMessage, toVisibleThread, type VisibleMessage, type VisibleThread } from './visible.js';
import { DEFAULT_WAIT_MS, waitUntil } from './wait.js';

type Json = Record<string, unknown>;

export interface StandInOptions {
  /** bot token the stand-in accepts (random by default) */
  token?: string;
  /** 0 (default) picks a free port */
  port?: number;
  /** answer 429 (global) beyond 50 bot requests per second */
  enforceGlobalRateLimit?: boolean;
  /** Discord's 3 s window for the first interaction response */
  interactionTimeoutMs?: number;
  /** how long follow-ups and edits through the interaction token work (15 min) */
  interactionTokenLifetimeMs?: number;
  heartbeatIntervalMs?: number;
}

export interface GuildInfo {
  id: string;
  name: string;
  ownerId: string;
  /** the @everyone role (its id is the guild id) */
  everyoneRoleId: string;
  /** the bot's managed role */
  botRoleId: string;
}

export interface ChannelInfo {
  id: string;
  guildId: string;
  name: string;
  type: number;
}

export interface RoleInfo {
  id: string;
  guildId: string;
  name: string;
  permissions: bigint;
}

export interface MemberInfo {
  id: string;
  guildId: string;
  username: string;
  roles: string[];
}

export interface InteractionLatency {
  interactionId: string;
  dispatchedAt: number;
  respondedAt: number | null;
}

interface CommandInput {
  guildId?: string;
  channelId: string;
  userId: string;
  command: string;
  subcommand?: string;
  group?: string;
  options?: Record<string, OptionInput>;
  locale?: string;
}

/**
 * A local Discord: gateway + REST that a real discord.js Client logs in to, with controls to act as members
 * and inspect what they would see.
 */
export class DiscordStandIn {
  private readonly interactionsStore: Interactions;
  private readonly commandStore: CommandStore;

  private constructor(
    private readonly server: Server,
    private readonly core: Core,
    private readonly gateway: Gateway,
    private readonly router: RestRouter<RouteDeps>,
    private readonly opts: Required<Pick<StandInOptions, 'interactionTimeoutMs'>>,
    interactions: Interactions,
    commands: CommandStore,
  ) {
    this.interactionsStore = interactions;
    this.commandStore = commands;
  }

  static async start(options: StandInOptions = {}): Promise<DiscordStandIn> {
    const core = new Core({ ...(options.token !== undefined ? { token: options.token } : {}) });
    const interactionTimeoutMs = options.interactionTimeoutMs ?? 3000;
    const interactions = new Interactions(core, {
      responseWindowMs: interactionTimeoutMs,
      tokenLifetimeMs: options.interactionTokenLifetimeMs ?? 15 * 60_000,
    });
    const commands = new CommandStore(core.ids, core.applicationId);
    const router = new RestRouter({
      token: () => core.token,
      enforceGlobalRateLimit: options.enforceGlobalRateLimit ?? false,
      prefix: /^\/api\/v(10|9)(?=\/)/,
      routes: ROUTES,
      context: { core, interactions, commands, nonces: new NonceStore(() => core.now()) },
    });
    const server = createServer((req, res) => void serveHttp(core, router, req, res));
    const gateway = new Gateway(server, {
      token: () => core.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      resumeWindowMs: 120_000,
      ready: (session) => ({
        user: { ...userPayload(core.world.users.get(core.botUserId)!), verified: true, mfa_enabled: false },
        application: { id: core.applicationId, flags: 0 },
        guildIds: [...core.world.guilds.values()]
          .filter((g) => !g.deleted && shardMatches(g.id, session.shard))
          .map((g) => g.id),
      }),
      guildCreate: (guildId) => {
        const guild = core.world.guilds.get(guildId);
        return guild ? guildCreatePayload(core.world, guild) : undefined;
      },
    });
    core.gateway = gateway;
    const standIn = new DiscordStandIn(server, core, gateway, router, { interactionTimeoutMs }, interactions, commands);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    core.baseUrl = `http://127.0.0.1:${port}`;
    gateway.setUrl(`ws://127.0.0.1:${port}`);
    return standIn;
  }

  // ---- connection facts -------------------------------------------------------------------------

  /** what to pass as discord.js `rest.api` */
  get restBase(): string {
    return `${this.core.baseUrl}/api`;
  }

  get gatewayUrl(): string {
    return this.core.baseUrl.replace(/^http/, 'ws');
  }

  get token(): string {
    return this.core.token;
  }

  get applicationId(): string {
    return this.core.applicationId;
  }

  get botUserId(): string {
    return this.core.botUserId;
  }

  /** connected and identified bot sockets */
  connections(): number {
    return this.gateway.connectionCount();
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- building the world -----------------------------------------------------------------------

  /** A guild the bot is in; emits GUILD_CREATE to connected bots of its shard. `id` keeps one from an earlier run. */
  createGuild(input: { name: string; botPermissions?: bigint; everyonePermissions?: bigint; locale?: string; id?: string }): GuildInfo {
    const { world, ids } = this.core;
    const id = input.id ?? ids.next();
    const owner = this.newUser(`${input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-owner`);
    const botRoleId = ids.next();
    const joinedAt = new Date().toISOString();
    world.guilds.set(id, {
      id, name: input.name, ownerId: owner.id, botRoleId, joinedAt, preferredLocale: input.locale ?? 'en-US', systemChannelId: null, deleted: false,
    });
    world.roles.set(id, {
      id, guildId: id, name: '@everyone', permissions: input.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS,
      position: 0, mentionable: false, hoist: false, color: 0,
    });
    world.roles.set(botRoleId, {
      id: botRoleId, guildId: id, name: 'ds9-bot', permissions: input.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
      position: 1, mentionable: false, hoist: false, color: 0, botId: this.core.botUserId,
    });
    world.putMember({ guildId: id, userId: owner.id, roles: [], nick: null, joinedAt });
    world.putMember({ guildId: id, userId: this.core.botUserId, roles: [botRoleId], nick: null, joinedAt });
    this.sendGuildCreate(id);
    return { id, name: input.name, ownerId: owner.id, everyoneRoleId: id, botRoleId };
  }

  private sendGuildCreate(guildId: string): void {
    this.gateway.dispatch(
      'GUILD_CREATE',
      () => guildCreatePayload(this.core.world, this.core.world.guilds.get(guildId)!),
      { guildId, intent: GatewayIntent.Guilds },
    );
  }

  /**
   * A channel: text (type 0, the default), announcement (5), category (4), voice (2) or forum (15; with its tags,
   * and `requireTag` for forums that refuse untagged posts).
   */
  createChannel(
    guildId: string,
    input: {
      name: string;
      type?: number;
      parentId?: string;
      topic?: string;
      defaultAutoArchiveDuration?: 60 | 1440 | 4320 | 10080;
      id?: string;
      availableTags?: { name: string; moderated?: boolean }[];
      requireTag?: boolean;
    },
  ): ChannelInfo {
    this.requireGuild(guildId);
    const type = input.type ?? 0;
    if (isThreadType(type)) throw new Error('Use the bot (or startThread) to create threads, not createChannel');
    const position = this.core.world.guildChannels(guildId, { threads: false }).length;
    const channel: ChannelRecord = {
      id: input.id ?? this.core.ids.next(), guildId, type, name: input.name, position, parentId: input.parentId ?? null,
      topic: input.topic ?? null, nsfw: false, rateLimitPerUser: 0, overwrites: [], lastMessageId: null,
      defaultAutoArchiveDuration: input.defaultAutoArchiveDuration ?? null, deleted: false,
    };
    if (type === GUILD_FORUM) {
      channel.forum = {
        availableTags: (input.availableTags ?? []).map((t) => ({ id: this.core.ids.next(), name: t.name, moderated: t.moderated ?? false, emojiId: null, emojiName: null })),
        requireTag: input.requireTag ?? false,
      };
    } else if (input.availableTags || input.requireTag) {
      throw new Error('Only forum channels (type 15) have tags');
    }
    this.core.world.channels.set(channel.id, channel);
    this.core.dispatchGuild('CHANNEL_CREATE', guildId, channelPayload(channel));
    return { id: channel.id, guildId, name: channel.name, type };
  }

  createRole(guildId: string, input: { name: string; permissions?: bigint; mentionable?: boolean; color?: number; id?: string }): RoleInfo {
    this.requireGuild(guildId);
    const roles = this.core.world.guildRoles(guildId);
    const role = {
      id: input.id ?? this.core.ids.next(), guildId, name: input.name, permissions: input.permissions ?? 0n,
      position: roles.length, mentionable: input.mentionable ?? false, hoist: false, color: input.color ?? 0,
    };
    this.core.world.roles.set(role.id, role);
    this.core.dispatchGuild('GUILD_ROLE_CREATE', guildId, { guild_id: guildId, role: rolePayload(role) });
    return { id: role.id, guildId, name: role.name, permissions: role.permissions };
  }

  /** A human member; `admin` gives them Administrator through an "Admin" role. */
  createMember(guildId: string, input: { username: string; roles?: string[]; admin?: boolean; globalName?: string; id?: string }): MemberInfo {
    this.requireGuild(guildId);
    const user = this.newUser(input.username, input.globalName, input.id);
    const roles = [...(input.roles ?? [])];
    for (const roleId of roles) {
      if (this.core.world.roles.get(roleId)?.guildId !== guildId) throw new Error(`Role ${roleId} is not in guild ${guildId}`);
    }
    if (input.admin) roles.push(this.adminRole(guildId));
    const member = { guildId, userId: user.id, roles, nick: null, joinedAt: new Date().toISOString() };
    this.core.world.putMember(member);
    this.gateway.dispatch(
      'GUILD_MEMBER_ADD',
      { ...memberPayload(this.core.world, member), guild_id: guildId },
      { guildId, intent: GatewayIntent.GuildMembers },
    );
    return { id: user.id, guildId, username: user.username, roles };
  }

  setMemberRoles(guildId: string, userId: string, roles: string[]): void {
    const member = this.core.world.member(guildId, userId);
    if (!member) throw new Error(`User ${userId} is not in guild ${guildId}`);
    member.roles = [...roles];
    this.gateway.dispatch(
      'GUILD_MEMBER_UPDATE',
      { ...memberPayload(this.core.world, member), guild_id: guildId },
      { guildId, intent: GatewayIntent.GuildMembers },
    );
  }

  private adminRole(guildId: string): string {
    const existing = this.core.world.guildRoles(guildId).find((r) => r.name === 'Admin' && hasAll(r.permissions, P.Administrator));
    return existing?.id ?? this.createRole(guildId, { name: 'Admin', permissions: P.Administrator }).id;
  }

  /** Adds or replaces the overwrite for that role (type 0) or member (type 1). */
  setChannelOverwrite(channelId: string, overwrite: { id: string; type: 0 | 1; allow?: bigint; deny?: bigint }): void {
    const channel = this.requireChannel(channelId);
    if (channel.thread) throw new Error('Threads take their permissions from the parent channel');
    channel.overwrites = channel.overwrites.filter((o) => o.id !== overwrite.id);
    channel.overwrites.push({ id: overwrite.id, type: overwrite.type, allow: overwrite.allow ?? 0n, deny: overwrite.deny ?? 0n });
    this.core.dispatchGuild('CHANNEL_UPDATE', channel.guildId, channelPayload(channel));
  }

  /** Sets the permissions of the bot's role (the bot also has whatever @everyone has). */
  setBotPermissions(guildId: string, permissions: bigint): void {
    const guild = this.requireGuild(guildId);
    const role = this.core.world.roles.get(guild.botRoleId)!;
    role.permissions = permissions;
    this.core.dispatchGuild('GUILD_ROLE_UPDATE', guildId, { guild_id: guildId, role: rolePayload(role) });
  }

  /** The bot's effective permissions in a channel, as the stand-in computes them. */
  botPermissionsIn(channelId: string): bigint {
    return this.core.permissionsIn(this.requireChannel(channelId), this.core.botUserId);
  }

  deleteChannel(channelId: string): void {
    this.core.deleteChannel(this.requireChannel(channelId));
  }

  /** A forum's tags, by name, as its settings show them. */
  forumTags(channelId: string): { id: string; name: string; moderated: boolean }[] {
    const channel = this.requireChannel(channelId);
    if (!channel.forum) throw new Error(`Channel ${channelId} is not a forum`);
    return channel.forum.availableTags.map((t) => ({ id: t.id, name: t.name, moderated: t.moderated }));
  }

  /** A moderator changes a forum's settings: its tags (replacing the list) or whether posts must carry one. */
  updateForum(channelId: string, change: { availableTags?: { name: string; moderated?: boolean }[]; requireTag?: boolean }): void {
    const channel = this.requireChannel(channelId);
    if (!channel.forum) throw new Error(`Channel ${channelId} is not a forum`);
    if (change.availableTags) {
      const old = channel.forum.availableTags;
      channel.forum.availableTags = change.availableTags.map((t) => ({
        id: old.find((o) => o.name === t.name)?.id ?? this.core.ids.next(), name: t.name, moderated: t.moderated ?? false, emojiId: null, emojiName: null,
      }));
    }
    if (change.requireTag !== undefined) channel.forum.requireTag = change.requireTag;
    this.core.dispatchGuild('CHANNEL_UPDATE', channel.guildId, channelPayload(channel));
  }

  /** The server's audit log, oldest first: what the bot did and the reason it gave (X-Audit-Log-Reason). */
  auditLog(guildId: string): { actionType: number; userId: string; targetId: string; reason: string | null }[] {
    return this.core.world.auditLog
      .filter((e) => e.guildId === guildId)
      .map((e) => ({ actionType: e.actionType, userId: e.userId, targetId: e.targetId, reason: e.reason }));
  }

  /** Makes a channel the server's system channel (Server Settings > System Messages Channel). */
  setSystemChannel(guildId: string, channelId: string): void {
    const guild = this.core.world.guilds.get(guildId);
    if (!guild) throw new Error(`No guild ${guildId}`);
    guild.systemChannelId = this.requireChannel(channelId).id;
  }

  // ---- acting as members ------------------------------------------------------------------------

  async slashCommand(input: CommandInput): Promise<InteractionHandle> {
    const { channel, command, built } = this.prepareCommand(input);
    const record = this.interactionsStore.dispatch({
      type: InteractionType.Command,
      channel,
      userId: input.userId,
      commandName: command.name,
      ...(input.locale !== undefined ? { locale: input.locale } : {}),
      data: {
        id: command.id,
        name: command.name,
        type: 1,
        guild_id: channel.guildId,
        ...(built.options.length > 0 ? { options: built.options } : {}),
        ...(Object.keys(built.resolved).length > 0 ? { resolved: built.resolved } : {}),
      },
    });
    return this.settled(record);
  }

  /** Types into an autocomplete option; resolves with the choices the bot offered. */
  async autocomplete(input: CommandInput & { focused: string }): Promise<{ name: string; value: string | number }[]> {
    const { channel, command, built } = this.prepareCommand(input, input.focused);
    const record = this.interactionsStore.dispatch({
      type: InteractionType.Autocomplete,
      channel,
      userId: input.userId,
      commandName: command.name,
      data: { id: command.id, name: command.name, type: 1, guild_id: channel.guildId, options: built.options },
    });
    await record.settled;
    if (record.choices === null) {
      throw new Error(`The bot did not answer the autocomplete for /${command.name} within ${this.opts.interactionTimeoutMs} ms`);
    }
    return record.choices as { name: string; value: string | number }[];
  }

  async clickButton(input: { userId: string; messageId: string; customId: string }): Promise<InteractionHandle> {
    const { message, channel, component } = this.prepareComponent(input.userId, input.messageId, input.customId);
    if (component['type'] !== 2) throw new Error(`Component "${input.customId}" is not a button (type ${String(component['type'])})`);
    const record = this.interactionsStore.dispatch({
      type: InteractionType.Component,
      channel,
      userId: input.userId,
      sourceMessage: message,
      data: { custom_id: input.customId, component_type: 2 },
    });
    return this.settled(record);
  }

  async selectMenu(input: { userId: string; messageId: string; customId: string; values: string[] }): Promise<InteractionHandle> {
    const { message, channel, component } = this.prepareComponent(input.userId, input.messageId, input.customId);
    const type = Number(component['type']);
    if (![3, 5, 6, 7, 8].includes(type)) throw new Error(`Component "${input.customId}" is not a select menu`);
    const options = Array.isArray(component['options']) ? (component['options'] as Json[]) : [];
    if (type === 3) {
      for (const v of input.values) {
        if (!options.some((o) => o['value'] === v)) throw new Error(`Select "${input.customId}" has no option "${v}"`);
      }
    }
    const min = typeof component['min_values'] === 'number' ? component['min_values'] : 1;
    const max = typeof component['max_values'] === 'number' ? component['max_values'] : 1;
    if (input.values.length < min || input.values.length > max) throw new Error(`Select "${input.customId}" takes ${min}..${max} values`);
    const record = this.interactionsStore.dispatch({
      type: InteractionType.Component,
      channel,
      userId: input.userId,
      sourceMessage: message,
      data: { custom_id: input.customId, component_type: type, values: [...input.values] },
    });
    return this.settled(record);
  }

  /** Submits the modal the bot last showed this member with that custom id. */
  async submitModal(input: { userId: string; channelId?: string; customId: string; fields: Record<string, string> }): Promise<InteractionHandle> {
    const shown = [...this.interactionsStore.all.values()]
      .reverse()
      .find((r) => r.userId === input.userId && r.modal?.custom_id === input.customId && !r.modalSubmitted &&
        (input.channelId === undefined || r.channelId === input.channelId));
    if (!shown || !shown.modal) throw new Error(`The bot never showed user ${input.userId} a modal "${input.customId}"`);
    const components = modalSubmission(shown.modal.components, input.fields, input.customId);
    shown.modalSubmitted = true;
    const channel = this.requireChannel(shown.channelId);
    const source = shown.sourceMessageId ? this.core.world.messages.get(shown.sourceMessageId) : undefined;
    const record = this.interactionsStore.dispatch({
      type: InteractionType.ModalSubmit,
      channel,
      userId: input.userId,
      sourceMessage: source && !source.deleted ? source : null,
      data: { custom_id: input.customId, components },
    });
    return this.settled(record);
  }

  /**
   * Submits a modal that an earlier bot process or version showed this member: Discord delivers the
   * submission to whichever bot runs now, so its custom id and text inputs can be anything that old modal
   * had (custom ids 1-100 characters, values up to 4,000, as Discord allows).
   */
  async submitOldModal(input: { userId: string; channelId: string; customId: string; fields: Record<string, string> }): Promise<InteractionHandle> {
    const channel = this.requireChannel(input.channelId);
    this.requireMemberCanUse(channel, input.userId);
    const ids = [input.customId, ...Object.keys(input.fields)];
    if (ids.some((id) => id.length < 1 || id.length > 100)) throw new Error('Modal and text input custom ids must be 1-100 characters');
    if (Object.values(input.fields).some((v) => v.length > 4000)) throw new Error('Text input values are at most 4000 characters');
    const record = this.interactionsStore.dispatch({
      type: InteractionType.ModalSubmit,
      channel,
      userId: input.userId,
      sourceMessage: null,
      data: {
        custom_id: input.customId,
        components: Object.entries(input.fields).map(([id, value]) => ({ type: 1, components: [{ type: 4, custom_id: id, value }] })),
      },
    });
    return this.settled(record);
  }

  /** A member posts in a channel or thread (MESSAGE_CREATE reaches bots with the GUILD_MESSAGES intent). */
  sendMessage(input: { channelId: string; userId: string; content: string; replyTo?: string; embeds?: Json[] }): VisibleMessage {
    const channel = this.requireChannel(input.channelId);
    const perms = this.core.permissionsIn(channel, input.userId);
    const needed = channel.thread ? P.SendMessagesInThreads : P.SendMessages;
    if (!hasAll(perms, P.ViewChannel | needed)) throw new Error(`User ${input.userId} cannot send messages in #${channel.name}`);
    this.core.prepareThreadForMessage(channel, input.userId);
    const message = this.core.createMessage({
      channel,
      authorId: input.userId,
      body: {
        content: input.content,
        ...(input.embeds ? { embeds: input.embeds } : {}),
        ...(input.replyTo ? { message_reference: { message_id: input.replyTo } } : {}),
      },
      files: [],
    });
    return toVisibleMessage(this.core.world, message);
  }

  /** The author edits their own message. */
  editMessage(messageId: string, content: string): VisibleMessage {
    const message = this.requireMessage(messageId);
    return toVisibleMessage(this.core.world, this.core.editMessage(message, { content }, []));
  }

  /** A member reacts (MESSAGE_REACTION_ADD reaches bots with the GUILD_MESSAGE_REACTIONS intent). */
  react(input: { userId: string; messageId: string; emoji: string }): void {
    const message = this.requireMessage(input.messageId);
    try {
      addReaction(this.core, message, input.emoji, input.userId);
    } catch (err) {
      throw new Error(`User ${input.userId} cannot react to ${input.messageId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  unreact(input: { userId: string; messageId: string; emoji: string }): void {
    removeReaction(this.core, this.requireMessage(input.messageId), input.emoji, input.userId);
  }

  /** Discord (or a moderator) archives a thread, e.g. after its auto-archive duration of inactivity. */
  archiveThread(threadId: string, opts: { locked?: boolean } = {}): void {
    const thread = this.requireChannel(threadId);
    if (!thread.thread) throw new Error(`Channel ${threadId} is not a thread`);
    thread.thread.archived = true;
    if (opts.locked !== undefined) thread.thread.locked = opts.locked;
    thread.thread.archiveTimestamp = new Date().toISOString();
    this.core.dispatchGuild('THREAD_UPDATE', thread.guildId, channelPayload(thread));
  }

  /** The bot is removed from the guild (GUILD_DELETE without `unavailable`). */
  removeGuild(guildId: string): void {
    const guild = this.core.world.guilds.get(guildId);
    if (!guild || guild.deleted) throw new Error(`Unknown guild ${guildId}`);
    this.gateway.dispatch('GUILD_DELETE', { id: guildId }, { guildId, intent: GatewayIntent.Guilds });
    guild.deleted = true;
  }

  /** Removes a message (as its author or a moderator). */
  deleteMessage(messageId: string): void {
    this.core.deleteMessage(this.requireMessage(messageId));
  }

  // ---- looking at what members see ----------------------------------------------------------------

  /** Transcript of a channel or thread, oldest first (ephemeral messages included, flagged with visibleTo). */
  messages(channelId: string): VisibleMessage[] {
    return this.core.world.channelMessages(channelId).map((m) => toVisibleMessage(this.core.world, m));
  }

  message(messageId: string): VisibleMessage | undefined {
    const m = this.core.world.messages.get(messageId);
    return m ? toVisibleMessage(this.core.world, m) : undefined;
  }

  /** Threads under a channel, or all threads of a guild. */
  threads(channelOrGuildId: string): VisibleThread[] {
    const isGuild = this.core.world.guilds.has(channelOrGuildId);
    return [...this.core.world.channels.values()]
      .filter((c) => c.thread && (isGuild ? c.guildId === channelOrGuildId : c.parentId === channelOrGuildId))
      .map((c) => toVisibleThread(this.core.world, c));
  }

  thread(threadId: string): VisibleThread | undefined {
    const c = this.core.world.channels.get(threadId);
    return c?.thread ? toVisibleThread(this.core.world, c) : undefined;
  }

  /** Registered application commands: global ones, or a guild's. */
  registeredCommands(guildId?: string): Json[] {
    return this.commandStore.list(guildId ?? 'global');
  }

  /** Polls until `predicate` returns a value (not undefined/false/null). */
  waitFor<T>(predicate: () => T | undefined | false | null, opts: { timeoutMs?: number; description?: string } = {}): Promise<T> {
    return waitUntil(predicate, {
      timeoutMs: opts.timeoutMs ?? DEFAULT_WAIT_MS,
      ...(opts.description !== undefined ? { describe: () => opts.description! } : {}),
    });
  }

  /** The server's scheduled events as its Events list shows them (scheduled and active, soonest first). */
  scheduledEvents(guildId: string): VisibleScheduledEvent[] {
    this.requireGuild(guildId);
    return listedEvents(this.core, guildId).map((e) => visibleEvent(this.core, e));
  }

  /** A member presses "Interested" on an event (or takes it back with `interested: false`). */
  markInterested(input: { eventId: string; userId: string; interested?: boolean }): void {
    markInterested(this.core, input);
  }

  /** Makes the stand-in's "now" (message times, event start checks, nonce windows) follow `now` instead of the wall clock. */
  useClock(now: () => number): void {
    this.core.clock = now;
  }

  // ---- faults and measurements ------------------------------------------------------------------

  /** The next matching request(s) fail with that status (429 with retry_after, or 5xx). */
  failNext(rule: FailRule): void {
    this.router.failNext(rule);
  }

  /**
   * A slow Discord: the next matching request(s) are received in full, then take effect only once `until`
   * settles, even if the caller gave up or died meanwhile (as a request Discord already has would).
   */
  holdNext(rule: HoldRule): void {
    this.router.holdNext(rule);
  }

  /** Closes a bot's gateway socket from the server side; resolves once closed (the session stays resumable). */
  dropConnection(opts: { code?: number; connection?: number } = {}): Promise<void> {
    return this.gateway.drop(opts.code ?? 4000, opts.connection ?? 0);
  }

  /** Requests seen per route, e.g. `{ 'POST /channels/:id/messages': 3 }`. */
  requestCounts(): Record<string, number> {
    return this.router.requestCounts();
  }

  /** Global 429s the stand-in answered because the bot's requests, from every process, went over 50 a second. */
  globalRateLimitCount(): number {
    return this.router.globalRateLimitCount();
  }

  interactionLatencies(): InteractionLatency[] {
    return [...this.interactionsStore.all.values()].map((r) => ({
      interactionId: r.id,
      dispatchedAt: r.dispatchedAt,
      respondedAt: r.respondedAt,
    }));
  }

  /** The raw API payload of a message, as the bot would fetch it. */
  rawMessage(messageId: string): Json | undefined {
    const m = this.core.world.messages.get(messageId);
    return m ? messagePayload(this.core.world, m) : undefined;
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private async settled(record: InteractionRecord): Promise<InteractionHandle> {
    await record.settled;
    return new InteractionHandle(this.core.world, record, this.opts.interactionTimeoutMs);
  }

  private newUser(username: string, globalName?: string, id = this.core.ids.next()): { id: string; username: string } {
    this.core.world.users.set(id, { id, username, globalName: globalName ?? null, bot: false });
    return { id, username };
  }

  private requireGuild(guildId: string): { botRoleId: string } {
    const guild = this.core.world.guilds.get(guildId);
    if (!guild || guild.deleted) throw new Error(`Unknown guild ${guildId}`);
    return guild;
  }

  private requireChannel(channelId: string): ChannelRecord {
    const channel = this.core.world.channels.get(channelId);
    if (!channel || channel.deleted) throw new Error(`Unknown channel ${channelId}`);
    return channel;
  }

  private requireMessage(messageId: string): MessageRecord {
    const message = this.core.world.messages.get(messageId);
    if (!message || message.deleted) throw new Error(`Unknown message ${messageId}`);
    return message;
  }

  private requireMemberCanUse(channel: ChannelRecord, userId: string): void {
    if (!this.core.world.member(channel.guildId, userId)) throw new Error(`User ${userId} is not a member of guild ${channel.guildId}`);
    const perms = this.core.permissionsIn(channel, userId);
    if (!hasAll(perms, P.ViewChannel)) throw new Error(`User ${userId} cannot see #${channel.name}`);
  }

  private prepareCommand(input: CommandInput, focused?: string) {
    const channel = this.requireChannel(input.channelId);
    if (input.guildId !== undefined && input.guildId !== channel.guildId) {
      throw new Error(`Channel ${channel.id} is not in guild ${input.guildId}`);
    }
    this.requireMemberCanUse(channel, input.userId);
    if (!hasAll(this.core.permissionsIn(channel, input.userId), P.UseApplicationCommands)) {
      throw new Error(`User ${input.userId} may not use application commands in #${channel.name}`);
    }
    const command = this.commandStore.find(channel.guildId, input.command);
    if (!command) {
      const known = this.commandStore.registeredNames(channel.guildId);
      throw new Error(`/${input.command} is not registered (registered: ${known.length > 0 ? known.join(', ') : 'none'})`);
    }
    const hidden = CommandStore.hiddenReason(command, this.core.guildPermissions(channel.guildId, input.userId));
    if (hidden !== null) throw new Error(`User ${input.userId} cannot see /${command.name}: ${hidden}`);
    const built = buildCommandOptions({
      command,
      ...(input.group !== undefined ? { group: input.group } : {}),
      ...(input.subcommand !== undefined ? { subcommand: input.subcommand } : {}),
      values: input.options ?? {},
      ...(focused !== undefined ? { focused } : {}),
      resolvers: {
        attachment: (file: FileOption) => this.uploadOptionFile(channel, file),
        user: (id) => {
          const user = this.core.world.users.get(id);
          if (!user) return undefined;
          const member = this.core.world.member(channel.guildId, id);
          if (!member) return { user: userPayload(user) };
          const { user: _u, ...rest } = memberPayload(this.core.world, member);
          return { user: userPayload(user), member: { ...rest, permissions: this.core.permissionsIn(channel, id).toString() } };
        },
        channel: (id) => {
          const c = this.core.world.channels.get(id);
          if (!c || c.deleted || c.guildId !== channel.guildId) return undefined;
          const p = channelPayload(c);
          return {
            id: c.id, name: c.name, type: c.type, parent_id: c.parentId,
            permissions: this.core.permissionsIn(c, input.userId).toString(),
            ...(p['thread_metadata'] ? { thread_metadata: p['thread_metadata'] } : {}),
          };
        },
        role: (id) => {
          const r = this.core.world.roles.get(id);
          return r && r.guildId === channel.guildId ? rolePayload(r) : undefined;
        },
      },
    });
    return { channel, command, built };
  }

  private uploadOptionFile(channel: ChannelRecord, file: FileOption): Json {
    const data = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : Buffer.from(file.content);
    const contentType = file.contentType ?? guessContentType(file.name);
    const record = this.core.storeAttachment(channel.id, { filename: file.name, contentType, data });
    return {
      id: record.id, filename: record.filename, size: record.size, url: record.url, proxy_url: record.url,
      content_type: record.contentType, ephemeral: true,
    };
  }

  private prepareComponent(userId: string, messageId: string, customId: string) {
    const message = this.requireMessage(messageId);
    const channel = this.requireChannel(message.channelId);
    this.requireMemberCanUse(channel, userId);
    if (message.visibleTo !== null && message.visibleTo !== userId) {
      throw new Error(`Message ${messageId} is ephemeral and only visible to ${message.visibleTo}`);
    }
    const component = findComponent(message.components, customId);
    if (!component) throw new Error(`Message ${messageId} has no component "${customId}" (has: ${listCustomIds(message.components).join(', ') || 'none'})`);
    if (component['disabled'] === true) throw new Error(`Component "${customId}" is disabled`);
    return { message, channel, component };
  }
}

function shardMatches(guildId: string, shard: [number, number]): boolean {
  return Number((BigInt(guildId) >> 22n) % BigInt(shard[1])) === shard[0];
}

function findComponent(components: unknown, customId: string): Json | undefined {
  if (!Array.isArray(components)) return undefined;
  for (const c of components as Json[]) {
    if (c['custom_id'] === customId) return c;
    const nested = findComponent(c['components'], customId) ?? (c['accessory'] ? findComponent([c['accessory']], customId) : undefined);
    if (nested) return nested;
  }
  return undefined;
}

function listCustomIds(components: unknown): string[] {
  if (!Array.isArray(components)) return [];
  return (components as Json[]).flatMap((c) => [
    ...(typeof c['custom_id'] === 'string' ? [c['custom_id']] : []),
    ...listCustomIds(c['components']),
    ...(c['accessory'] ? listCustomIds([c['accessory']]) : []),
  ]);
}

/** The components of a modal submission, mirroring the modal's layout (action rows or labels). */
function modalSubmission(layout: Json[], fields: Record<string, string>, modalId: string): Json[] {
  const known = new Set<string>();
  const textValue = (input: Json): Json => {
    const id = String(input['custom_id']);
    known.add(id);
    const value = fields[id] ?? '';
    const required = input['required'] !== false;
    if (required && value.length === 0) throw new Error(`Modal "${modalId}": field "${id}" is required`);
    const min = typeof input['min_length'] === 'number' ? input['min_length'] : 0;
    const max = typeof input['max_length'] === 'number' ? input['max_length'] : 4000;
    if (value.length > 0 && (value.length < min || value.length > max)) {
      throw new Error(`Modal "${modalId}": field "${id}" must be ${min}..${max} characters`);
    }
    return { type: 4, custom_id: id, value, ...(input['id'] !== undefined ? { id: input['id'] } : {}) };
  };
  const out = layout.flatMap((c): Json[] => {
    if (c['type'] === 1) {
      const inner = (Array.isArray(c['components']) ? c['components'] : []) as Json[];
      return [{ type: 1, components: inner.filter((i) => i['type'] === 4).map(textValue) }];
    }
    if (c['type'] === 18) {
      const inner = c['component'] as Json | undefined;
      if (inner?.['type'] !== 4) return [];
      return [{ type: 18, ...(c['id'] !== undefined ? { id: c['id'] } : {}), component: textValue(inner) }];
    }
    return [];
  });
  for (const name of Object.keys(fields)) {
    if (!known.has(name)) throw new Error(`Modal "${modalId}" has no text input "${name}" (has: ${[...known].join(', ')})`);
  }
  return out;
}

function guessContentType(name: string): string {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  const types: Record<string, string> = {
    yaml: 'application/x-yaml', yml: 'application/x-yaml', json: 'application/json', txt: 'text/plain; charset=utf-8',
    csv: 'text/csv', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', md: 'text/markdown',
  };
  return types[ext] ?? 'application/octet-stream';
}

async function serveHttp(core: Core, router: RestRouter<RouteDeps>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', core.baseUrl || 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname.startsWith('/attachments/')) {
    const attachment = core.world.attachmentsByPath.get(url.pathname);
    if (!attachment) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': attachment.contentType, 'content-length': String(attachment.size) }).end(attachment.data);
    return;
  }
  try {
    await router.handle(req, res, url);
  } catch (err) {
    if (!res.headersSent) {
      const status = err instanceof ApiError ? err.status : 500;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message: String(err), code: 0 }));
    }
  }
}
