import { unknownCommand } from './api-error.js';
import type { SnowflakeFactory } from './snowflake.js';

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
      nsfw: raw['nsfw'] === true,
      version: this.ids.next(),
      ...(Array.isArray(raw['options']) ? { options: structuredClone(raw['options'] as Json[]) } : {}),
    };
  }
}
