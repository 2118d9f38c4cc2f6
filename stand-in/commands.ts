import { invalidFormBody, unknownCommand, type FieldProblem } from './api-error.js';
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

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function optionProblems(options: unknown, path: string, depth: number): FieldProblem[] {
  if (options === undefined || options === null) return [];
  if (!Array.isArray(options)) return [{ path, code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  const problems: FieldProblem[] = [];
  if (options.length > 25) problems.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((raw, i) => {
    const o = (raw ?? {}) as Json;
    const at = `${path}.${i}`;
    const name = o['name'];
    if (typeof name !== 'string' || !NAME.test(name) || name !== name.toLowerCase()) {
      problems.push({ path: `${at}.name`, code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
    } else if (names.has(name)) {
      problems.push({ path: `${at}.name`, code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', message: 'Option names must be unique' });
    } else names.add(name);
    const description = o['description'];
    if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
      problems.push({ path: `${at}.description`, code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
    }
    const type = o['type'];
    if (type === 1 || type === 2) {
      if (depth >= 2 || (type === 2 && depth >= 1)) {
        problems.push({ path: `${at}.type`, code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Sub-commands cannot be nested this deep' });
      }
      problems.push(...optionProblems(o['options'], `${at}.options`, depth + 1));
      return;
    }
    if (o['required'] === true && sawOptional) {
      problems.push({ path: `${at}.required`, code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
    }
    if (o['required'] !== true) sawOptional = true;
    if (Array.isArray(o['choices']) && o['choices'].length > 25) {
      problems.push({ path: `${at}.choices`, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    }
    if (Array.isArray(o['choices']) && o['choices'].length > 0 && o['autocomplete'] === true) {
      problems.push({ path: `${at}.autocomplete`, code: 'APPLICATION_COMMAND_AUTOCOMPLETE_INVALID', message: 'Autocomplete cannot be used with choices' });
    }
  });
  return problems;
}

/** Validates one command as Discord does on registration, returning problems keyed by `prefix`. */
export function commandProblems(raw: Json, prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const type = typeof raw['type'] === 'number' ? raw['type'] : 1;
  const name = raw['name'];
  if (typeof name !== 'string' || (type === 1 && (!NAME.test(name) || name !== name.toLowerCase())) || name.length > 32 || name.length < 1) {
    problems.push({ path: `${prefix}name`, code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
  }
  const description = raw['description'];
  if (type === 1 && (typeof description !== 'string' || description.length < 1 || description.length > 100)) {
    problems.push({ path: `${prefix}description`, code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
  }
  problems.push(...optionProblems(raw['options'], `${prefix}options`, 0));
  return problems;
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
  overwrite(scope: string, raw: unknown): StoredCommand[] {
    if (!Array.isArray(raw)) throw invalidFormBody([{ path: '_', code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }]);
    const problems = raw.flatMap((c, i) => commandProblems((c ?? {}) as Json, `${i}.`));
    const seen = new Set<string>();
    raw.forEach((c, i) => {
      const key = `${(c as Json)['type'] ?? 1}:${String((c as Json)['name'])}`;
      if (seen.has(key)) problems.push({ path: `${i}.name`, code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Application command names must be unique' });
      seen.add(key);
    });
    if (problems.length > 0) throw invalidFormBody(problems);
    const previous = this.scopes.get(scope) ?? [];
    const next = raw.map((c) => this.store(scope, c as Json, previous));
    this.scopes.set(scope, next);
    return structuredClone(next);
  }

  create(scope: string, raw: Json): { command: StoredCommand; created: boolean } {
    const problems = commandProblems(raw, '');
    if (problems.length > 0) throw invalidFormBody(problems);
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
    const merged = { ...current, ...patch };
    const problems = commandProblems(merged, '');
    if (problems.length > 0) throw invalidFormBody(problems);
    const command = this.store(scope, merged, list);
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
