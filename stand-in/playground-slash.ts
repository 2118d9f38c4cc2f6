// Maps a typed slash command onto the registered command definitions: which words are the subcommand group
// and subcommand, and how each `name:value` becomes a typed option (numbers, booleans, members, channels, files).
import { basename } from 'node:path';
import type { FileOption, OptionInput } from './command-options.js';
import { PlaygroundInputError } from './playground-commands.js';

type Json = Record<string, unknown>;

export interface SlashRequest {
  command: string;
  group?: string;
  subcommand?: string;
  options: Record<string, OptionInput>;
}

/** How names typed by the user become ids and files. Each returns undefined when there is no such thing. */
export interface OptionLookups {
  member(name: string): string | undefined;
  channel(name: string): string | undefined;
  role(name: string): string | undefined;
  readFile(path: string): Uint8Array;
}

const SUBCOMMAND = 1;
const GROUP = 2;

function optionsOf(def: Json): Json[] {
  return Array.isArray(def['options']) ? (def['options'] as Json[]) : [];
}

function namesOf(defs: Json[]): string {
  return defs.map((d) => String(d['name'])).join(', ');
}

export function resolveSlash(
  typed: { command: string; words: string[]; options: Record<string, string> },
  registered: Json[],
  lookups: OptionLookups,
): SlashRequest {
  const command = registered.find((c) => c['name'] === typed.command && (c['type'] ?? 1) === 1);
  if (!command) {
    throw new PlaygroundInputError(`There is no /${typed.command} command (registered: ${namesOf(registered) || 'none'}).`);
  }
  const label = `/${typed.command}`;
  const words = [...typed.words];
  let defs = optionsOf(command);
  const request: SlashRequest = { command: typed.command, options: {} };
  const next = (): string | undefined => words.shift();
  if (defs.some((d) => d['type'] === SUBCOMMAND || d['type'] === GROUP)) {
    const word = next();
    const picked = defs.find((d) => (d['type'] === SUBCOMMAND || d['type'] === GROUP) && d['name'] === word);
    if (!picked) {
      throw new PlaygroundInputError(
        word === undefined ? `${label} needs a subcommand: ${namesOf(defs)}` : `${label} has no subcommand "${word}" (try: ${namesOf(defs)})`,
      );
    }
    if (picked['type'] === GROUP) {
      request.group = String(picked['name']);
      const subs = optionsOf(picked);
      const subWord = next();
      const sub = subs.find((d) => d['type'] === SUBCOMMAND && d['name'] === subWord);
      if (!sub) {
        const what = subWord === undefined ? 'needs one of' : `has no "${subWord}"; try`;
        throw new PlaygroundInputError(`${label} ${request.group} ${what}: ${namesOf(subs)}`);
      }
      request.subcommand = String(sub['name']);
      defs = optionsOf(sub);
    } else {
      request.subcommand = String(picked['name']);
      defs = optionsOf(picked);
    }
  }
  if (words.length > 0) {
    throw new PlaygroundInputError(`Unexpected "${words.join(' ')}" after ${[label, request.group, request.subcommand].filter(Boolean).join(' ')}: write options as name:value.`);
  }
  for (const [name, raw] of Object.entries(typed.options)) {
    const def = defs.find((d) => d['name'] === name);
    if (!def) {
      const where = [label, request.group, request.subcommand].filter(Boolean).join(' ');
      throw new PlaygroundInputError(`${where} has no option "${name}" (options: ${namesOf(defs) || 'none'})`);
    }
    request.options[name] = chosen(def, raw) ?? convertOption(name, Number(def['type']), raw, lookups);
  }
  return request;
}

/** An option with choices takes the choice's name as Discord's picker shows it ("day:friday" for the value 5). */
function chosen(def: Json, raw: string): OptionInput | undefined {
  const choices = Array.isArray(def['choices']) ? (def['choices'] as Json[]) : [];
  const match = choices.find((c) => String(c['name']).toLowerCase() === raw.toLowerCase());
  return match === undefined ? undefined : (match['value'] as OptionInput);
}

function convertOption(name: string, type: number, raw: string, lookups: OptionLookups): OptionInput {
  const fail = (expected: string): never => {
    throw new PlaygroundInputError(`Option "${name}" needs ${expected}, not "${raw}".`);
  };
  switch (type) {
    case 4:
      return /^-?\d+$/.test(raw) ? Number(raw) : fail('a whole number');
    case 10:
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : fail('a number');
    case 5: {
      const word = raw.toLowerCase();
      if (['true', 'yes', 'on'].includes(word)) return true;
      if (['false', 'no', 'off'].includes(word)) return false;
      return fail('true or false');
    }
    case 6:
      return idFrom(raw, /^<@!?(\d+)>$/, lookups.member) ?? fail('a member name (one you have acted as, e.g. member:kira)');
    case 7:
      return idFrom(raw, /^<#(\d+)>$/, lookups.channel) ?? fail('a channel, e.g. channel:#ops');
    case 8:
      return idFrom(raw, /^<@&(\d+)>$/, lookups.role) ?? fail('a role name');
    case 9:
      return idFrom(raw, /^<@!?(\d+)>$/, lookups.member) ?? idFrom(raw, /^<@&(\d+)>$/, lookups.role) ?? fail('a member or role name');
    case 11:
      return readAttachment(raw, lookups);
    default:
      return raw;
  }
}

function idFrom(raw: string, mention: RegExp, byName: (name: string) => string | undefined): string | undefined {
  const mentioned = mention.exec(raw)?.[1];
  if (mentioned) return mentioned;
  if (/^\d{17,20}$/.test(raw)) return raw;
  return byName(raw.replace(/^[@#]/, '').toLowerCase());
}

function readAttachment(raw: string, lookups: OptionLookups): FileOption {
  const path = raw.replace(/^@/, '');
  if (path === '') throw new PlaygroundInputError('Attach a file as file:@path/to/file.yaml');
  try {
    return { name: basename(path), content: lookups.readFile(path) };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new PlaygroundInputError(`Cannot attach "${path}": ${reason}.`);
  }
}
