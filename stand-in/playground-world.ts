// The playground's world (the server, its channels, members and roles, with their ids) kept in the data directory,
// so a second run on the same directory continues where the first stopped: the bot's rows are keyed by those ids.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SavedWorld {
  guildId: string;
  /** Channel name -> id. */
  channels: Record<string, string>;
  /** Channel name -> Discord channel type, for channels that are not text channels (5 announcement, 15 forum). */
  channelTypes?: Record<string, number>;
  /** Member name -> user id. */
  members: Record<string, string>;
  /** Role name -> id. */
  roles: Record<string, string>;
  /** The time zone times are shown in (`timezone ZONE`); the machine's when unset. */
  timeZone?: string;
}

const FILE = 'world.json';

/** The world saved by an earlier run in this directory, or null (none yet, or unreadable: then it starts over). */
export function loadWorld(dataDir: string): SavedWorld | null {
  const path = join(dataDir, FILE);
  if (!existsSync(path)) return null;
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Partial<SavedWorld>;
    if (typeof saved.guildId !== 'string') return null;
    return {
      guildId: saved.guildId,
      channels: { ...saved.channels },
      members: { ...saved.members },
      roles: { ...saved.roles },
      ...(saved.channelTypes && { channelTypes: { ...saved.channelTypes } }),
      ...(typeof saved.timeZone === 'string' && { timeZone: saved.timeZone }),
    };
  } catch {
    return null;
  }
}

export function saveWorld(dataDir: string, world: SavedWorld): void {
  writeFileSync(join(dataDir, FILE), `${JSON.stringify(world, null, 2)}\n`);
}
