// Parses what a user types into the playground into commands. Pure: no stand-in, no bot.

export type PlaygroundCommand =
  | { kind: 'as'; name: string }
  | SlashLine
  | { kind: 'click'; target: string }
  | { kind: 'modal'; fields: Record<string, string>; text: string | undefined }
  | { kind: 'wait'; ms: number }
  | { kind: 'suggest'; slash: SlashLine }
  | { kind: 'timezone'; zone: string | undefined }
  | { kind: 'threads' }
  | { kind: 'events' }
  | { kind: 'open'; target: string }
  | { kind: 'channel'; name: string; channelKind?: PlaygroundChannelKind }
  | { kind: 'messages' }
  | { kind: 'help' }
  | { kind: 'quit' };

/** A slash command as typed: `/trivia play questions:2` is command "trivia", words ["play"], options {questions: "2"}. */
export interface SlashLine {
  kind: 'slash';
  command: string;
  words: string[];
  options: Record<string, string>;
}

/** What `channel NAME KIND` makes: a text channel (the default), an announcement channel or a forum. */
export const PLAYGROUND_CHANNEL_KINDS = ['text', 'announcement', 'forum'] as const;
export type PlaygroundChannelKind = (typeof PLAYGROUND_CHANNEL_KINDS)[number];

/** The line could not be understood (unknown command, bad arguments). */
export class PlaygroundInputError extends Error {
  override name = 'PlaygroundInputError';
}

export const HELP_TEXT = [
  'Type what you would type in Discord:',
  '  as NAME                       act as member NAME (created on first use; "admin" can manage the server,',
  '                                "mod" can manage messages only, anyone else is a plain member)',
  '  /command sub key:value        a slash command, e.g. /trivia play questions:2 or /trivia stats member:kira',
  '                                quote values with spaces (name:"house rules"); files as file:@path/to/pack.yaml',
  '  click B                       press the button labelled B (or numbered B) on the newest message with it',
  '  modal answer="800 million"    fill in and submit the form the bot opened for you',
  '  suggest /command sub key:part  what the bot suggests as you type the last option, e.g. suggest /trivia play episode:chang',
  '  wait N                        let N seconds pass (also 5m, 2h); games move on',
  '  timezone ZONE                 show times as a member in ZONE would see them (e.g. timezone Europe/Berlin)',
  '  threads                       list threads; "open N" shows thread N and moves you into it',
  '  events                        the server\'s scheduled events (the rewatch\'s watch parties), soonest first',
  '  channel NAME                  go to channel #NAME (created if missing)',
  '  channel NAME forum            ... made as a forum (or: announcement); a rewatch posts there',
  '  messages                      show the current channel again',
  '  help                          this list',
  '  quit                          stop the bot and leave (end of input does the same)',
  'Lines starting with # are comments. A piped script stops at the first line that fails (exit code 1).',
  'The server and its members are kept in the data directory: run with -- --fresh to start over.',
].join('\n');

/** Splits on whitespace; double quotes group words (anywhere in a word: name:"two words") and `\"` escapes inside them. */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
        current += line[++i];
      } else if (ch === '"') {
        quoted = false;
      } else {
        current += ch;
      }
    } else if (ch === '"') {
      quoted = true;
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quoted) throw new PlaygroundInputError('A double quote is not closed.');
  if (inToken) tokens.push(current);
  return tokens;
}

const UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000 };
/** A simulated day at most: each simulated second is a tick of the bot. */
const MAX_WAIT_MS = 24 * 3_600_000;

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim().toLowerCase());
  if (!match) throw new PlaygroundInputError(`"${text}" is not a duration: use seconds (wait 6) or 5m, 2h.`);
  const ms = Math.round(Number(match[1]) * UNITS[match[2] ?? '']!);
  if (ms <= 0) throw new PlaygroundInputError('Wait for more than 0 seconds.');
  if (ms > MAX_WAIT_MS) throw new PlaygroundInputError('Wait at most 24h at a time.');
  return ms;
}

function one(args: string[], usage: string): string {
  if (args.length === 0) throw new PlaygroundInputError(`Usage: ${usage}`);
  return args.join(' ');
}

function none(args: string[], word: string): void {
  if (args.length > 0) throw new PlaygroundInputError(`"${word}" takes no arguments.`);
}

function parseSlash(tokens: string[]): SlashLine {
  const command = tokens[0]!.slice(1).toLowerCase();
  if (command.length === 0) throw new PlaygroundInputError('Type the command name right after the slash, e.g. /trivia play');
  const words: string[] = [];
  const options: Record<string, string> = {};
  for (const token of tokens.slice(1)) {
    const match = /^([\w-]+):(.*)$/s.exec(token);
    if (match) {
      const name = match[1]!.toLowerCase();
      if (name in options) throw new PlaygroundInputError(`Option "${name}" is given twice.`);
      options[name] = match[2]!;
    } else if (Object.keys(options).length > 0) {
      throw new PlaygroundInputError(`"${token}" is not an option: write options as name:value (quote values with spaces: name:"two words").`);
    } else {
      words.push(token.toLowerCase());
    }
  }
  return { kind: 'slash', command, words, options };
}

/** `suggest /trivia play episode:chang`: the slash command as typed so far; its last option is the one being typed. */
function parseSuggest(args: string[]): PlaygroundCommand {
  const usage = 'Usage: suggest /command sub option:what-you-typed, e.g. suggest /trivia play episode:chang';
  if (args.length === 0 || !args[0]!.startsWith('/')) throw new PlaygroundInputError(usage);
  const slash = parseSlash(args);
  if (Object.keys(slash.options).length === 0) throw new PlaygroundInputError(usage);
  return { kind: 'suggest', slash };
}

/** `channel NAME` or `channel NAME forum|announcement|text`. */
function parseChannel(args: string[]): PlaygroundCommand {
  const usage = `channel NAME (or: channel NAME ${PLAYGROUND_CHANNEL_KINDS.join('|')})`;
  if (args.length === 0 || args.length > 2) throw new PlaygroundInputError(`Usage: ${usage}`);
  const name = args[0]!.replace(/^#/, '').toLowerCase();
  if (args.length === 1) return { kind: 'channel', name };
  const kind = args[1]!.toLowerCase();
  if (!(PLAYGROUND_CHANNEL_KINDS as readonly string[]).includes(kind)) {
    throw new PlaygroundInputError(`"${args[1]}" is not a kind of channel: use ${PLAYGROUND_CHANNEL_KINDS.join(', ')}.`);
  }
  return { kind: 'channel', name, channelKind: kind as PlaygroundChannelKind };
}

function parseModal(args: string[]): PlaygroundCommand {
  const fields: Record<string, string> = {};
  const loose: string[] = [];
  for (const arg of args) {
    const match = /^([\w-]+)=(.*)$/s.exec(arg);
    if (match) fields[match[1]!] = match[2]!;
    else loose.push(arg);
  }
  if (loose.length > 0 && Object.keys(fields).length > 0) {
    throw new PlaygroundInputError('Give every field as name="value", or only a text for a one-field form.');
  }
  if (loose.length === 0 && Object.keys(fields).length === 0) throw new PlaygroundInputError('Usage: modal field="value" (or: modal some text)');
  return { kind: 'modal', fields, text: loose.length > 0 ? loose.join(' ') : undefined };
}

/** One typed line as a command; `undefined` for blank lines and # comments. */
export function parseLine(line: string): PlaygroundCommand | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const tokens = tokenize(trimmed);
  const head = tokens[0]!;
  if (head.startsWith('/')) return parseSlash(tokens);
  const word = head.toLowerCase();
  const args = tokens.slice(1);
  switch (word) {
    case 'as': {
      const name = one(args, 'as NAME').toLowerCase().replace(/^@/, '');
      if (!/^[a-z0-9_.]{2,32}$/.test(name)) throw new PlaygroundInputError('Member names use 2-32 letters, digits, "_" or ".", e.g. as kira');
      return { kind: 'as', name };
    }
    case 'click':
      return { kind: 'click', target: one(args, 'click LABEL (or click NUMBER)') };
    case 'modal':
      return parseModal(args);
    case 'wait':
      return { kind: 'wait', ms: parseDuration(one(args, 'wait SECONDS (e.g. wait 6, wait 5m)')) };
    case 'suggest':
      return parseSuggest(args);
    case 'timezone':
    case 'tz':
      return { kind: 'timezone', zone: args.length === 0 ? undefined : one(args, 'timezone ZONE') };
    case 'threads':
      none(args, word);
      return { kind: 'threads' };
    case 'events':
      none(args, word);
      return { kind: 'events' };
    case 'open':
      return { kind: 'open', target: one(args, 'open N (a number from "threads")') };
    case 'channel':
      return parseChannel(args);
    case 'messages':
      none(args, word);
      return { kind: 'messages' };
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'quit':
    case 'exit':
      none(args, word);
      return { kind: 'quit' };
    default:
      throw new PlaygroundInputError(`Unknown command "${head}". Type help for the list.`);
  }
}
