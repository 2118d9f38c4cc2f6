// 8. Concurrent games: N trivia games running at once in N channels, played by the real engine
// (TriviaEngine -> DiscordTriviaAnnouncer over discord.js REST, Postgres) against the stand-in with Discord's
// global limit of 50 requests/s enforced with 429s. Games start spread evenly over `startSeconds` (as games
// started at random times would be), each with its first question in the start's reply (not sent here: see below),
// then every game runs its rounds with nobody answering; a ticker moves the
// games along once a second and sets timers for the questions closing before the next tick, as the bot's does
// (startBot: tickIntervalMs 1 s, lookaheadMs the same). Figures: REST requests per round, 429s, and the reveal
// lag: from a round's due time (its closes_at) to the request that shows its reveal coming back from Discord
// (read from discord.js's response events, so the same measure fits a design that edits and one that posts).
import { REST, RESTEvents } from 'discord.js';
import postgres from 'postgres';
import { loadContent } from '../src/content/index.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { GuildSettingsRepository } from '../src/db/repositories/guild-settings.js';
import { QuestionPackRepository } from '../src/db/repositories/question-packs.js';
import { TriviaRepository } from '../src/db/repositories/trivia.js';
import { DiscordTriviaAnnouncer } from '../src/discord/trivia-announcer.js';
import { createLogger } from '../src/logger.js';
import { TriviaEngine } from '../src/trivia/game-engine.js';
import { BankAndPacksCatalog } from '../src/trivia/question-catalog.js';
import { DiscordStandIn } from '../stand-in/index.js';
import { createScratchDatabase } from './scratch-db.js';
import type { Row } from './report.js';
import { round, summarize, type LatencySummary } from './stats.js';

export interface ConcurrentGamesOptions {
  databaseUrl: string;
  /** games running at once, one run per entry */
  games: readonly number[];
  /** questions per game */
  questions: number;
  /** give up on a run after this long (the figures then show what was left) */
  maxSeconds: number;
  /** the games start spread evenly over this long */
  startSeconds: number;
  /** how often the ticker moves the games along (the bot's is 1 s) */
  tickMs: number;
  /** games a tick moves along at once (the engine's default when unset) */
  tickConcurrency?: number;
  log: (line: string) => void;
}

export interface ConcurrentGamesRun {
  games: number;
  questions: number;
  secondsPerQuestion: number;
  /** rounds revealed during the run */
  rounds: number;
  /** REST requests Discord accepted (429s not counted), per revealed round */
  requestsPerRound: number;
  /** the same requests by method */
  requests: Record<string, number>;
  /** 429s the stand-in answered (the bot then waited and retried) */
  rateLimited429s: number;
  /** requests accepted per second over the run */
  requestsPerSecond: number;
  /** rounds whose reveal never reached the channel */
  revealsMissing: number;
  /** round due (closes_at) -> its reveal in the channel, seconds; every round */
  revealLagSeconds: LatencySummary;
  /** the same without the first round of each game (while the starts still add their first questions) */
  steadyRevealLagSeconds: LatencySummary;
  /** games not finished when the run ended */
  unfinished: number;
  seconds: number;
}

export interface ConcurrentGamesResult {
  runs: ConcurrentGamesRun[];
}

export async function benchConcurrentGames(options: ConcurrentGamesOptions): Promise<ConcurrentGamesResult> {
  const runs: ConcurrentGamesRun[] = [];
  for (const games of options.games) {
    options.log(`concurrent games: ${games} games of ${options.questions} questions`);
    const run = await runGames({ ...options, gameCount: games });
    options.log(`concurrent games: ${games}: ${run.requestsPerRound} requests/round, reveal lag p50 ${run.revealLagSeconds.p50} s p99 ${run.revealLagSeconds.p99} s, ${run.rateLimited429s} 429s`);
    runs.push(run);
  }
  return { runs };
}

async function runGames(options: ConcurrentGamesOptions & { gameCount: number }): Promise<ConcurrentGamesRun> {
  const discord = await DiscordStandIn.start({ enforceGlobalRateLimit: true });
  const scratch = await createScratchDatabase(options.databaseUrl, 'games');
  let database: Database | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  try {
    const channels = Array.from({ length: options.gameCount }, (_, i) => {
      const guild = discord.createGuild({ name: `Bajor ${i}` });
      return { guildId: guild.id, channelId: discord.createChannel(guild.id, { name: 'trivia' }).id };
    });
    database = await openDatabase({ kind: 'postgres', url: scratch.url });
    const rest = new REST({ api: discord.restBase }).setToken(discord.token);
    const revealsLanded = new Map<string, number>(); // `${channelId} ${roundNo}` -> when Discord answered
    const requests: Record<string, number> = {};
    let rateLimited = 0;
    rest.on(RESTEvents.Response, (request, response) => {
      if (response.status === 429) return void rateLimited++;
      if (response.status >= 300) return;
      requests[request.method] = (requests[request.method] ?? 0) + 1;
      const channelId = /\/channels\/(\d+)\/messages/.exec(request.path)?.[1];
      const body = request.data.body as { embeds?: { title?: string }[] } | undefined;
      for (const embed of body?.embeds ?? []) {
        const revealed = /^Question (\d+) of \d+ · answer$/.exec(embed.title ?? '');
        if (channelId && revealed) revealsLanded.set(`${channelId} ${revealed[1]}`, Date.now());
      }
    });
    const content = loadContent();
    const settings = new GuildSettingsRepository(database.db);
    const repo = new TriviaRepository(database.db);
    const engine = new TriviaEngine({
      repo,
      catalog: new BankAndPacksCatalog(content.questions, new QuestionPackRepository(database.db)),
      settings,
      watchedThrough: async () => undefined,
      announcer: new DiscordTriviaAnnouncer(rest),
      random: Math.random,
      logger: createLogger('warn'),
      ...(options.tickConcurrency === undefined ? {} : { tickConcurrency: options.tickConcurrency }),
      lookaheadMs: options.tickMs, // as startBot sets it
    });
    const secondsPerQuestion = (await settings.get(channels[0]!.guildId)).secondsPerQuestion;
    ticker = setInterval(() => {
      ticking ??= engine
        .tick(new Date())
        .catch((error: unknown) => options.log(`tick failed: ${String(error)}`))
        .finally(() => (ticking = undefined));
    }, options.tickMs);

    const started = performance.now();
    const deadline = started + options.maxSeconds * 1000;
    const starts = channels.map(
      (channel, i) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            void (async () => {
              // As /trivia play starts a game: its reply shows the first question. A reply to an interaction does not
              // count against the global limit and this bench has no interactions, so the reply is not sent: the
              // question is marked shown as the reply would (its message id stands in), and every request counted is a post.
              const started = await engine.start({ ...channel, userId: '100000000000000001', questions: options.questions, now: new Date() });
              const first = await engine.openFirstQuestion(started.game, new Date());
              if (first) await engine.questionShown(first, String(900_000_000_000_000_000n + BigInt(first.roundId)));
              else await engine.advanceGame(started.game.id, new Date());
            })()
              .catch((error: unknown) => options.log(`start failed: ${String(error)}`))
              .finally(resolve);
          }, (i * options.startSeconds * 1000) / options.gameCount),
        ),
    );
    await Promise.all(starts);
    const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
    try {
      while (performance.now() < deadline) {
        const [row] = await sql<{ running: number }[]>`select count(*)::int as running from trivia_games where status = 'running'`;
        if (row?.running === 0) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      clearInterval(ticker);
      ticker = undefined;
      await ticking;
      await engine.shutdown();
      const seconds = (performance.now() - started) / 1000;
      const rounds = await sql<{ channel_id: string; round_no: number; closes_at: Date | null; revealed_at: Date | null }[]>`
        select g.channel_id, r.round_no, r.closes_at, r.revealed_at from trivia_rounds r join trivia_games g on g.id = r.game_id`;
      const [left] = await sql<{ unfinished: number }[]>`select count(*)::int as unfinished from trivia_games where status = 'running'`;
      const unfinished = left?.unfinished ?? 0;
      const revealed = rounds.filter((r) => r.revealed_at !== null && r.closes_at !== null);
      const lags: number[] = [];
      const steady: number[] = [];
      let missing = 0;
      for (const r of revealed) {
        const landed = revealsLanded.get(`${r.channel_id} ${r.round_no}`);
        if (landed === undefined) {
          missing++;
          continue;
        }
        const lag = (landed - r.closes_at!.getTime()) / 1000;
        lags.push(lag);
        if (r.round_no > 1) steady.push(lag);
      }
      const accepted = Object.values(requests).reduce((a, b) => a + b, 0);
      return {
        games: options.gameCount,
        questions: options.questions,
        secondsPerQuestion,
        rounds: revealed.length,
        requestsPerRound: round(accepted / Math.max(1, revealed.length)),
        requests,
        rateLimited429s: rateLimited,
        requestsPerSecond: round(accepted / seconds, 1),
        revealsMissing: missing,
        revealLagSeconds: roundAll(summarize(lags)),
        steadyRevealLagSeconds: roundAll(summarize(steady)),
        unfinished,
        seconds: round(seconds, 1),
      };
    } finally {
      await sql.end();
    }
  } finally {
    if (ticker) clearInterval(ticker);
    await ticking;
    await database?.close();
    await discord.stop();
    await scratch.drop();
  }
}

/** The table's rows: per run, requests per round and the reveal lag against the goal (1,000 games: p99 <= 2 s). */
export function concurrentGamesRows(result: ConcurrentGamesResult): Row[] {
  return result.runs.flatMap((r) => {
    const p = `concurrent games (${r.games.toLocaleString('en')} x ${r.questions} questions of ${r.secondsPerQuestion} s)`;
    const lag = r.revealLagSeconds;
    const goal = r.games === 1_000 ? { goal: 'p99 <= 2 s', met: lag.p99 <= 2 } : { goal: '', met: null };
    return [
      { part: p, figure: 'REST requests per round (429s not counted)', value: `${r.requestsPerRound} (${r.requestsPerSecond} req/s)`, goal: '<= 1', met: r.requestsPerRound <= 1 },
      { part: p, figure: 'global 429s / reveals missing / games unfinished', value: `${r.rateLimited429s} / ${r.revealsMissing} / ${r.unfinished}`, goal: '0 missing', met: r.revealsMissing === 0 },
      { part: p, figure: 'reveal lag (due -> in the channel): p50 / p99 / max', value: `${lag.p50} s / ${lag.p99} s / ${lag.max} s`, ...goal },
    ];
  });
}

function roundAll(s: LatencySummary): LatencySummary {
  return { count: s.count, p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), max: round(s.max), mean: round(s.mean) };
}

// `npx tsx bench/concurrent-games.ts 100 1000`: this part alone (BENCH_DATABASE_URL or the default Postgres).
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  const games = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const result = await benchConcurrentGames({
    databaseUrl: process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
    games: games.length > 0 ? games : [100],
    questions: Number(process.env['BENCH_QUESTIONS'] ?? 3),
    maxSeconds: 400,
    startSeconds: Number(process.env['BENCH_START_SECONDS'] ?? 25),
    tickMs: Number(process.env['BENCH_TICK_MS'] ?? 1000),
    ...(process.env['BENCH_TICK_CONCURRENCY'] ? { tickConcurrency: Number(process.env['BENCH_TICK_CONCURRENCY']) } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
