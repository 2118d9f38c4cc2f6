ALTER TABLE "trivia_rounds" ADD COLUMN "reveal_shown_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "trivia_rounds_unshown_reveal_idx" ON "trivia_rounds" USING btree ("revealed_at") WHERE "trivia_rounds"."revealed_at" is not null and "trivia_rounds"."reveal_shown_at" is null;--> statement-breakpoint
-- Rounds revealed before this column existed were shown at the time.
UPDATE "trivia_rounds" SET "reveal_shown_at" = "revealed_at" WHERE "revealed_at" IS NOT NULL;
