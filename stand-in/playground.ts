// `npm run playground`: the real bot against the local Discord stand-in, on an embedded database, driven from
// the terminal. Interactive on a terminal; with piped input it runs the script, prints the transcript and exits
// (non-zero, with a one-line reason, on an unknown command or a failed step).
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { projectPath } from '../src/util/project-root.js';
import { HELP_TEXT, parseLine, PlaygroundInputError } from './playground-commands.js';
import { PlaygroundSession, StepFailedError } from './playground-session.js';

const USAGE =
  'Usage: npm run playground [-- --data-dir <path>] [-- --fresh]   (pipe a script in, or type commands; "help" lists them). ' +
  'A second run on the same directory continues the same server; --fresh starts over.';

function parseArgs(argv: string[]): { dataDir: string; fresh: boolean } | { help: true } {
  let dataDir = projectPath('.data', 'playground');
  let fresh = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--fresh') fresh = true;
    else if (arg === '--data-dir' && argv[i + 1] !== undefined) dataDir = resolve(argv[++i]!);
    else if (arg.startsWith('--data-dir=')) dataDir = resolve(arg.slice('--data-dir='.length));
    else throw new PlaygroundInputError(`Unknown argument "${arg}". ${USAGE}`);
  }
  return { dataDir, fresh };
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function reason(error: unknown): string {
  if (error instanceof PlaygroundInputError || error instanceof StepFailedError) return error.message;
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

/** Piped input: echo each command, show what happened; stop at the first problem. */
async function runScript(session: PlaygroundSession): Promise<number> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    print(`> ${trimmed}`);
    try {
      const command = parseLine(trimmed)!;
      if (command.kind === 'quit') break;
      print(`${await session.run(command)}\n`);
    } catch (error) {
      process.stderr.write(`playground: line ${lineNo}: ${reason(error)}\n`);
      return 1;
    }
  }
  return 0;
}

/** A terminal: a prompt with the acting member's name; problems are shown and the session goes on. */
async function runInteractive(session: PlaygroundSession): Promise<number> {
  const lines = createInterface({ input: process.stdin, output: process.stdout, prompt: `${session.actorName}> ` });
  lines.on('SIGINT', () => lines.close());
  lines.prompt();
  for await (const line of lines) {
    try {
      const command = parseLine(line);
      if (command?.kind === 'quit') break;
      if (command) print(`${await session.run(command)}\n`);
    } catch (error) {
      print(`! ${reason(error)}\n`);
    }
    lines.setPrompt(`${session.actorName}> `);
    lines.prompt();
  }
  lines.close();
  return 0;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`playground: ${reason(error)}\n`);
    return 2;
  }
  if ('help' in args) {
    print(`${USAGE}\n\n${HELP_TEXT}`);
    return 0;
  }
  const interactive = process.stdin.isTTY === true;
  let session: PlaygroundSession;
  try {
    // --fresh: the server, its members and every score of the last run go; a new directory does the same.
    if (args.fresh) rmSync(args.dataDir, { recursive: true, force: true });
    session = await PlaygroundSession.start({ dataDir: args.dataDir });
  } catch (error) {
    process.stderr.write(`playground: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  print(`DS9 bot playground. ${session.describeWhere()}`);
  print(`Bot logs: ${resolve(args.dataDir, 'bot.log')}. ${interactive ? 'Type help for the commands, quit to leave.' : ''}\n`.replace(/ \n$/, '\n'));
  let code = 1;
  const stop = () => void session.close().finally(() => process.exit(130));
  process.once('SIGTERM', stop);
  try {
    code = interactive ? await runInteractive(session) : await runScript(session);
  } finally {
    process.off('SIGTERM', stop);
    await session.close();
  }
  return code;
}

const code = await main();
process.exitCode = code;
// Anything left holding the event loop (a stray socket) must not keep a finished playground alive.
setTimeout(() => process.exit(code), 2_000).unref();
