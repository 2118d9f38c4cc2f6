CREATE TABLE "rewatch_events" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"place_kind" text DEFAULT 'external' NOT NULL,
	"place_channel_id" text,
	"state" text DEFAULT 'none' NOT NULL,
	"event_id" text,
	"generation" integer,
	"episode_index" integer,
	"start_at" timestamp with time zone,
	"end_at" timestamp with time zone,
	"link" text,
	"paused_reason" text,
	"last_error" text,
	"sync_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rewatch_events_sync_idx" ON "rewatch_events" USING btree ("sync_at") WHERE "rewatch_events"."sync_at" is not null;