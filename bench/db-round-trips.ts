// 2. Database work per answer click, counted: the real bot in this process on a Postgres client whose
// `debug` hook sees every statement (BEGIN and COMMIT included). The background ticker is off, so every
// statement between a click and its answer belongs to that click. Warm: clicks on a question the process opened
// (it remembers the round's fixed facts). After a restart: a new bot process on the same database meets
// questions it has never seen, so the first click on each must read the round too.
import postgres from 'postgres';
import { Writable } from 'node:stream';
import { startBot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { registerCommands } from '../src/register-commands.js';
import { createLogger } from '../src/logger.js';
import { DiscordStandIn } from '../stand-in/index.js';
import { buildServers } from './load-world.js';
import { createScratchDatabase } from './scratch-db.js';
import { round, summarize, type LatencySummary } from './stats.js';
import { buttonIds, openChoiceQuestion, setQuestionSeconds } from './trivia-targets.js';

export interface RoundTripResult {
  clicksMeasured: number;
  /** statements per answer click (each awaited in turn, so each is one round trip) */
  statementsPerClick: { min: number; max: number; mean: number };
  transactionsPerClick: number;
  /** the statements of one typical click, in order, shortened */
  oneClick: string[];
  /** the free-text "Answer" button (checks whether the member may still answer before showing the modal) */
  openModalStatements: number | null;
  /** one member clicking with nothing else running: stand-in latency */
  unloadedLatencyMs: LatencySummary;
  /** after a restart (a fresh bot on the same database, no round facts cached): the first click on each open question, then a second member's */
  afterRestart: {
    questions: number;
    firstClick: { min: number; max: number; mean: number };
    secondClick: { min: number; max: number; mean: number };
    /** statements of each question's first click, in the order clicked */
    perQuestion: number[];
    /** the statements of the first click that took the most */
    worstFirstClick: string[];
  };
}

/** Questions open when the bot restarts. */
const RESTART_QUESTIONS = 10;

export async function benchRoundTrips(options: { databaseUrl: string; clicks: number }): Promise<RoundTripResult> {
  const scratch = await createScratchDatabase(options.databaseUrl, 'roundtrips');
  const discord = await DiscordStandIn.start();
  let statements: string[] = [];
  const database = await openDatabase({ kind: 'postgres', url: scratch.url, onStatement: (sql) => void statements.push(sql) }); // the bot's database, seeing each statement
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  try {
    const servers = buildServers(discord, 2 + RESTART_QUESTIONS, options.clicks + 25);
    await registerCommands({ token: discord.token, applicationId: discord.applicationId, apiUrl: discord.restBase });
    await setQuestionSeconds({ kind: 'postgres', url: scratch.url }, servers.map((s) => s.guildId), 600);
    const config = { ...loadConfig({}), discordToken: discord.token, discordApiUrl: discord.restBase };
    let bot = await startBot({ config, logger: createLogger('info', quiet), database, tickIntervalMs: 0 });
    try {
      const target = await openChoiceQuestion(discord, servers[0]!);
      const clickOnce = async () => {
        const i = target.nextMember++;
        const userId = target.members[i]!;
        statements = [];
        // Alternate the options, so right and wrong answers are both counted.
        const handle = await discord.clickButton({ userId, messageId: target.messageId, customId: target.customIds[i % target.customIds.length]! });
        if (!handle.original()?.content.includes('Locked in')) throw new Error(`unexpected reply: ${handle.original()?.content}`);
        return { statements: [...statements], latency: handle.latencyMs ?? Number.NaN };
      };
      for (let i = 0; i < 20; i++) await clickOnce(); // warm: prepared statements on every pooled connection
      const counts: number[] = [];
      const latencies: number[] = [];
      let transactions = 0;
      let oneClick: string[] = [];
      for (let i = 0; i < options.clicks; i++) {
        const click = await clickOnce();
        counts.push(click.statements.length);
        latencies.push(click.latency);
        transactions += click.statements.filter((s) => /^begin\b/i.test(s.trim())).length;
        oneClick = click.statements;
      }
      const openModalStatements = await countOpenModal(discord, servers[1]!, () => statements, (s) => (statements = s));
      const unloadedLatencyMs = summarize(latencies);

      // Questions open in other servers, then the process restarts: a new bot on the same database.
      const restartTargets = await Promise.all(servers.slice(2).map((server) => openChoiceQuestion(discord, server)));
      await bot.stop();
      bot = await startBot({ config, logger: createLogger('info', quiet), database, tickIntervalMs: 0 });
      // What the new process does on its own after start-up (its first pass over games, myths and schedules)
      // is not a click's: wait until no statement has come for half a second.
      for (let waited = 0; waited < 20_000; waited += 500) {
        statements = [];
        await new Promise((r) => setTimeout(r, 500));
        if (statements.length === 0) break;
      }
      const statementsOf = async (target: (typeof restartTargets)[number]) => {
        const userId = target.members[target.nextMember++]!;
        statements = [];
        const handle = await discord.clickButton({ userId, messageId: target.messageId, customId: target.customIds[0]! });
        if (!handle.original()?.content.includes('Locked in')) throw new Error(`unexpected reply after the restart: ${handle.original()?.content}`);
        return [...statements];
      };
      const firstClicks: string[][] = [];
      for (const target of restartTargets) firstClicks.push(await statementsOf(target));
      const first = firstClicks.map((s) => s.length);
      const second: number[] = [];
      for (const target of restartTargets) second.push((await statementsOf(target)).length);
      const worst = firstClicks.reduce((a, b) => (b.length > a.length ? b : a), []);
      const range = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs), mean: round(xs.reduce((a, b) => a + b, 0) / xs.length) });

      return {
        clicksMeasured: counts.length,
        statementsPerClick: { min: Math.min(...counts), max: Math.max(...counts), mean: round(counts.reduce((a, b) => a + b, 0) / counts.length) },
        transactionsPerClick: round(transactions / counts.length),
        oneClick: oneClick.map(shorten),
        openModalStatements,
        unloadedLatencyMs,
        afterRestart: { questions: restartTargets.length, firstClick: range(first), secondClick: range(second), perQuestion: first, worstFirstClick: worst.map(shorten) },
      };
    } finally {
      await bot.stop();
    }
  } finally {
    await database.close();
    await discord.stop();
    await scratch.drop();
  }
}

/** Statements behind the free-text question's "Answer" button, if the bank gives us a free-text question. */
async function countOpenModal(
  discord: DiscordStandIn,
  server: Parameters<typeof openChoiceQuestion>[1],
  read: () => string[],
  reset: (s: string[]) => void,
): Promise<number | null> {
  const starter = server.members[0]!;
  for (let attempt = 0; attempt < 10; attempt++) {
    await (await discord.slashCommand({ channelId: server.channelId, userId: starter, command: 'trivia', subcommand: 'play', options: { questions: 1 } })).reply();
    const message = await discord.waitFor(() => discord.messages(server.channelId).find((m) => m.author.bot && buttonIds(m).length > 0));
    const ids = buttonIds(message);
    if (ids.length === 1 && ids[0]!.startsWith('trivia:open:')) {
      reset([]);
      await discord.clickButton({ userId: server.members[1]!, messageId: message.id, customId: ids[0]! }); // warm
      reset([]);
      const handle = await discord.clickButton({ userId: server.members[2]!, messageId: message.id, customId: ids[0]! });
      return handle.modal ? read().length : null;
    }
    await (await discord.slashCommand({ channelId: server.channelId, userId: starter, command: 'trivia', subcommand: 'stop' })).reply();
  }
  return null;
}

function shorten(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 110 ? `${flat.slice(0, 107)}...` : flat;
}
