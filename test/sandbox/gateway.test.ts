import { afterEach, describe, expect, it } from 'vitest';
import { Client, GatewayIntentBits, Status } from 'discord.js';
import WebSocket from 'ws';
import { DiscordStandIn } from '../../stand-in/stand-in.js';
import { shardOfGuild } from '../../stand-in/snowflake.js';
import { connectClient } from './harness.js';

describe('gateway and REST basics', () => {
  let discord: DiscordStandIn | undefined;
  let clients: Client[] = [];

  afterEach(async () => {
    await Promise.all(clients.map((c) => c.destroy()));
    clients = [];
    await discord?.stop();
    discord = undefined;
  });

  async function connect(standIn: DiscordStandIn, opts: Parameters<typeof connectClient>[1] = {}): Promise<Client> {
    const client = await connectClient(standIn, opts);
    clients.push(client);
    return client;
  }

  it('GIVEN a guild WHEN the bot logs in THEN READY and GUILD_CREATE fill the cache with channels, roles and the bot member', async () => {
    discord = await DiscordStandIn.start({ token: 'quark.bar.token' });
    const guild = discord.createGuild({ name: 'Deep Space Nine' });
    const ops = discord.createChannel(guild.id, { name: 'ops' });
    const client = await connect(discord);
    expect(client.user?.id).toBe(discord.botUserId);
    expect(client.user?.bot).toBe(true);
    expect(client.application?.id).toBe(discord.applicationId);
    const cached = client.guilds.cache.get(guild.id);
    expect(cached?.available).toBe(true);
    expect(cached?.channels.cache.get(ops.id)?.name).toBe('ops');
    expect(cached?.members.me?.id).toBe(discord.botUserId);
    expect(cached?.roles.botRoleFor(discord.botUserId)?.id).toBe(guild.botRoleId);
    expect(discord.connections()).toBe(1);
  });

  it('GIVEN a wrong token THEN REST answers 401 and login is rejected', async () => {
    discord = await DiscordStandIn.start();
    const res = await fetch(`${discord.restBase}/v10/users/@me`, { headers: { authorization: 'Bot not-the-token' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.restBase } });
    clients.push(client);
    await expect(client.login('not-the-token')).rejects.toThrow(/token/i);
  });

  it('GIVEN IDENTIFY with a wrong token on the gateway THEN the socket closes with 4004', async () => {
    discord = await DiscordStandIn.start();
    const socket = new WebSocket(`${discord.gatewayUrl}/?v=10&encoding=json`);
    const code = await new Promise<number>((resolve) => {
      socket.on('message', (raw) => {
        const payload = JSON.parse(raw.toString()) as { op: number };
        if (payload.op === 10) socket.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
      });
      socket.on('close', (c) => resolve(c));
    });
    expect(code).toBe(4004);
  });

  it('GIVEN an unknown route THEN the answer is a JSON 404', async () => {
    discord = await DiscordStandIn.start();
    const res = await fetch(`${discord.restBase}/v10/holosuites/3`, { headers: { authorization: `Bot ${discord.token}` } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ message: '404: Not Found', code: 0 });
  });

  it('GIVEN the server drops the socket with 4000 THEN the client resumes and gets the dispatch it missed', async () => {
    discord = await DiscordStandIn.start();
    const guild = discord.createGuild({ name: 'Deep Space Nine' });
    const ops = discord.createChannel(guild.id, { name: 'ops' });
    const kira = discord.createMember(guild.id, { username: 'kira' });
    const client = await connect(discord, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent] });
    const resumed = new Promise<void>((resolve) => client.once('shardResume', () => resolve()));
    const received = new Promise<string>((resolve) => client.once('messageCreate', (m) => resolve(m.content)));
    await discord.dropConnection({ code: 4000 });
    expect(discord.connections()).toBe(0);
    discord.sendMessage({ channelId: ops.id, userId: kira.id, content: 'sent while you were away' });
    await resumed;
    expect(await received).toBe('sent while you were away');
    expect(discord.connections()).toBe(1);
    expect(client.ws.status).toBe(Status.Ready);
  });

  it('GIVEN two clients on shards [0,2] and [1,2] THEN each only gets the guilds of its shard', async () => {
    discord = await DiscordStandIn.start();
    const guilds: { id: string; shard: number }[] = [];
    // guild ids carry a timestamp, so keep creating until both shards have a guild
    while (new Set(guilds.map((g) => g.shard)).size < 2 || guilds.length < 4) {
      const g = discord.createGuild({ name: `Station ${guilds.length}` });
      guilds.push({ id: g.id, shard: shardOfGuild(g.id, 2) });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const [first, second] = await Promise.all([
      connect(discord, { shards: 0, shardCount: 2 }),
      connect(discord, { shards: 1, shardCount: 2 }),
    ]);
    expect(discord.connections()).toBe(2);
    const expectFor = (shard: number): string[] => guilds.filter((g) => g.shard === shard).map((g) => g.id).sort();
    expect([...first!.guilds.cache.keys()].sort()).toEqual(expectFor(0));
    expect([...second!.guilds.cache.keys()].sort()).toEqual(expectFor(1));
  });

  it('GIVEN a short heartbeat interval THEN heartbeats are acknowledged and the connection stays up', async () => {
    discord = await DiscordStandIn.start({ heartbeatIntervalMs: 50 });
    discord.createGuild({ name: 'Deep Space Nine' });
    const client = await connect(discord);
    let reconnects = 0;
    client.on('shardReconnecting', () => (reconnects += 1));
    client.on('shardResume', () => (reconnects += 1));
    await new Promise((resolve) => setTimeout(resolve, 400));
    // ping stays -1 until a heartbeat ACK arrives; a missing ACK would make discord.js reconnect
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
    expect(reconnects).toBe(0);
    expect(discord.connections()).toBe(1);
    expect(client.ws.status).toBe(Status.Ready);
  });
});
