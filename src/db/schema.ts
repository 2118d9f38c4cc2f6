// The only schema source. `npm run db:generate` turns changes into a new SQL migration in migrations/.
// Discord snowflakes are text; times are timestamptz; "once" rules are unique keys.
import { sql, type SQL } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const guildSettings = pgTable('guild_settings', {
  guildId: text('guild_id').primaryKey(),
  timeZone: text('time_zone').notNull().default('UTC'),
  secondsPerQuestion: integer('seconds_per_question').notNull().default(20),
  defaultQuestionCount: integer('default_question_count').notNull().default(5),
  spoilerGuard: boolean('spoiler_guard').notNull().default(true),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

export const playerScores = pgTable(
  'player_scores',
  {
    guildId: text('guild_id').notNull(),
    userId: text('user_id').notNull(),
    points: integer('points').notNull().default(0),
    answered: integer('answered').notNull().default(0),
    correct: integer('correct').notNull().default(0),
    currentStreak: integer('current_streak').notNull().default(0),
    bestStreak: integer('best_streak').notNull().default(0),
    gamesPlayed: integer('games_played').notNull().default(0),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.guildId, t.userId] }),
    // Leaderboard: the top N walks this index (in the board's order, ties by user id) instead of sorting the server.
    index('player_scores_top_idx').on(t.guildId, t.points.desc().nullsFirst(), t.userId),
  ],
);

/**
 * How many members of a server hold each points total above 0, kept by a trigger on player_scores
 * (migrations/0002): a member's rank is 1 + the members above their points, read without counting them.
 */
export const playerScoreCounts = pgTable(
  'player_score_counts',
  {
    guildId: text('guild_id').notNull(),
    points: integer('points').notNull(),
    members: integer('members').notNull(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.points] })],
);

/** Points per band of player_score_bands (0-99, 100-199, ...); migration 0005's trigger divides by the same 100. */
export const SCORE_BAND_WIDTH = 100;

/**
 * How many members of a server hold a points total in each band, kept by the same trigger (migrations/0005):
 * a rank sums the bands above the caller's band and the totals above the caller within it, so it reads about
 * (highest total / 100) + 100 rows however many members and distinct totals the server has.
 */
export const playerScoreBands = pgTable(
  'player_score_bands',
  {
    guildId: text('guild_id').notNull(),
    band: integer('band').notNull(),
    members: integer('members').notNull(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.band] })],
);

/**
 * Points per group of player_score_band_groups (0-9,999, 10,000-19,999, ...): 100 bands of SCORE_BAND_WIDTH
 * each, so a band lies in one group. Migration 0012's trigger divides by the same 10,000.
 */
export const SCORE_BAND_GROUP_WIDTH = 10_000;

/**
 * How many members of a server hold a points total in each group of bands, kept by the same trigger
 * (migrations/0012): a rank sums the groups above the caller's group, the bands above the caller's band within
 * it and the totals above the caller within their band, so it reads about (highest total / 10,000) + 100 + 100
 * rows instead of one per band above the caller (a thousand in a server whose leaders hold 100,000 points).
 */
export const playerScoreBandGroups = pgTable(
  'player_score_band_groups',
  {
    guildId: text('guild_id').notNull(),
    bandGroup: integer('band_group').notNull(),
    members: integer('members').notNull(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.bandGroup] })],
);

/**
 * The start of the server's local week holding `instant` (Monday 00:00 in `timeZone`), as a timestamptz: the
 * expression migration 0011's trigger keys player_week_scores by. The board and the zone-change rebuild use this
 * one, so none of them can disagree on which week an answer belongs to.
 */
export const localWeekStart = (instant: SQL, timeZone: SQL): SQL => sql`(date_trunc('week', ${instant} at time zone ${timeZone}) at time zone ${timeZone})`;

/**
 * Points each member earned in each of a server's weeks (the server's local week, Monday 00:00 in its time zone),
 * kept by a trigger on trivia_answers (migrations/0011) so the weekly board reads a kept row per member instead
 * of summing the week's answers. A change of time zone rebuilds the recent weeks (GuildSettingsRepository.update).
 */
export const playerWeekScores = pgTable(
  'player_week_scores',
  {
    guildId: text('guild_id').notNull(),
    weekStart: timestamptz('week_start').notNull(),
    userId: text('user_id').notNull(),
    points: integer('points').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.guildId, t.weekStart, t.userId] }),
    // The weekly board's top N walks this index; the caller's rank counts the entries before theirs.
    index('player_week_scores_top_idx').on(t.guildId, t.weekStart, t.points.desc().nullsFirst(), t.userId),
  ],
);

export const triviaGames = pgTable(
  'trivia_games',
  {
    id: serial('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    channelId: text('channel_id').notNull(),
    startedBy: text('started_by').notNull(),
    status: text('status', { enum: ['running', 'finished', 'stopped'] }).notNull().default('running'),
    questionCount: integer('question_count').notNull(),
    secondsPerQuestion: integer('seconds_per_question').notNull(),
    category: text('category'),
    difficulty: text('difficulty'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    endedAt: timestamptz('ended_at'),
    endedBy: text('ended_by'),
  },
  (t) => [
    // One running game per channel: the database refuses a second one, whoever asks.
    uniqueIndex('trivia_games_one_running_per_channel')
      .on(t.channelId)
      .where(sql`${t.status} = 'running'`),
    index('trivia_games_status_idx').on(t.status),
  ],
);

export const triviaRounds = pgTable(
  'trivia_rounds',
  {
    id: serial('id').primaryKey(),
    gameId: integer('game_id')
      .notNull()
      .references(() => triviaGames.id, { onDelete: 'cascade' }),
    roundNo: integer('round_no').notNull(),
    questionId: text('question_id').notNull(),
    /**
     * The order a multiple-choice question's options are shown in this round, as indexes into the bank's order
     * (drawn when the game starts, so every process and every restart agrees on which letter is right).
     * Null for other types, and for rounds planned before options were shuffled (shown in the bank's order).
     */
    optionOrder: smallint('option_order').array(),
    messageId: text('message_id'),
    /** Null until the round is posted: all rounds are planned when the game starts. */
    opensAt: timestamptz('opens_at'),
    closesAt: timestamptz('closes_at'),
    revealedAt: timestamptz('revealed_at'),
    /** Set once the reveal is on the question message; a reveal saved but never shown (a crash, a Discord outage) is shown on a later tick. */
    revealShownAt: timestamptz('reveal_shown_at'),
  },
  (t) => [
    uniqueIndex('trivia_rounds_game_round').on(t.gameId, t.roundNo),
    // The tick looks for missed reveals every second: only the few revealed-but-unshown rounds are in this index.
    index('trivia_rounds_unshown_reveal_idx').on(t.revealedAt).where(sql`${t.revealedAt} is not null and ${t.revealShownAt} is null`),
  ],
);

export const triviaAnswers = pgTable(
  'trivia_answers',
  {
    roundId: integer('round_id')
      .notNull()
      .references(() => triviaRounds.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    guildId: text('guild_id').notNull(),
    answer: text('answer').notNull(),
    correct: boolean('correct').notNull(),
    points: integer('points').notNull().default(0),
    answeredAt: timestamptz('answered_at').notNull(),
    /** The order answers reached the database, so that of two in the same millisecond the first one is "first!". */
    arrival: bigserial('arrival', { mode: 'number' }),
  },
  (t) => [
    // A member answers each question once: double clicks, retries and two bot processes all hit this key.
    primaryKey({ columns: [t.roundId, t.userId] }),
    index('trivia_answers_guild_time_idx').on(t.guildId, t.answeredAt),
  ],
);

export const triviaGamePlayers = pgTable(
  'trivia_game_players',
  {
    gameId: integer('game_id')
      .notNull()
      .references(() => triviaGames.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.gameId, t.userId] })],
);

/** How often each question has been asked in a server, so every question is seen before any repeats. */
export const questionHistory = pgTable(
  'question_history',
  {
    guildId: text('guild_id').notNull(),
    questionId: text('question_id').notNull(),
    timesAsked: integer('times_asked').notNull().default(0),
    lastAskedAt: timestamptz('last_asked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.guildId, t.questionId] })],
);

/** A server's own question pack: the validated questions, stored as JSON text. */
export const questionPacks = pgTable(
  'question_packs',
  {
    id: serial('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    name: text('name').notNull(),
    questionsJson: text('questions_json').notNull(),
    questionCount: integer('question_count').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: timestamptz('added_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('question_packs_guild_name').on(t.guildId, t.name)],
);

export const mythPosts = pgTable(
  'myth_posts',
  {
    id: serial('id').primaryKey(),
    guildId: text('guild_id').notNull(),
    channelId: text('channel_id').notNull(),
    messageId: text('message_id'),
    mythId: text('myth_id').notNull(),
    askedBy: text('asked_by').notNull(),
    postedAt: timestamptz('posted_at').notNull(),
    revealAt: timestamptz('reveal_at').notNull(),
    revealedAt: timestamptz('revealed_at'),
  },
  (t) => [
    index('myth_posts_due_idx').on(t.revealAt).where(sql`${t.revealedAt} is null`),
    index('myth_posts_guild_idx').on(t.guildId, t.postedAt),
  ],
);

export const mythVotes = pgTable(
  'myth_votes',
  {
    postId: integer('post_id')
      .notNull()
      .references(() => mythPosts.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    vote: text('vote', { enum: ['myth', 'fact'] }).notNull(),
    votedAt: timestamptz('voted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId] })],
);

/** Running totals per myth across every server, added to once per reveal. */
export const mythTotals = pgTable('myth_totals', {
  mythId: text('myth_id').primaryKey(),
  rightVotes: integer('right_votes').notNull().default(0),
  wrongVotes: integer('wrong_votes').notNull().default(0),
});

export const rewatchSchedules = pgTable('rewatch_schedules', {
  id: serial('id').primaryKey(),
  guildId: text('guild_id').notNull().unique(),
  channelId: text('channel_id').notNull(),
  /** The Discord channel's kind, as setup saw it: episodes open as threads (text, announcement) or forum posts. */
  channelKind: text('channel_kind', { enum: ['text', 'announcement', 'forum'] }).notNull().default('text'),
  planId: text('plan_id').notNull(),
  weekday: integer('weekday').notNull(),
  hour: integer('hour').notNull(),
  minute: integer('minute').notNull(),
  timeZone: text('time_zone').notNull(),
  /** Index into the plan of the next episode to post. */
  nextIndex: integer('next_index').notNull().default(0),
  /** The plan position this run started at (setup's start option): earlier episodes were never part of it. */
  startIndex: integer('start_index').notNull().default(0),
  nextRunAt: timestamptz('next_run_at').notNull(),
  status: text('status', { enum: ['active', 'paused', 'finished'] }).notNull().default('active'),
  pauseReason: text('pause_reason'),
  lastError: text('last_error'),
  lastThreadId: text('last_thread_id'),
  /** Set while one process is posting this schedule's thread; expires so a crash cannot wedge it. */
  leaseUntil: timestamptz('lease_until'),
  /** Bumped on every setup so a replaced schedule's posts never collide with the new one's. */
  generation: integer('generation').notNull().default(1),
  createdBy: text('created_by').notNull(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

export const rewatchPosts = pgTable(
  'rewatch_posts',
  {
    id: serial('id').primaryKey(),
    scheduleId: integer('schedule_id')
      .notNull()
      .references(() => rewatchSchedules.id, { onDelete: 'cascade' }),
    generation: integer('generation').notNull(),
    episodeIndex: integer('episode_index').notNull(),
    episodeCode: text('episode_code').notNull(),
    channelId: text('channel_id').notNull(),
    threadId: text('thread_id'),
    late: boolean('late').notNull().default(false),
    state: text('state', { enum: ['intent', 'posted'] }).notNull().default('intent'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    postedAt: timestamptz('posted_at'),
  },
  // One thread per episode per schedule run: the post is idempotent whoever retries it.
  (t) => [uniqueIndex('rewatch_posts_once').on(t.scheduleId, t.generation, t.episodeIndex)],
);

/**
 * A server's watch-party events (setup's event option): where they take place and the one Discord scheduled
 * event the bot keeps for the rewatch's next episode. Keyed by server, not by schedule, so that /rewatch-thread
 * stop (which deletes the schedule) still knows which event to remove. `state` 'creating' is written before the
 * create call: a retry first looks for the event an earlier attempt may have made.
 */
export const rewatchEvents = pgTable(
  'rewatch_events',
  {
    guildId: text('guild_id').primaryKey(),
    /** False once setup ran without events: the keeper removes the event, then the row. */
    enabled: boolean('enabled').notNull().default(true),
    /** 'external' (the location is a link to the discussion), or a voice or stage channel. */
    placeKind: text('place_kind', { enum: ['external', 'voice', 'stage'] }).notNull().default('external'),
    placeChannelId: text('place_channel_id'),
    state: text('state', { enum: ['none', 'creating', 'created'] }).notNull().default('none'),
    eventId: text('event_id'),
    /** The schedule generation and plan position the current event is for. */
    generation: integer('generation'),
    episodeIndex: integer('episode_index'),
    startAt: timestamptz('start_at'),
    endAt: timestamptz('end_at'),
    /** The discussion link the event shows (the channel's, then the thread's). */
    link: text('link'),
    /** Set while Discord refuses events (a lost permission): only the events wait, the threads go on. */
    pausedReason: text('paused_reason'),
    lastError: text('last_error'),
    /** When the keeper should look at this server again (the next event is due a week ahead, or a retry). */
    syncAt: timestamptz('sync_at'),
    leaseUntil: timestamptz('lease_until'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('rewatch_events_sync_idx').on(t.syncAt).where(sql`${t.syncAt} is not null`)],
);
