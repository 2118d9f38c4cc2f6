// 5. Scheduler burst: N server schedules due in the same minute, posted by the real rewatch code
// (RewatchScheduler -> EpisodePublisher -> DiscordThreadPoster over discord.js REST) against the stand-in
// with Discord's global limit of 50 requests/s enforced with 429s. Several "processes" tick the same
// database at once, each with its own REST client (so its own copy of discord.js's 50/s limiter), the way
// shards of one bot share a token; the database lease must keep every schedule to one thread.
// Ticks run back to back until nothing is due (in production node-cron starts one tick a minute).
import { REST, RESTEvents } from 'discord.js';
import postgres from 'postgres';
import { systemClock } from '../src/clock.js';
import { loadContent } from '../src/content/index.js';
import { openDatabase } from '../src/db/client.js';
import { RewatchRepository } from '../src/db/repositories/rewatch.js';
import { DiscordThreadPoster, rewatchRest } from '../src/discord/rewatch-poster.js';
import { rewatchTexts } from '../src/discord/rewatch-render.js';
import { EpisodePublisher, RewatchScheduler, type RunOutcome } from '../src/rewatch/index.js';
import { DiscordStandIn } from '../stand-in/index.js';
import { createScratchDatabase } from './scratch-db.js';
import { round, summarize, type LatencySummary } from './stats.js';

export interface SchedulerBurstOptions {
  databaseUrl: string;
  schedules: number;
  /** bot processes ticking the same database (each with its own REST client) */
  processes: number;
  /** give up after this long (the figures then show what was left) */
  maxSeconds: number;
  log: (line: string) => void;
}

export interface SchedulerBurstResult {
  schedules: number;
  processes: number;
  /** first tick -> last thread's starter message */
  secondsToPostAll: number;
  threadsPosted: number;
  threadsPerSecond: number;
  /** REST requests the stand-in accepted per second over the burst (thread + starter message per schedule) */
  requestsPerSecond: number;
  requestsPerThread: number;
  /** 429s the stand-in answered (the bot then waited and retried) */
  rateLimited429s: number;
  /** schedules with more than one thread: must be 0 */
  duplicates: number;
  /** due schedules left without a thread when the run ended */
  missing: number;
  outcomes: Record<string, number>;
  /** ticks that posted, in the busiest process: node-cron starts one a minute, so in production this is minutes, not seconds */
  ticksPerProcess: number;
  /** burst start (the minute the schedules were due) -> each thread's starter message, seconds */
  waitSeconds: LatencySummary;
  /** threads opened more than 10 minutes after their slot (marked late) */
  late: number;
}

export async function benchSchedulerBurst(options: SchedulerBurstOptions): Promise<SchedulerBurstResult> {
  const discord = await DiscordStandIn.start({ enforceGlobalRateLimit: true });
  const scratch = await createScratchDatabase(options.databaseUrl, 'scheduler');
  const workers: Awaited<ReturnType<typeof startWorker>>[] = [];
  try {
    const channels = Array.from({ length: options.schedules }, (_, i) => {
      const guild = discord.createGuild({ name: `Cardassia ${i}` });
      return { guildId: guild.id, channelId: discord.createChannel(guild.id, { name: 'rewatch' }).id };
    });
    await (await openDatabase({ kind: 'postgres', url: scratch.url })).close(); // migrations
    const dueAt = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await seedSchedules(scratch.url, channels, dueAt);
    options.log(`scheduler: ${options.schedules} schedules due at ${dueAt.toISOString()}, ${options.processes} processes ticking`);

    const content = loadContent();
    for (let i = 0; i < options.processes; i++) workers.push(await startWorker(scratch.url, discord, content.plans));
    const requestsBefore = countBotRequests(discord.requestCounts());
    const started = performance.now();
    const startedAt = Date.now();
    const deadline = started + options.maxSeconds * 1000;
    const drained = await Promise.all(workers.map((w) => w.drain(deadline)));
    const outcomes = drained.flatMap((d) => d.outcomes);
    const rateLimited429s = workers.reduce((n, w) => n + w.rateLimited(), 0);
    const requests = countBotRequests(discord.requestCounts()) - requestsBefore - rateLimited429s;

    const postedAt: number[] = [];
    let duplicates = 0;
    let missing = 0;
    for (const { guildId } of channels) {
      const threads = discord.threads(guildId);
      if (threads.length === 0) missing++;
      duplicates += Math.max(0, threads.length - 1);
      for (const t of threads) postedAt.push(t.messages[0]?.createdAt.getTime() ?? Number.NaN);
    }
    const lastPost = Math.max(...postedAt.filter(Number.isFinite));
    const seconds = (lastPost - startedAt) / 1000;
    const posted = postedAt.length;
    return {
      schedules: options.schedules,
      processes: options.processes,
      secondsToPostAll: round(seconds, 1),
      threadsPosted: posted,
      threadsPerSecond: round(posted / seconds, 1),
      requestsPerSecond: round(requests / seconds, 1),
      requestsPerThread: round(requests / Math.max(1, posted)),
      rateLimited429s,
      duplicates,
      missing,
      outcomes: tally(outcomes),
      ticksPerProcess: Math.max(...drained.map((d) => d.ticks)),
      waitSeconds: roundAll(summarize(postedAt.map((t) => (t - startedAt) / 1000))),
      late: outcomes.filter((o) => o.kind === 'posted' && o.late).length,
    };
  } finally {
    for (const w of workers) await w.stop();
    await discord.stop();
    await scratch.drop();
  }
}

/** One bot process's rewatch side: its own pool, REST client and scheduler, ticking until nothing is due. */
async function startWorker(url: string, discord: DiscordStandIn, plans: ReturnType<typeof loadContent>['plans']) {
  const database = await openDatabase({ kind: 'postgres', url });
  // The poster's REST manager exactly as startBot builds it from the client's.
  const rest = rewatchRest(new REST({ api: discord.restBase }), discord.token);
  let rateLimited = 0;
  rest.on(RESTEvents.Response, (_request, response) => {
    if (response.status === 429) rateLimited++;
  });
  const repository = new RewatchRepository(database.db);
  const publisher = new EpisodePublisher({ repository, poster: new DiscordThreadPoster(rest), plans, texts: rewatchTexts });
  const scheduler = new RewatchScheduler({ repository, publisher, clock: systemClock });
  return {
    rateLimited: () => rateLimited,
    async drain(deadline: number): Promise<{ outcomes: RunOutcome[]; ticks: number }> {
      const outcomes: RunOutcome[] = [];
      let ticks = 0;
      while (performance.now() < deadline) {
        const tick = await scheduler.tick(systemClock.now());
        if (tick.length > 0) ticks++;
        outcomes.push(...tick);
        if (tick.length === 0 && (await repository.dueSchedules(systemClock.now(), 1)).length === 0) break;
      }
      return { outcomes, ticks };
    },
    async stop() {
      await scheduler.stop();
      await database.close();
    },
  };
}

/** Bench set-up only: one active schedule per server, all on the default plan, due at `dueAt` (UTC slot). */
async function seedSchedules(url: string, channels: { guildId: string; channelId: string }[], dueAt: Date): Promise<void> {
  const plan = loadContent().defaultPlan.id;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`insert into rewatch_schedules (guild_id, channel_id, plan_id, weekday, hour, minute, time_zone, next_run_at, created_by)
      select g, c, ${plan}, ${dueAt.getUTCDay()}::int, ${dueAt.getUTCHours()}::int, ${dueAt.getUTCMinutes()}::int, 'UTC', ${dueAt}, '100000000000000001'
      from unnest(${channels.map((c) => c.guildId)}::text[], ${channels.map((c) => c.channelId)}::text[]) as t(g, c)`;
    await sql`vacuum analyze rewatch_schedules`;
  } finally {
    await sql.end();
  }
}

/** Requests made with the bot token (everything the stand-in counted except gateway discovery). */
function countBotRequests(counts: Record<string, number>): number {
  return Object.entries(counts).reduce((n, [route, c]) => (route.includes('/gateway') ? n : n + c), 0);
}

function tally(outcomes: RunOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.kind] = (counts[o.kind] ?? 0) + 1;
  return counts;
}

function roundAll(s: LatencySummary): LatencySummary {
  return { count: s.count, p50: round(s.p50, 1), p95: round(s.p95, 1), p99: round(s.p99, 1), max: round(s.max, 1), mean: round(s.mean, 1) };
}
