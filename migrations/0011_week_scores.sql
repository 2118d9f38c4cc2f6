CREATE TABLE "player_week_scores" (
	"guild_id" text NOT NULL,
	"week_start" timestamp with time zone NOT NULL,
	"user_id" text NOT NULL,
	"points" integer NOT NULL,
	CONSTRAINT "player_week_scores_guild_id_week_start_user_id_pk" PRIMARY KEY("guild_id","week_start","user_id")
);
--> statement-breakpoint
CREATE INDEX "player_week_scores_top_idx" ON "player_week_scores" USING btree ("guild_id","week_start","points" DESC NULLS FIRST,"user_id");--> statement-breakpoint
-- Keeps player_week_scores (points per server, local week and member) in step with trivia_answers, so the weekly
-- board reads one kept row per member instead of summing the week's answers. A trigger, not the statements: every
-- path that writes points (both click statements, the reveal's first-correct bonus, bulk loads) goes through it,
-- so a week can never disagree with its answers. The week is the server's local one (Monday 00:00 in
-- guild_settings.time_zone, UTC without a settings row), by the same expression the board and the zone-change
-- rebuild use. Locks: the click statements lock the round, then the score row, then (here) the week row, in that
-- order for every writer, so this adds no deadlock.
CREATE FUNCTION player_week_scores_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  added integer := NEW.points - CASE WHEN TG_OP = 'UPDATE' THEN OLD.points ELSE 0 END;
  zone text;
BEGIN
  IF added <> 0 THEN
    SELECT s.time_zone INTO zone FROM guild_settings s WHERE s.guild_id = NEW.guild_id;
    zone := coalesce(zone, 'UTC');
    INSERT INTO player_week_scores AS w (guild_id, week_start, user_id, points)
    VALUES (NEW.guild_id, date_trunc('week', NEW.answered_at AT TIME ZONE zone) AT TIME ZONE zone, NEW.user_id, added)
    ON CONFLICT (guild_id, week_start, user_id) DO UPDATE SET points = w.points + excluded.points;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- The WHEN clauses spare the function call for a wrong answer (0 points) and an update that moves nothing.
CREATE TRIGGER player_week_scores_on_insert AFTER INSERT ON trivia_answers
  FOR EACH ROW WHEN (NEW.points <> 0) EXECUTE FUNCTION player_week_scores_track();
--> statement-breakpoint
CREATE TRIGGER player_week_scores_on_points AFTER UPDATE OF points ON trivia_answers
  FOR EACH ROW WHEN (OLD.points IS DISTINCT FROM NEW.points) EXECUTE FUNCTION player_week_scores_track();
--> statement-breakpoint
-- Every week of the answers already given, each under its server's zone at the time of migrating.
INSERT INTO player_week_scores (guild_id, week_start, user_id, points)
  SELECT a.guild_id, date_trunc('week', a.answered_at AT TIME ZONE z.zone) AT TIME ZONE z.zone, a.user_id, sum(a.points)::int
  FROM trivia_answers a
  CROSS JOIN LATERAL (SELECT coalesce((SELECT s.time_zone FROM guild_settings s WHERE s.guild_id = a.guild_id), 'UTC') AS zone) z
  GROUP BY 1, 2, 3
  HAVING sum(a.points) <> 0;
