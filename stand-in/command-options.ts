import type { StoredCommand } from './commands.js';

type Json = Record<string, unknown>;

/** A file given as a slash command attachment option. */
export interface FileOption {
  name: string;
  content: string | Uint8Array;
  contentType?: string;
}

export type OptionInput = string | number | boolean | FileOption;

export interface OptionResolvers {
  attachment: (file: FileOption) => Json;
  user: (id: string) => { user: Json; member?: Json } | undefined;
  channel: (id: string) => Json | undefined;
  role: (id: string) => Json | undefined;
}

export interface BuiltOptions {
  options: Json[];
  resolved: Json;
}

const TYPE_NAMES: Record<number, string> = {
  3: 'string', 4: 'integer', 5: 'boolean', 6: 'user', 7: 'channel', 8: 'role', 9: 'mentionable', 10: 'number', 11: 'attachment',
};

function isFile(v: OptionInput): v is FileOption {
  return typeof v === 'object' && v !== null && 'name' in v && 'content' in v;
}

/**
 * Turns `{ questions: 2, file: { name, content } }` into the interaction's `data.options` / `data.resolved`,
 * checking it against the registered command the way the Discord client would before sending it.
 */
export function buildCommandOptions(input: {
  command: StoredCommand;
  group?: string;
  subcommand?: string;
  values: Record<string, OptionInput>;
  resolvers: OptionResolvers;
  /** for autocomplete: the option being typed (its value is sent as a partial string, unchecked) */
  focused?: string;
}): BuiltOptions {
  const { command } = input;
  const label = `/${command.name}`;
  let defs = (command.options ?? []) as Json[];
  const wrap: ((inner: Json[]) => Json[])[] = [];
  const hasSubcommands = defs.some((d) => d['type'] === 1 || d['type'] === 2);
  if (input.group !== undefined) {
    const group = defs.find((d) => d['type'] === 2 && d['name'] === input.group);
    if (!group) throw new Error(`${label} has no subcommand group "${input.group}"`);
    defs = (group['options'] ?? []) as Json[];
    wrap.push((inner) => [{ type: 2, name: input.group, options: inner }]);
  }
  if (input.subcommand !== undefined) {
    const sub = defs.find((d) => d['type'] === 1 && d['name'] === input.subcommand);
    if (!sub) throw new Error(`${label} has no subcommand "${input.subcommand}"${input.group ? ` in group "${input.group}"` : ''}`);
    defs = (sub['options'] ?? []) as Json[];
    wrap.unshift((inner) => [{ type: 1, name: input.subcommand, options: inner }]);
  } else if (hasSubcommands) {
    const names = defs.map((d) => String(d['name'])).join(', ');
    throw new Error(`${label} needs a subcommand (one of: ${names})`);
  }

  const resolved: Record<string, Record<string, Json>> = {};
  const addResolved = (kind: string, id: string, value: Json): void => {
    resolved[kind] = { ...(resolved[kind] ?? {}), [id]: value };
  };
  const options: Json[] = [];
  for (const [name, value] of Object.entries(input.values)) {
    const def = defs.find((d) => d['name'] === name);
    if (!def) {
      const known = defs.map((d) => String(d['name'])).join(', ') || 'none';
      throw new Error(`${label} has no option "${name}" (options: ${known})`);
    }
    const type = Number(def['type']);
    if (name === input.focused) {
      options.push({ type, name, value: String(isFile(value) ? value.name : value), focused: true });
      continue;
    }
    options.push({ type, name, value: convert(label, def, type, value, input.resolvers, addResolved) });
  }
  if (input.focused === undefined) {
    for (const def of defs) {
      if (def['required'] === true && !(String(def['name']) in input.values)) {
        throw new Error(`${label}: required option "${String(def['name'])}" is missing`);
      }
    }
  } else if (!(input.focused in input.values)) {
    throw new Error(`${label}: the focused option "${input.focused}" needs a value (the partial text)`);
  }
  const nested = wrap.reduce((inner, fn) => fn(inner), options);
  return { options: nested, resolved };
}

function convert(
  label: string,
  def: Json,
  type: number,
  value: OptionInput,
  resolvers: OptionResolvers,
  addResolved: (kind: string, id: string, value: Json) => void,
): string | number | boolean {
  const name = String(def['name']);
  const wrong = (): Error => new Error(`${label}: option "${name}" expects a ${TYPE_NAMES[type] ?? `type ${type}`} value, got ${JSON.stringify(value)}`);
  const choices = Array.isArray(def['choices']) ? (def['choices'] as Json[]) : undefined;
  const checkChoice = (v: unknown): void => {
    if (choices && choices.length > 0 && !choices.some((c) => c['value'] === v)) {
      throw new Error(`${label}: option "${name}" must be one of ${choices.map((c) => JSON.stringify(c['value'])).join(', ')}`);
    }
  };
  switch (type) {
    case 3: {
      if (typeof value !== 'string') throw wrong();
      const min = typeof def['min_length'] === 'number' ? def['min_length'] : 0;
      const max = typeof def['max_length'] === 'number' ? def['max_length'] : 6000;
      if (value.length < min || value.length > max) throw new Error(`${label}: option "${name}" length must be within ${min}..${max}`);
      checkChoice(value);
      return value;
    }
    case 4:
    case 10: {
      if (typeof value !== 'number' || (type === 4 && !Number.isInteger(value))) throw wrong();
      if (typeof def['min_value'] === 'number' && value < def['min_value']) throw new Error(`${label}: option "${name}" must be >= ${def['min_value']}`);
      if (typeof def['max_value'] === 'number' && value > def['max_value']) throw new Error(`${label}: option "${name}" must be <= ${def['max_value']}`);
      checkChoice(value);
      return value;
    }
    case 5:
      if (typeof value !== 'boolean') throw wrong();
      return value;
    case 6:
    case 9: {
      if (typeof value !== 'string') throw wrong();
      const user = resolvers.user(value);
      if (user) {
        addResolved('users', value, user.user);
        if (user.member) addResolved('members', value, user.member);
        return value;
      }
      const role = type === 9 ? resolvers.role(value) : undefined;
      if (role) {
        addResolved('roles', value, role);
        return value;
      }
      throw new Error(`${label}: option "${name}": unknown user ${value}`);
    }
    case 7: {
      if (typeof value !== 'string') throw wrong();
      const channel = resolvers.channel(value);
      if (!channel) throw new Error(`${label}: option "${name}": unknown channel ${value}`);
      const allowed = def['channel_types'];
      if (Array.isArray(allowed) && allowed.length > 0 && !allowed.includes(channel['type'])) {
        throw new Error(`${label}: option "${name}" only accepts channel types ${allowed.join(', ')}`);
      }
      addResolved('channels', value, channel);
      return value;
    }
    case 8: {
      if (typeof value !== 'string') throw wrong();
      const role = resolvers.role(value);
      if (!role) throw new Error(`${label}: option "${name}": unknown role ${value}`);
      addResolved('roles', value, role);
      return value;
    }
    case 11: {
      if (!isFile(value)) throw wrong();
      const attachment = resolvers.attachment(value);
      const id = String(attachment['id']);
      addResolved('attachments', id, attachment);
      return id;
    }
    default:
      throw new Error(`${label}: option "${name}" has unsupported type ${type}`);
  }
}
