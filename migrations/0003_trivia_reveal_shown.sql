ALTER TABLE "trivia_rounds" ADD COLUMN "reveal_shown_at" timestamp with time zone;--> statement-breakpoint
-- Rounds revealed before this column existed were shown at the time.
UPDATE "trivia_rounds" SET "reveal_shown_at" = "revealed_at" WHERE "revealed_at" IS NOT NULL;
