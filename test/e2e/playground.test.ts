import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProjectRoot, loadContent, type Question } from '../../src/content/index.js';
import { parseLine, PlaygroundInputError, tokenize } from '../../stand-in/playground-commands.js';
import { resolveSlash } from '../../stand-in/playground-slash.js';
import { duration, readable } from '../../stand-in/playground-view.js';
import { shownLetterOf } from './trivia-helpers.js';

const root = findProjectRoot();
const bank = loadContent().questions;
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function newDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'playground-'));
  dirs.push(dataDir);
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
  }

  /** Types a line; returns where its output starts. */
  send(line: string): number {
    const at = this.stdout.length;
    this.child.stdin.write(`${line}\n`);
    return at;
  }

  /** Waits until the output after `from` matches. */
  async until(pattern: RegExp, from: number, timeoutMs = 40_000): Promise<RegExpExecArray> {
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
const REVEAL_BLOCK = (n: number) => new RegExp(`Question ${n} of 2 · answer\\*\\*\\n(?:.*\\n)*?.*Answers: (\\d+) of (\\d+) right\\n(?:.*\\n)*?\\s*\\(edited\\)`);

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

    for (const n of [1, 2]) {
      const block = n === 1 ? start[0] : (await playground.step('wait 2', QUESTION_BLOCK(2)))[0];
      const question = questionIn(block);
      playground.send('as kira');
      expect(await answer(playground, block, question, true)).toContain('(only kira can see this)');
      playground.send('as quark');
      const quarkSaw = await answer(playground, block, question, false);
      expect(quarkSaw).toContain('(only quark can see this)');
      expect(quarkSaw).not.toContain('only kira');

      const reveal = await playground.step('wait 20', REVEAL_BLOCK(n));
      expect(reveal[0]).toContain(`**Answer: `);
      expect(reveal[0]).toContain('(edited)');
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
  }, 60_000);

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
  }, 180_000); // three start-ups one after another, each up to a minute on a busy machine

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
  }, 45_000);

  it('GIVEN an unknown command THEN it stops with a one-line message and a non-zero exit, running nothing after it', async () => {
    const { code, stdout, stderr } = await runScript(['as kira', 'beam me up', '/trivia play questions:1']);
    expect(code).not.toBe(0);
    expect(stderr.trim()).toBe('playground: line 2: Unknown command "beam". Type help for the list.');
    expect(stdout).not.toContain('Trivia!');
  }, 45_000);

  it('GIVEN a click on a button that is not there THEN the step fails with what buttons there are', async () => {
    const { code, stderr } = await runScript(['/trivia play questions:1', 'click Z']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/^playground: line 2: No button "Z" in #ops\. The newest buttons here: \[1 /);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  }, 45_000);
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
    expect(readable(`<t:${at}:f>`, names, now)).toBe('2026-01-01 00:00:00Z');
    expect([duration(90_000), duration(300_000), duration(1000), duration(7_200_000)]).toEqual(['90 seconds', '5 minutes', '1 second', '2 hours']);
  });
});
