import { PermissionFlagsBits as P } from 'discord.js';
import { unknownCommand } from './api-error.js';
import { hasAll } from './permissions.js';
import type { SnowflakeFactory } from './snowflake.js';

/** Where a command may be used (`contexts`): 0 a server, 1 the bot's DM, 2 other DMs and group DMs. */
export const InteractionContext = { Guild: 0, BotDM: 1, PrivateChannel: 2 } as const;
/** How the app is installed (`integration_types`): 0 to a server, 1 to a user. The stand-in's bot is installed to its servers. */
export const IntegrationType = { GuildInstall: 0, UserInstall: 1 } as const;

type Json = Record<string, unknown>;

export interface StoredCommand extends Json {
  id: string;
  application_id: string;
  guild_id?: string;
  name: string;
  type: number;
  description: string;
  options?: Json[];
  default_member_permissions: string | null;
  /** null: every context the app's installation allows (Discord's default) */
  contexts: number[] | null;
  integration_types: number[];
  version: string;
}

/** Registered application commands, global (`scope` = 'global') or per guild. */
export class CommandStore {
  private readonly scopes = new Map<string, StoredCommand[]>();

  constructor(
    private readonly ids: SnowflakeFactory,
    private readonly applicationId: string,
  ) {}

  list(scope: string): StoredCommand[] {
    return structuredClone(this.scopes.get(scope) ?? []);
  }

  /** PUT: bulk overwrite. Commands keep their id when a command with the same name and type existed. */
  overwrite(scope: string, raw: Json[]): StoredCommand[] {
    const previous = this.scopes.get(scope) ?? [];
    const next = raw.map((c) => this.store(scope, c, previous));
    this.scopes.set(scope, next);
    return structuredClone(next);
  }

  create(scope: string, raw: Json): { command: StoredCommand; created: boolean } {
    const list = this.scopes.get(scope) ?? [];
    const type = typeof raw['type'] === 'number' ? raw['type'] : 1;
    const index = list.findIndex((c) => c.name === raw['name'] && c.type === type);
    const command = this.store(scope, raw, list);
    if (index >= 0) list[index] = command;
    else list.push(command);
    this.scopes.set(scope, list);
    return { command: structuredClone(command), created: index < 0 };
  }

  get(scope: string, id: string): StoredCommand {
    const found = (this.scopes.get(scope) ?? []).find((c) => c.id === id);
    if (!found) throw unknownCommand();
    return structuredClone(found);
  }

  edit(scope: string, id: string, patch: Json): StoredCommand {
    const list = this.scopes.get(scope) ?? [];
    const index = list.findIndex((c) => c.id === id);
    const current = list[index];
    if (!current) throw unknownCommand();
    const command = this.store(scope, { ...current, ...patch }, list);
    list[index] = command;
    return structuredClone(command);
  }

  remove(scope: string, id: string): void {
    const list = this.scopes.get(scope) ?? [];
    const index = list.findIndex((c) => c.id === id);
    if (index < 0) throw unknownCommand();
    list.splice(index, 1);
  }

  /** The command a member would see in a guild: guild commands shadow global ones of the same name. */
  find(guildId: string, name: string, type = 1): StoredCommand | undefined {
    const match = (c: StoredCommand): boolean => c.name === name && c.type === type;
    return (this.scopes.get(guildId) ?? []).find(match) ?? (this.scopes.get('global') ?? []).find(match);
  }

  /**
   * Why a member of a server cannot see or use this command there, or null when they can. Discord shows a
   * command in a server only when its `contexts` include servers and its `integration_types` the server
   * install; with `default_member_permissions` only to members holding all those permissions in the server
   * ("0": nobody but administrators); the server owner and administrators always see it.
   */
  static hiddenReason(command: StoredCommand, memberGuildPermissions: bigint): string | null {
    if (command.contexts !== null && !command.contexts.includes(InteractionContext.Guild)) {
      return `it is not offered in servers (contexts ${JSON.stringify(command.contexts)})`;
    }
    if (!command.integration_types.includes(IntegrationType.GuildInstall)) {
      return `it is not offered to server installs (integration_types ${JSON.stringify(command.integration_types)})`;
    }
    if (command.default_member_permissions === null || hasAll(memberGuildPermissions, P.Administrator)) return null;
    const needed = BigInt(command.default_member_permissions);
    if (needed === 0n) return `it is for administrators only (default_member_permissions 0)`;
    if (!hasAll(memberGuildPermissions, needed)) return `it needs permissions the member lacks (default_member_permissions ${needed})`;
    return null;
  }

  registeredNames(guildId: string): string[] {
    return [...(this.scopes.get(guildId) ?? []), ...(this.scopes.get('global') ?? [])].map((c) => c.name);
  }

  private store(scope: string, raw: Json, previous: StoredCommand[]): StoredCommand {
    const type = typeof raw['type'] === 'number' ? raw['type'] : 1;
    const existing = previous.find((c) => c.name === raw['name'] && c.type === type);
    const dmp = raw['default_member_permissions'];
    return {
      ...structuredClone(raw),
      id: existing?.id ?? this.ids.next(),
      application_id: this.applicationId,
      ...(scope === 'global' ? {} : { guild_id: scope }),
      name: String(raw['name']),
      type,
      description: typeof raw['description'] === 'string' ? raw['description'] : '',
      default_member_permissions: dmp === undefined || dmp === null ? null : String(dmp),
      dm_permission: raw['dm_permission'] !== false,
      contexts: Array.isArray(raw['contexts']) ? [...(raw['contexts'] as number[])] : null,
      integration_types: Array.isArray(raw['integration_types']) ? [...(raw['integration_types'] as number[])] : [IntegrationType.GuildInstall],
      nsfw: raw['nsfw'] === true,
      version: this.ids.next(),
      ...(Array.isArray(raw['options']) ? { options: structuredClone(raw['options'] as Json[]) } : {}),
    };
  }
}
