CREATE TABLE "player_score_bands" (
	"guild_id" text NOT NULL,
	"band" integer NOT NULL,
	"members" integer NOT NULL,
	CONSTRAINT "player_score_bands_guild_id_band_pk" PRIMARY KEY("guild_id","band")
);
