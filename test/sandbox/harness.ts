import { Client, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { DiscordStandIn } from '../../stand-in/stand-in.js';

/** A plain discord.js client pointed at the stand-in; resolves once `ready` fired. */
export async function connectClient(
  discord: DiscordStandIn,
  opts: Partial<ClientOptions> & { token?: string } = {},
): Promise<Client> {
  const { token, rest, ...clientOptions } = opts;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    ...clientOptions,
    rest: { ...rest, api: discord.restBase },
  });
  const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  await client.login(token ?? discord.token);
  await ready;
  return client;
}
