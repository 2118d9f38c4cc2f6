// What the REST proxy does with each request, between a discord.js REST client (as the bot's) and the stand-in:
// Discord's answers and errors come back as Discord gave them, a request Discord rate-limited is sent again with
// its body, another bot's token is refused, and Discord out of reach is a 502, never the token in the logs.
import { DiscordAPIError, HTTPError, REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startRestProxy, type RunningRestProxy } from '../../src/rest-proxy-server.js';
import { DiscordStandIn } from '../../stand-in/index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

interface Setup {
  discord: DiscordStandIn;
  proxy: RunningRestProxy;
  /** a client as the bot has, pointed at the proxy */
  rest: REST;
  logs: string[];
  channelId: string;
}

async function setUp(opts: { upstreamApiUrl?: string } = {}): Promise<Setup> {
  const discord = await DiscordStandIn.start({ enforceGlobalRateLimit: true });
  cleanups.push(() => discord.stop());
  const logs: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void logs.push(line) });
  const proxy = await startRestProxy({
    token: discord.token,
    upstreamApiUrl: opts.upstreamApiUrl ?? discord.restBase,
    port: 0,
    host: '127.0.0.1',
    logger,
  });
  cleanups.push(() => proxy.close());
  const rest = new REST({ api: `http://127.0.0.1:${proxy.port}/api`, retries: 0 }).setToken(discord.token);
  const guild = discord.createGuild({ name: 'Deep Space Nine' });
  return { discord, proxy, rest, logs, channelId: discord.createChannel(guild.id, { name: 'ops' }).id };
}

describe('REST proxy forwarding', () => {
  it('GIVEN a message through the proxy THEN Discord gets it as sent and the bot gets Discord\'s answer', async () => {
    const { discord, rest, channelId } = await setUp();
    const sent = (await rest.post(Routes.channelMessages(channelId), { body: { content: 'Odo to ops', allowed_mentions: { parse: [] } } })) as { id: string; content: string };
    expect(sent.content).toBe('Odo to ops');
    expect(discord.message(sent.id)?.content).toBe('Odo to ops');
    const fetched = (await rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ limit: '5' }) })) as { id: string }[];
    expect(fetched.map((m) => m.id)).toContain(sent.id);
  });

  it('GIVEN Discord refuses a request THEN the bot gets Discord\'s own error (status, code and message), not a 502', async () => {
    const { rest, channelId } = await setUp();
    const refused = await rest.post(Routes.channelMessages(channelId), { body: { content: '' } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DiscordAPIError);
    expect((refused as DiscordAPIError).status).toBe(400);
    expect((refused as DiscordAPIError).code).toBe(50006);
    const missing = await rest.get(Routes.channel('1234567890123456789')).catch((error: unknown) => error);
    expect((missing as DiscordAPIError).status).toBe(404);
  });

  it('GIVEN Discord answers a request with a 429 THEN the proxy waits and sends it again with its body, and the bot sees one success', async () => {
    const { discord, rest, channelId } = await setUp();
    discord.failNext({ method: 'POST', path: /\/channels\/\d+\/messages$/, status: 429, retryAfter: 0.2 });
    discord.failNext({ method: 'POST', path: /\/channels\/\d+\/threads$/, status: 429, retryAfter: 0.2 });
    const message = (await rest.post(Routes.channelMessages(channelId), { body: { content: 'Second try' } })) as { id: string };
    expect(discord.message(message.id)?.content).toBe('Second try');
    const thread = (await rest.post(Routes.threads(channelId), { body: { name: 'Rewatch 1/9', type: 11 } })) as { name: string };
    expect(thread.name).toBe('Rewatch 1/9');
    expect(discord.requestCounts()['POST /channels/:id/messages']).toBe(2);
  });

  it('GIVEN a request with another bot\'s token THEN the proxy refuses it with 401 and Discord never sees it', async () => {
    const { discord, proxy, channelId } = await setUp();
    const other = new REST({ api: `http://127.0.0.1:${proxy.port}/api`, retries: 0 }).setToken('another.bots.token');
    const refused = await other.post(Routes.channelMessages(channelId), { body: { content: 'hello' } }).catch((error: unknown) => error);
    expect((refused as DiscordAPIError).status).toBe(401);
    expect(discord.requestCounts()['POST /channels/:id/messages'] ?? 0).toBe(0);
  });

  it('GIVEN Discord out of reach THEN the bot gets a 502 at once, and the logs say so without the token', async () => {
    const { discord, rest, logs, channelId } = await setUp({ upstreamApiUrl: 'http://127.0.0.1:1/api' });
    const failed = await rest.post(Routes.channelMessages(channelId), { body: { content: 'hello' } }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(HTTPError);
    expect((failed as HTTPError).status).toBe(502);
    expect(logs.join('\n')).toContain('REST proxy could not reach Discord');
    expect(logs.join('\n')).toContain('/channels/:id/messages');
    expect(logs.join('\n')).not.toContain(discord.token);
  });

  it('THEN /healthz answers for the compose health check without calling Discord', async () => {
    const { discord, proxy } = await setUp();
    const health = await fetch(`http://127.0.0.1:${proxy.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(Object.keys(discord.requestCounts())).toEqual([]);
  });
});
