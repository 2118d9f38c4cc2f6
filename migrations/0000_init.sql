CREATE TABLE "guild_settings" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"seconds_per_question" integer DEFAULT 20 NOT NULL,
	"default_question_count" integer DEFAULT 5 NOT NULL,
	"spoiler_guard" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "myth_posts" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"message_id" text,
	"myth_id" text NOT NULL,
	"asked_by" text NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"reveal_at" timestamp with time zone NOT NULL,
	"revealed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "myth_totals" (
	"myth_id" text PRIMARY KEY NOT NULL,
	"right_votes" integer DEFAULT 0 NOT NULL,
	"wrong_votes" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "myth_votes" (
	"post_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"vote" text NOT NULL,
	"voted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "myth_votes_post_id_user_id_pk" PRIMARY KEY("post_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "player_scores" (
	"guild_id" text NOT NULL,
	"user_id" text NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"correct" integer DEFAULT 0 NOT NULL,
	"current_streak" integer DEFAULT 0 NOT NULL,
	"best_streak" integer DEFAULT 0 NOT NULL,
	"games_played" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "player_scores_guild_id_user_id_pk" PRIMARY KEY("guild_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "question_history" (
	"guild_id" text NOT NULL,
	"question_id" text NOT NULL,
	"times_asked" integer DEFAULT 0 NOT NULL,
	"last_asked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "question_history_guild_id_question_id_pk" PRIMARY KEY("guild_id","question_id")
);
--> statement-breakpoint
CREATE TABLE "question_packs" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"name" text NOT NULL,
	"questions_json" text NOT NULL,
	"question_count" integer NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rewatch_posts" (
	"id" serial PRIMARY KEY NOT NULL,
	"schedule_id" integer NOT NULL,
	"generation" integer NOT NULL,
	"episode_index" integer NOT NULL,
	"episode_code" text NOT NULL,
	"channel_id" text NOT NULL,
	"thread_id" text,
	"late" boolean DEFAULT false NOT NULL,
	"state" text DEFAULT 'intent' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"posted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rewatch_schedules" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"weekday" integer NOT NULL,
	"hour" integer NOT NULL,
	"minute" integer NOT NULL,
	"time_zone" text NOT NULL,
	"next_index" integer DEFAULT 0 NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"pause_reason" text,
	"last_error" text,
	"last_thread_id" text,
	"lease_until" timestamp with time zone,
	"generation" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rewatch_schedules_guild_id_unique" UNIQUE("guild_id")
);
--> statement-breakpoint
CREATE TABLE "trivia_answers" (
	"round_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"guild_id" text NOT NULL,
	"answer" text NOT NULL,
	"correct" boolean NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "trivia_answers_round_id_user_id_pk" PRIMARY KEY("round_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "trivia_game_players" (
	"game_id" integer NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "trivia_game_players_game_id_user_id_pk" PRIMARY KEY("game_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "trivia_games" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"started_by" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"question_count" integer NOT NULL,
	"seconds_per_question" integer NOT NULL,
	"category" text,
	"difficulty" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by" text
);
--> statement-breakpoint
CREATE TABLE "trivia_rounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"game_id" integer NOT NULL,
	"round_no" integer NOT NULL,
	"question_id" text NOT NULL,
	"message_id" text,
	"opens_at" timestamp with time zone,
	"closes_at" timestamp with time zone,
	"revealed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "myth_votes" ADD CONSTRAINT "myth_votes_post_id_myth_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."myth_posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewatch_posts" ADD CONSTRAINT "rewatch_posts_schedule_id_rewatch_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."rewatch_schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trivia_answers" ADD CONSTRAINT "trivia_answers_round_id_trivia_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."trivia_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trivia_game_players" ADD CONSTRAINT "trivia_game_players_game_id_trivia_games_id_fk" FOREIGN KEY ("game_id") REFERENCES "public"."trivia_games"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trivia_rounds" ADD CONSTRAINT "trivia_rounds_game_id_trivia_games_id_fk" FOREIGN KEY ("game_id") REFERENCES "public"."trivia_games"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "myth_posts_due_idx" ON "myth_posts" USING btree ("reveal_at") WHERE "myth_posts"."revealed_at" is null;--> statement-breakpoint
CREATE INDEX "myth_posts_guild_idx" ON "myth_posts" USING btree ("guild_id","posted_at");--> statement-breakpoint
CREATE INDEX "player_scores_leaderboard_idx" ON "player_scores" USING btree ("guild_id","points" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "question_packs_guild_name" ON "question_packs" USING btree ("guild_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "rewatch_posts_once" ON "rewatch_posts" USING btree ("schedule_id","generation","episode_index");--> statement-breakpoint
CREATE INDEX "trivia_answers_guild_time_idx" ON "trivia_answers" USING btree ("guild_id","answered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "trivia_games_one_running_per_channel" ON "trivia_games" USING btree ("channel_id") WHERE "trivia_games"."status" = 'running';--> statement-breakpoint
CREATE INDEX "trivia_games_status_idx" ON "trivia_games" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "trivia_rounds_game_round" ON "trivia_rounds" USING btree ("game_id","round_no");