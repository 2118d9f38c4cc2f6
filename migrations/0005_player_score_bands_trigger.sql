-- Custom SQL migration file, put your code below! --
-- The trigger of migration 0002 now also keeps player_score_bands (members per server per 100-point band), so a
-- rank adds up about a hundred bands and totals instead of every distinct total above the caller.
-- Locks are still taken in one order (every per-total row ascending, then every band row ascending; points only
-- grow), so two moves cannot deadlock. A band row is touched only when a member changes band.
CREATE OR REPLACE FUNCTION player_score_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_band integer := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') AND OLD.points > 0 THEN OLD.points / 100 END;
  new_band integer := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') AND NEW.points > 0 THEN NEW.points / 100 END;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.points > 0 THEN
    UPDATE player_score_counts SET members = members - 1 WHERE guild_id = OLD.guild_id AND points = OLD.points;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.points > 0 THEN
    INSERT INTO player_score_counts AS c (guild_id, points, members) VALUES (NEW.guild_id, NEW.points, 1)
    ON CONFLICT (guild_id, points) DO UPDATE SET members = c.members + 1;
  END IF;
  IF old_band IS DISTINCT FROM new_band THEN
    IF old_band IS NOT NULL THEN
      UPDATE player_score_bands SET members = members - 1 WHERE guild_id = OLD.guild_id AND band = old_band;
    END IF;
    IF new_band IS NOT NULL THEN
      INSERT INTO player_score_bands AS b (guild_id, band, members) VALUES (NEW.guild_id, new_band, 1)
      ON CONFLICT (guild_id, band) DO UPDATE SET members = b.members + 1;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
INSERT INTO player_score_bands (guild_id, band, members)
  SELECT guild_id, points / 100, count(*)::int FROM player_scores WHERE points > 0 GROUP BY guild_id, points / 100;
