// The Discord side of the rewatch scheduler, against the local Discord stand-in over real discord.js REST.
import { DiscordAPIError, HTTPError, PermissionFlagsBits, REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordThreadPoster, classifyDiscordError, rewatchRest } from '../../src/discord/rewatch-poster.js';
import { DeliveryError } from '../../src/rewatch/delivery.js';
import { DiscordStandIn } from '../../stand-in/index.js';

/** What every text-channel thread in these tests shares. */
const TEXT_THREAD = { kind: 'text', tagName: 'Rewatch', auditReason: 'DS9 rewatch: episode 7x20' } as const;

const apiError = (code: number, status: number) =>
  new DiscordAPIError({ code, message: 'x' }, code, status, 'POST', '/channels/1/threads', { body: undefined, files: undefined });

describe('classifyDiscordError', () => {
  it.each([
    [apiError(10003, 404), 'channel-unusable', /no longer exists/],
    [apiError(50001, 403), 'channel-unusable', /cannot see/],
    [apiError(50013, 403), 'channel-unusable', /Create Public Threads/],
    [apiError(160006, 400), 'channel-unusable', /limit of active threads/],
    [apiError(50035, 400), 'channel-unusable', /error 50035/],
    [apiError(0, 429), 'retryable', /rate limited/],
    [apiError(0, 503), 'retryable', /503/],
    [new HTTPError(500, 'Internal Server Error', 'POST', '/x', { body: undefined, files: undefined }), 'retryable', /500/],
    [new HTTPError(502, 'Bad Gateway', 'POST', '/x', { body: undefined, files: undefined }), 'retryable', /502/],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'retryable', /could not reach Discord/],
  ])('GIVEN %s THEN it is %s', (error, kind, text) => {
    const classified = classifyDiscordError(error);
    expect(classified).toBeInstanceOf(DeliveryError);
    expect(classified.failure.kind).toBe(kind);
    expect(classified.message).toMatch(text);
  });
});

describe('DiscordThreadPoster against the stand-in', () => {
  let discord: DiscordStandIn;
  let poster: DiscordThreadPoster;

  beforeAll(async () => {
    discord = await DiscordStandIn.start();
    poster = new DiscordThreadPoster(new REST({ api: discord.restBase, retries: 1 }).setToken(discord.token));
  });
  afterAll(async () => discord?.stop());

  function place() {
    const guild = discord.createGuild({ name: 'Bajor' });
    const channel = discord.createChannel(guild.id, { name: 'rewatch' });
    return { guildId: guild.id, channelId: channel.id };
  }

  it('GIVEN a usable channel THEN a public week-long thread opens with the starter inside, pinging no one', async () => {
    const { guildId, channelId } = place();
    const { threadId } = await poster.createThread({ ...TEXT_THREAD, guildId, channelId, name: 'Rewatch 1/6: Test (7x20)', starter: { content: 'Hello @everyone', episodeCode: '7x20', nonce: 'n1' } });
    const [thread] = discord.threads(channelId);
    expect(thread).toMatchObject({ id: threadId, name: 'Rewatch 1/6: Test (7x20)', type: 11, autoArchiveDuration: 10080 });
    expect(thread!.messages[0]?.content).toBe('Hello @everyone');
    expect(thread!.messages[0]?.pingsAnyone).toBe(false);
    expect(JSON.stringify(thread!.messages[0]?.components)).toContain('"custom_id":"trivia:episode:7x20"');
  });

  it('GIVEN threads with the same name elsewhere THEN findThreads returns only this channel\'s, with whether they have messages', async () => {
    const { guildId, channelId } = place();
    const other = discord.createChannel(guildId, { name: 'elsewhere' });
    const name = 'Rewatch 2/6: Twin (7x21)';
    const { threadId } = await poster.createThread({ ...TEXT_THREAD, guildId, channelId, name, starter: { content: 'starter', episodeCode: '7x20', nonce: 'n1' } });
    await poster.createThread({ ...TEXT_THREAD, guildId, channelId: other.id, name, starter: { content: 'starter', episodeCode: '7x20', nonce: 'n1' } });
    expect(await poster.findThreads({ guildId, channelId, name })).toEqual([{ threadId, hasMessages: true }]);
    expect(await poster.findThreads({ guildId, channelId, name: 'Rewatch 3/6: Nope (7x22)' })).toEqual([]);
  });

  it('GIVEN the bot cannot create threads THEN createThread fails as channel-unusable and names the permissions', async () => {
    const guild = discord.createGuild({ name: 'Cardassia' });
    const channel = discord.createChannel(guild.id, { name: 'rewatch' });
    discord.setChannelOverwrite(channel.id, { id: guild.botRoleId, type: 0, deny: PermissionFlagsBits.CreatePublicThreads });
    const error = await poster.createThread({ ...TEXT_THREAD, guildId: guild.id, channelId: channel.id, name: 'n', starter: { content: 's', episodeCode: '7x20', nonce: 'n1' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).failure).toMatchObject({ kind: 'channel-unusable' });
    expect((error as DeliveryError).message).toMatch(/Create Public Threads/);
  });

  it('GIVEN a deleted channel THEN posting fails as channel-unusable and the problem notice cannot be delivered', async () => {
    const { guildId, channelId } = place();
    discord.deleteChannel(channelId);
    const error = await poster.postMessage(channelId, { content: 'hi', nonce: 'hi' }).catch((e: unknown) => e);
    expect((error as DeliveryError).failure).toMatchObject({ kind: 'channel-unusable', reason: expect.stringMatching(/no longer exists/) });
    expect(await poster.notifyProblem({ guildId, channelId, message: { content: 'paused', nonce: 'p' } })).toBe(false);
  });

  it('GIVEN Discord keeps answering 500 THEN the failure is retryable; a short 429 is waited out by discord.js', async () => {
    const { guildId, channelId } = place();
    discord.failNext({ method: 'POST', path: /\/channels\/\d+\/threads$/, status: 500, count: 2 });
    const error = await poster.createThread({ ...TEXT_THREAD, guildId, channelId, name: 'five hundred', starter: { content: 's', episodeCode: '7x20', nonce: 'n1' } }).catch((e: unknown) => e);
    expect((error as DeliveryError).failure.kind).toBe('retryable');
    expect(discord.threads(channelId)).toEqual([]);

    discord.failNext({ method: 'POST', path: /\/channels\/\d+\/threads$/, status: 429, retryAfter: 0.05 });
    await poster.createThread({ ...TEXT_THREAD, guildId, channelId, name: 'after a pause', starter: { content: 's', episodeCode: '7x20', nonce: 'n1' } });
    expect(discord.threads(channelId).map((t) => t.name)).toEqual(['after a pause']);
  });

  it('GIVEN the bot\'s REST from rewatchRest THEN a long 429 fails at once as retryable instead of being slept through', async () => {
    const { guildId, channelId } = place();
    const bounded = new DiscordThreadPoster(rewatchRest(new REST({ api: discord.restBase }), discord.token));
    discord.failNext({ method: 'POST', path: /\/channels\/\d+\/threads$/, status: 429, retryAfter: 600 });
    const error = await bounded.createThread({ ...TEXT_THREAD, guildId, channelId, name: 'rate limited', starter: { content: 's', episodeCode: '7x20', nonce: 'n1' } }).catch((e: unknown) => e);
    expect((error as DeliveryError).failure).toEqual({ kind: 'retryable', detail: expect.stringMatching(/^rate limited for 60\d s$/) });
    expect(discord.threads(channelId)).toEqual([]);
  });

  it('GIVEN a usable channel THEN the problem notice goes there', async () => {
    const { guildId, channelId } = place();
    expect(await poster.notifyProblem({ guildId, channelId, message: { content: 'The weekly rewatch is paused.', nonce: 'p' } })).toBe(true);
    expect(discord.messages(channelId).at(-1)?.content).toBe('The weekly rewatch is paused.');
  });
});
