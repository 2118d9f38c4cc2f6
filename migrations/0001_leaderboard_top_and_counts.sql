CREATE TABLE "player_score_counts" (
	"guild_id" text NOT NULL,
	"points" integer NOT NULL,
	"members" integer NOT NULL,
	CONSTRAINT "player_score_counts_guild_id_points_pk" PRIMARY KEY("guild_id","points")
);
--> statement-breakpoint
DROP INDEX "player_scores_leaderboard_idx";--> statement-breakpoint
CREATE INDEX "player_scores_top_idx" ON "player_scores" USING btree ("guild_id","points" DESC NULLS FIRST,"user_id");