CREATE TABLE "player_score_band_groups" (
	"guild_id" text NOT NULL,
	"band_group" integer NOT NULL,
	"members" integer NOT NULL,
	CONSTRAINT "player_score_band_groups_guild_id_band_group_pk" PRIMARY KEY("guild_id","band_group")
);
--> statement-breakpoint
-- The trigger of migrations 0002 and 0005 now also keeps player_score_band_groups (members per server per group of
-- 100 bands, 10,000 points: SCORE_BAND_GROUP_WIDTH), so a rank adds up the groups above the caller, the bands above
-- them in their group and the totals above them in their band: about 100 + 100 rows plus one per 10,000 points,
-- instead of one per band above the caller (a thousand in a server whose leaders hold 100,000 points).
-- Writers wait here until this migration commits, and it waits for those under way, so the backfill below sees
-- every score written by the old function and every later write goes through the new one.
LOCK TABLE player_scores IN SHARE MODE;
--> statement-breakpoint
-- Locks are still taken in one order (every per-total row ascending, then every band row ascending, then every
-- group row ascending; points only grow), so two moves cannot deadlock. A band row is touched only when a member
-- changes band, a group row only when they change group.
CREATE OR REPLACE FUNCTION player_score_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_band integer := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') AND OLD.points > 0 THEN OLD.points / 100 END;
  new_band integer := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') AND NEW.points > 0 THEN NEW.points / 100 END;
  old_group integer := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') AND OLD.points > 0 THEN OLD.points / 10000 END;
  new_group integer := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') AND NEW.points > 0 THEN NEW.points / 10000 END;
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
  IF old_group IS DISTINCT FROM new_group THEN
    IF old_group IS NOT NULL THEN
      UPDATE player_score_band_groups SET members = members - 1 WHERE guild_id = OLD.guild_id AND band_group = old_group;
    END IF;
    IF new_group IS NOT NULL THEN
      INSERT INTO player_score_band_groups AS g (guild_id, band_group, members) VALUES (NEW.guild_id, new_group, 1)
      ON CONFLICT (guild_id, band_group) DO UPDATE SET members = g.members + 1;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
INSERT INTO player_score_band_groups (guild_id, band_group, members)
  SELECT guild_id, points / 10000, count(*)::int FROM player_scores WHERE points > 0 GROUP BY guild_id, points / 10000;
