-- Custom SQL migration file, put your code below! --
-- Keeps player_score_counts (members per server per points total above 0) in step with player_scores, so a
-- leaderboard rank is a sum over the distinct totals above the caller instead of a count of the members.
-- Points only grow, so a move takes its old row before its new one (ascending): two moves cannot deadlock.
CREATE FUNCTION player_score_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.points > 0 THEN
    UPDATE player_score_counts SET members = members - 1 WHERE guild_id = OLD.guild_id AND points = OLD.points;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.points > 0 THEN
    INSERT INTO player_score_counts AS c (guild_id, points, members) VALUES (NEW.guild_id, NEW.points, 1)
    ON CONFLICT (guild_id, points) DO UPDATE SET members = c.members + 1;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER player_score_counts_on_insert_or_delete AFTER INSERT OR DELETE ON player_scores
  FOR EACH ROW EXECUTE FUNCTION player_score_counts_track();
--> statement-breakpoint
CREATE TRIGGER player_score_counts_on_points AFTER UPDATE OF points ON player_scores
  FOR EACH ROW WHEN (OLD.points IS DISTINCT FROM NEW.points) EXECUTE FUNCTION player_score_counts_track();
--> statement-breakpoint
INSERT INTO player_score_counts (guild_id, points, members)
  SELECT guild_id, points, count(*)::int FROM player_scores WHERE points > 0 GROUP BY guild_id, points;
