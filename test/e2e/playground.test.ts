import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { findProjectRoot, loadContent, type Question } from '../../src/content/index.js';
import { parseLine, PlaygroundInputError, tokenize } from '../../stand-in/playground-commands.js';
import { resolveSlash } from '../../stand-in/playground-slash.js';
import { duration, knownTimeZone, readable } from '../../stand-in/playground-view.js';
import { renderMessage } from '../../stand-in/render.js';
import type { VisibleMessage } from '../../stand-in/visible.js';
import { shownLetterOf } from './trivia-helpers.js';

const root = findProjectRoot();
const bank = loadContent().questions;
const dirs: string[] = [];
const running = new Set<Playground>();

/**
 * How long one playground may take to show what a step asked for. A start-up is about 3 s on a quiet machine and
 * 10-40 s with both cores busy; a step fails at once if the playground exits, so this only bounds a hang.
 */
const STEP_LIMIT_MS = 150_000;
/** A test's own limit: a few start-ups and steps on a busy machine. */
const RUN_LIMIT_MS = 240_000;

/**
 * A migrated PGlite data directory made once for this file: each playground starts from a copy, as a second run on
 * the same directory does, instead of each running PGlite's initdb and the migrations (about 3 s and 500 MB each).
 */
let template: string;
beforeAll(async () => {
  template = newDir('playground-template-');
  const database = await openDatabase({ kind: 'pglite', dir: join(template, 'db') });
  await database.close();
}, RUN_LIMIT_MS);

// Every path cleans up: playgrounds still running (a failed or timed-out test) are stopped before their folders go.
afterAll(async () => {
  await Promise.all([...running].map((p) => p.kill()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}, RUN_LIMIT_MS);

function newDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function newDataDir(): string {
  const dataDir = newDir('playground-');
  cpSync(join(template, 'db'), join(dataDir, 'db'), { recursive: true });
  return dataDir;
}

/** `npm run playground` with piped input, in its own data directory; the test reads its output as it comes. */
class Playground {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(readonly dataDir = newDataDir(), extraArgs: string[] = []) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'stand-in/playground.ts', '--data-dir', dataDir, ...extraArgs], { cwd: root });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
    running.add(this);
    void this.exited.then(() => running.delete(this));
  }

  /** Stops a playground a test left running, and waits until it has let go of its folder. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Types a line; returns where its output starts. */
  send(line: string): number {
    const at = this.stdout.length;
    this.child.stdin.write(`${line}\n`);
    return at;
  }

  /** Waits until the output after `from` matches. */
  async until(pattern: RegExp, from: number, timeoutMs = STEP_LIMIT_MS): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.stdout.slice(from));
      if (match) return match;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`No ${pattern} in the playground output:\n${this.stdout.slice(from)}\n--- stderr:\n${this.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sends a line and waits for its output to match. */
  async step(line: string, pattern: RegExp): Promise<RegExpExecArray> {
    return this.until(pattern, this.send(line));
  }

  async end(): Promise<number | null> {
    this.child.stdin.end();
    return this.exited;
  }
}

async function runScript(lines: string[], dataDir?: string, extraArgs: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const playground = new Playground(dataDir, extraArgs);
  for (const line of lines) playground.send(line);
  const code = await playground.end();
  return { code, stdout: playground.stdout, stderr: playground.stderr };
}

/** The bank question a "Question N of M" block in the transcript asks. */
function questionIn(block: string): Question {
  const matches = bank.filter((q) => block.includes(q.prompt)).sort((a, b) => b.prompt.length - a.prompt.length);
  expect(matches[0], `a bank question in:\n${block}`).toBeDefined();
  return matches[0]!;
}

/** Answers as the acting member, right or wrong, by the buttons (and the form for free text). */
async function answer(playground: Playground, block: string, question: Question, right: boolean): Promise<string> {
  const lockedIn = /Locked in[^\n]*\n(?:.*\n)*?.*\(only \w+ can see this\)/;
  if (question.type === 'free-text') {
    // The form shows the question, then its one field.
    const [form] = await playground.step('click Answer', /opened a form for you: Your answer\n\s+.+\n\s+answer: Your answer \(required\)\n\s+fill it in with: modal answer="\.\.\."/);
    expect(form).toContain(question.prompt.slice(0, 30));
    return (await playground.step(`modal answer="${right ? question.accepted[0] : 'not a clue'}"`, lockedIn))[0];
  }
  let label: string;
  if (question.type === 'multiple-choice') {
    const correct = shownLetterOf(block, question.answer).charCodeAt(0) - 65;
    label = String.fromCharCode(65 + (right ? correct : (correct + 1) % question.options.length));
  } else {
    label = question.answer === right ? 'True' : 'False';
  }
  return (await playground.step(`click ${label}`, lockedIn))[0];
}

const QUESTION_BLOCK = (n: number) => new RegExp(`Question ${n} of 2 · [^\\n]*\\n(?:.*\\n)*?\\s*\\[1 [^\\n]*\\n`);
const REVEAL_BLOCK = (n: number) => new RegExp(`Question ${n} of 2 · answer\\*\\*\\n(?:.*\\n)*?.*Answers: (\\d+) of (\\d+) right\\n`);

function pointsOf(reveal: string, member: string): number {
  const match = new RegExp(`@${member} \\+(\\d+)`).exec(reveal);
  return match ? Number(match[1]) : 0;
}

describe.concurrent('npm run playground (piped input)', () => {
  it('GIVEN two members playing a 2-question game THEN answers lock in, reveals score them and the leaderboard shows those points', async () => {
    const playground = new Playground();
    await playground.step('as kira', /You are kira\./);
    await playground.step('as quark', /quark joined Deep Space Nine\. You are quark\./);
    playground.send('as kira');
    const start = await playground.step('/trivia play questions:2', QUESTION_BLOCK(1));
    expect(playground.stdout).toContain('> /trivia play questions:2');
    expect(playground.stdout).toMatch(/ds9-bot \[bot\]: \*\*Trivia!\*\* @kira started a game of 2 questions/);
    // 20 seconds per question; the countdown is rendered against the wall clock, so a slow machine shows 19.
    expect(start[0]).toMatch(/Closes in (19|20) seconds/);
    let total = { kira: 0, quark: 0 };

    let block = start[0];
    for (const n of [1, 2]) {
      const question = questionIn(block);
      playground.send('as kira');
      expect(await answer(playground, block, question, true)).toContain('(only kira can see this)');
      playground.send('as quark');
      const quarkSaw = await answer(playground, block, question, false);
      expect(quarkSaw).toContain('(only quark can see this)');
      expect(quarkSaw).not.toContain('only kira');

      // A new message: the reveal, with question 2 under it (open 2 s longer, the playground's time to read the reveal).
      const from = playground.stdout.length;
      const reveal = await playground.step(n === 1 ? 'wait 20' : 'wait 22', REVEAL_BLOCK(n));
      expect(reveal[0]).toContain(`**Answer: `);
      if (n === 1) block = (await playground.until(QUESTION_BLOCK(2), from))[0];
      expect([reveal[1], reveal[2]]).toEqual(['1', '2']);
      expect(pointsOf(reveal[0], 'kira')).toBeGreaterThan(0);
      expect(reveal[0]).toMatch(/@kira \+\d+ \(first!\)/);
      expect(reveal[0]).not.toContain('@quark');
      total = { kira: total.kira + pointsOf(reveal[0], 'kira'), quark: total.quark + pointsOf(reveal[0], 'quark') };
    }
    await playground.until(/Final standings after 2 questions\./, 0);
    expect(playground.stdout).toMatch(new RegExp(`@kira: ${total.kira} points`));

    const board = await playground.step('/trivia leaderboard', /Trivia leaderboard: all time\*\*\n(?:.*\n)*?.*@kira: (\d+) points/);
    expect(Number(board[1])).toBe(total.kira);
    expect(board[0]).not.toContain('@quark');
    expect(await playground.end()).toBe(0);
    expect(playground.stderr).toBe('');
  }, RUN_LIMIT_MS);

  it('GIVEN a second run on the same data directory THEN the same server and members continue; --fresh starts over', async () => {
    const dataDir = newDataDir();
    const first = await runScript(['as admin', '/trivia settings seconds:30', 'as kira', 'channel quarks'], dataDir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Seconds per question: 30');
    const again = await runScript(['as admin', '/trivia settings', 'as kira', 'channel quarks'], dataDir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Seconds per question: 30');
    expect(again.stdout).toMatch(/> as kira\nYou are kira\./);
    expect(again.stdout).not.toContain('Created #quarks');
    const fresh = await runScript(['as admin', '/trivia settings'], dataDir, ['--fresh']);
    expect(fresh.stdout).toContain('Seconds per question: 20');
  }, 2 * RUN_LIMIT_MS); // three start-ups one after another

  it('GIVEN help in a script with comments and blank lines THEN it lists the commands, echoes only commands and exits 0', async () => {
    const { code, stdout, stderr } = await runScript(['# try the playground', '', 'help', 'quit', 'this line is never read']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('> help\n');
    expect(stdout).not.toContain('try the playground');
    for (const command of ['as NAME', '/command', 'click B', 'modal answer=', 'wait N', 'threads', 'open N', 'channel NAME', 'messages', 'quit']) {
      expect(stdout).toContain(command);
    }
    expect(stdout).not.toContain('never read');
  }, RUN_LIMIT_MS);

  it('GIVEN a moderator, a suggestion, a time zone and a minute passing THEN each reads as a member would see it', async () => {
    const { code, stdout, stderr } = await runScript([
      'as mod',
      '/trivia settings seconds:30',
      'suggest /trivia play episode:chang',
      'as admin',
      '/rewatch-thread setup channel:#ops day:friday time:20:00 timezone:Europe/Berlin',
      'timezone Europe/Berlin',
      '/rewatch-thread status',
      'wait 1m',
      'timezone Mars/Olympus_Mons',
    ]);
    expect(stdout).toContain('mod joined Deep Space Nine (Manage Messages only). You are mod.');
    expect(stdout).toMatch(/> \/trivia settings seconds:30\n[^\n]*Manage Server/);
    expect(stdout).toMatch(/> suggest \/trivia play episode:chang\nSuggestions for episode:\n {2}1\. 7x20 The Changing Face of Evil/);
    expect(stdout).toContain('Times show in Europe/Berlin now.');
    // The status after the zone change names Friday 8:00 PM in Berlin, as a member there reads it.
    const status = stdout.slice(stdout.indexOf('> /rewatch-thread status'));
    expect(status).toMatch(/Friday, [A-Z][a-z]+ \d+, \d{4} at 8:00 PM \(Europe\/Berlin\)/);
    expect(stdout).toContain('(1 minute passes)');
    // The bad zone is the one failing line: said in one line, exit code 1.
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('playground: line 9: "Mars/Olympus_Mons" is not a time zone: use a name such as Europe/Berlin or America/New_York.');
  }, RUN_LIMIT_MS);

  it('GIVEN an unknown command THEN it stops with a one-line message and a non-zero exit, running nothing after it', async () => {
    const { code, stdout, stderr } = await runScript(['as kira', 'beam me up', '/trivia play questions:1']);
    expect(code).not.toBe(0);
    expect(stderr.trim()).toBe('playground: line 2: Unknown command "beam". Type help for the list.');
    expect(stdout).not.toContain('Trivia!');
  }, RUN_LIMIT_MS);

  it('GIVEN a click on a button that is not there THEN the step fails with what buttons there are', async () => {
    const { code, stderr } = await runScript(['/trivia play questions:1', 'click Z']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/^playground: line 2: No button "Z" in #ops\. The newest buttons here: \[1 /);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  }, RUN_LIMIT_MS);
});

describe('reading playground lines', () => {
  it('GIVEN quotes anywhere in a word THEN they group words and are dropped', () => {
    expect(tokenize('/trivia pack add name:"house rules" file:@packs/x.yaml')).toEqual(['/trivia', 'pack', 'add', 'name:house rules', 'file:@packs/x.yaml']);
    expect(tokenize('modal answer="say \\"hi\\"" other=""')).toEqual(['modal', 'answer=say "hi"', 'other=']);
    expect(() => tokenize('modal answer="open')).toThrow(PlaygroundInputError);
  });

  it('GIVEN typed lines THEN they become commands; apostrophes stay as typed', () => {
    expect(parseLine('  # note')).toBeUndefined();
    expect(parseLine('')).toBeUndefined();
    expect(parseLine('As Kira')).toEqual({ kind: 'as', name: 'kira' });
    expect(parseLine('wait 6')).toEqual({ kind: 'wait', ms: 6000 });
    expect(parseLine('wait 1.5m')).toEqual({ kind: 'wait', ms: 90_000 });
    expect(parseLine('modal answer="800 million"')).toEqual({ kind: 'modal', fields: { answer: '800 million' }, text: undefined });
    expect(parseLine("modal Quark's bar")).toEqual({ kind: 'modal', fields: {}, text: "Quark's bar" });
    expect(parseLine('click Answer')).toEqual({ kind: 'click', target: 'Answer' });
    expect(parseLine('channel #Promenade')).toEqual({ kind: 'channel', name: 'promenade' });
    expect(parseLine('/Trivia Play questions:2')).toEqual({ kind: 'slash', command: 'trivia', words: ['play'], options: { questions: '2' } });
    expect(parseLine('suggest /trivia play episode:"changing f"')).toEqual({
      kind: 'suggest',
      slash: { kind: 'slash', command: 'trivia', words: ['play'], options: { episode: 'changing f' } },
    });
    expect(() => parseLine('suggest /trivia play')).toThrow(/Usage: suggest/);
    expect(() => parseLine('suggest trivia')).toThrow(/Usage: suggest/);
    expect(parseLine('timezone Europe/Berlin')).toEqual({ kind: 'timezone', zone: 'Europe/Berlin' });
    expect(parseLine('timezone')).toEqual({ kind: 'timezone', zone: undefined });
    expect(() => parseLine('wait soon')).toThrow(/not a duration/);
    expect(() => parseLine('/trivia play questions:2 extra')).toThrow(/not an option/);
    expect(() => parseLine('engage')).toThrow('Unknown command "engage". Type help for the list.');
  });

  const registered = [
    {
      name: 'trivia',
      type: 1,
      options: [
        { type: 1, name: 'play', options: [{ type: 4, name: 'questions' }] },
        { type: 1, name: 'stats', options: [{ type: 6, name: 'member' }] },
        { type: 1, name: 'schedule', options: [{ type: 4, name: 'day', choices: [{ name: 'Monday', value: 1 }, { name: 'Friday', value: 5 }] }] },
        { type: 1, name: 'settings', options: [{ type: 5, name: 'spoiler_guard' }, { type: 7, name: 'channel' }] },
        { type: 2, name: 'pack', options: [{ type: 1, name: 'add', options: [{ type: 11, name: 'file' }, { type: 3, name: 'name' }] }] },
      ],
    },
  ];
  const lookups = {
    member: (name: string) => (name === 'kira' ? '100000000000000001' : undefined),
    channel: (name: string) => (name === 'ops' ? '100000000000000002' : undefined),
    role: () => undefined,
    readFile: (path: string) => {
      if (path !== 'packs/house.yaml') throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return new TextEncoder().encode('questions: []');
    },
  };
  const slash = (line: string) => {
    const typed = parseLine(line);
    if (typed?.kind !== 'slash') throw new Error('not a slash command');
    return resolveSlash(typed, registered, lookups);
  };

  it('GIVEN the registered definitions THEN words become group and subcommand and values get their types', () => {
    expect(slash('/trivia play questions:2')).toEqual({ command: 'trivia', subcommand: 'play', options: { questions: 2 } });
    expect(slash('/trivia stats member:@kira')).toEqual({ command: 'trivia', subcommand: 'stats', options: { member: '100000000000000001' } });
    expect(slash('/trivia settings spoiler_guard:no channel:#ops')).toEqual({
      command: 'trivia',
      subcommand: 'settings',
      options: { spoiler_guard: false, channel: '100000000000000002' },
    });
    expect(slash('/trivia schedule day:friday').options).toEqual({ day: 5 });
    expect(slash('/trivia schedule day:1').options).toEqual({ day: 1 });
    const pack = slash('/trivia pack add file:@packs/house.yaml name:"house"');
    expect(pack).toMatchObject({ command: 'trivia', group: 'pack', subcommand: 'add', options: { name: 'house', file: { name: 'house.yaml' } } });
  });

  it('GIVEN something the command does not take THEN the message says what it does take', () => {
    expect(() => slash('/trivia')).toThrow('/trivia needs a subcommand: play, stats, schedule, settings, pack');
    expect(() => slash('/trivia dance')).toThrow('has no subcommand "dance" (try: play, stats, schedule, settings, pack)');
    expect(() => slash('/trivia play rounds:2')).toThrow('/trivia play has no option "rounds" (options: questions)');
    expect(() => slash('/trivia play questions:two')).toThrow('Option "questions" needs a whole number, not "two".');
    expect(() => slash('/trivia stats member:morn')).toThrow(/needs a member name/);
    expect(() => slash('/trivia pack add file:@nowhere.yaml')).toThrow('Cannot attach "nowhere.yaml": no such file.');
    expect(() => slash('/rewatch')).toThrow('There is no /rewatch command (registered: trivia).');
  });

  it('GIVEN mentions and Discord timestamps THEN they read as names and times relative to the playground clock', () => {
    const names = { user: (id: string) => (id === '1' ? 'kira' : undefined), channel: () => 'ops', role: () => undefined };
    const now = new Date('2026-01-01T00:00:00Z');
    const at = now.getTime() / 1000;
    expect(readable(`<@1> and <@!1> in <#5>, not <@2>; closes <t:${at + 20}:R>, opened <t:${at - 180}:R>`, names, now)).toBe(
      '@kira and @kira in #ops, not <@2>; closes in 20 seconds, opened 3 minutes ago',
    );
    expect(readable(`<t:${at}:f>`, names, now)).toBe('January 1, 2026 at 12:00 AM (UTC)');
    expect([duration(90_000), duration(300_000), duration(1000), duration(7_200_000)]).toEqual(['90 seconds', '5 minutes', '1 second', '2 hours']);
  });

  it('GIVEN a time zone THEN timestamps read in it, in each of Discord\'s styles, named after the time', () => {
    const names = { user: () => undefined, channel: () => undefined, role: () => undefined };
    const friday = new Date('2026-12-04T19:00:00Z').getTime() / 1000;
    const summer = new Date('2026-07-03T18:00:00Z').getTime() / 1000;
    const now = new Date('2026-12-01T00:00:00Z');
    const berlin = (text: string) => readable(text, names, now, 'Europe/Berlin');
    expect(berlin(`<t:${friday}:F>`)).toBe('Friday, December 4, 2026 at 8:00 PM (Europe/Berlin)');
    expect(berlin(`<t:${summer}:F>`)).toBe('Friday, July 3, 2026 at 8:00 PM (Europe/Berlin)');
    expect(berlin(`<t:${friday}:t>`)).toBe('8:00 PM (Europe/Berlin)');
    expect(berlin(`<t:${friday}:D>`)).toBe('December 4, 2026 (Europe/Berlin)');
    expect(berlin(`<t:${friday}>`)).toBe('December 4, 2026 at 8:00 PM (Europe/Berlin)');
    expect(readable(`<t:${friday}:t>`, names, now, 'America/New_York')).toBe('2:00 PM (America/New_York)');
    expect(berlin(`<t:${friday}:R>`)).toBe('in 4 days');
    expect(knownTimeZone('US/Eastern')).toBe('America/New_York');
    expect(knownTimeZone('Mars/Olympus_Mons')).toBeUndefined();
  });

  it('GIVEN an embed whose field and footer hold several lines THEN every line keeps the margin', () => {
    const message = {
      id: '1',
      author: { id: '2', username: 'ds9-bot', bot: true },
      content: '',
      embeds: [{ title: 'Status', fields: [{ name: 'Next', value: '7x20\nFriday' }, { name: 'Plan', value: 'final chapter' }], footer: { text: 'one\ntwo' } }],
      components: [],
      attachments: [],
      flags: 0,
      edited: false,
      deleted: false,
      ephemeral: false,
      loading: false,
      reactions: [],
      thread: null,
      visibleTo: null,
    } as unknown as VisibleMessage;
    const embedLines = renderMessage(message).split('\n').slice(1);
    expect(embedLines).toEqual(['  │ **Status**', '  │ Next: 7x20', '  │   Friday', '  │ Plan: final chapter', '  │ — one', '  │ two']);
  });
});
