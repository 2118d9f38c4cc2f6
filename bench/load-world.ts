// Builds the servers the load runs against, in a Discord stand-in: N servers, each with one channel and
// its members. Built before the bot connects, so everything arrives in GUILD_CREATE like on Discord.
import type { DiscordStandIn } from '../stand-in/index.js';

export interface LoadServer {
  guildId: string;
  channelId: string;
  /** members[0] starts games; the rest click */
  members: string[];
}

export function buildServers(discord: DiscordStandIn, count: number, membersPerServer: number): LoadServer[] {
  const servers: LoadServer[] = [];
  for (let s = 0; s < count; s++) {
    const guild = discord.createGuild({ name: `Bajor Sector ${s}` });
    const channel = discord.createChannel(guild.id, { name: 'trivia' });
    const members: string[] = [];
    for (let m = 0; m < membersPerServer; m++) members.push(discord.createMember(guild.id, { username: `crew-${s}-${m}` }).id);
    servers.push({ guildId: guild.id, channelId: channel.id, members });
  }
  return servers;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
