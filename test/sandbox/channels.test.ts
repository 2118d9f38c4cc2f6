import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelType, DiscordAPIError, HTTPError, PermissionFlagsBits, ThreadAutoArchiveDuration, type Client, type TextChannel } from 'discord.js';
import { DiscordStandIn } from '../../stand-in/stand-in.js';
import { connectClient } from './harness.js';

describe('messages, threads and permissions through discord.js', () => {
  let discord: DiscordStandIn;
  let client: Client;

  beforeAll(async () => {
    discord = await DiscordStandIn.start();
    client = await connectClient(discord, { rest: { retries: 2 } });
  });

  afterAll(async () => {
    await client?.destroy();
    await discord.stop();
  });

  async function freshChannel(opts: { botPermissions?: bigint } = {}): Promise<{ guildId: string; channel: TextChannel }> {
    const guild = discord.createGuild({ name: 'Bajor', ...opts });
    const created = discord.createChannel(guild.id, { name: 'promenade' });
    const channel = await discord.waitFor(() => client.channels.cache.get(created.id) as TextChannel | undefined);
    return { guildId: guild.id, channel };
  }

  it('GIVEN a guild created after login THEN GUILD_CREATE puts it in the cache with its channels and the bot member', async () => {
    const { guildId, channel } = await freshChannel();
    const guild = client.guilds.cache.get(guildId)!;
    expect(guild.name).toBe('Bajor');
    expect(guild.members.cache.has(discord.botUserId)).toBe(true);
    expect(guild.roles.everyone.id).toBe(guildId);
    expect(channel.type).toBe(ChannelType.GuildText);
  });

  it('GIVEN allowedMentions { parse: [] } THEN nothing would ping; without it @everyone would', async () => {
    const { channel } = await freshChannel();
    const quiet = await channel.send({ content: '@everyone the station is secure', allowedMentions: { parse: [] } });
    const loud = await channel.send('@everyone red alert');
    expect(discord.message(quiet.id)?.pingsAnyone).toBe(false);
    expect(discord.message(quiet.id)?.allowedMentions).toEqual({ parse: [] });
    expect(discord.message(loud.id)?.wouldPing.everyone).toBe(true);
    expect(loud.mentions.everyone).toBe(true);
  });

  it('GIVEN a user mention not in allowed users THEN the member is mentioned but not pinged', async () => {
    const { guildId, channel } = await freshChannel();
    const odo = discord.createMember(guildId, { username: 'odo' });
    const sent = await channel.send({ content: `<@${odo.id}> report`, allowedMentions: { users: [] } });
    expect(discord.message(sent.id)?.wouldPing.users).toEqual([]);
    const pinged = await channel.send({ content: `<@${odo.id}> report`, allowedMentions: { users: [odo.id] } });
    expect(discord.message(pinged.id)?.wouldPing.users).toEqual([odo.id]);
  });

  it('GIVEN a sent message THEN it can be fetched, edited and deleted', async () => {
    const { channel } = await freshChannel();
    const sent = await channel.send('Episode 1 tonight');
    const fetched = await channel.messages.fetch(sent.id);
    expect(fetched.content).toBe('Episode 1 tonight');
    await fetched.edit('Episode 2 tonight');
    expect(discord.message(sent.id)).toMatchObject({ content: 'Episode 2 tonight', edited: true });
    const page = await channel.messages.fetch({ limit: 10 });
    expect(page.map((m) => m.content)).toEqual(['Episode 2 tonight']);
    await fetched.delete();
    expect(discord.messages(channel.id)).toEqual([]);
    const missing = await channel.messages.fetch(sent.id).catch((err: unknown) => err);
    expect((missing as DiscordAPIError).code).toBe(10008);
  });

  it('GIVEN an embed over Discord limits THEN the send fails with 50035', async () => {
    const { channel } = await freshChannel();
    const err = await channel.send({ embeds: [{ title: 'x'.repeat(257) }] }).catch((e: unknown) => e);
    expect((err as DiscordAPIError).code).toBe(50035);
    const empty = await channel.send({ content: '' }).catch((e: unknown) => e);
    expect((empty as DiscordAPIError).code).toBe(50006);
  });

  it('GIVEN a member message THEN the bot receives MESSAGE_CREATE (content blank without the MessageContent intent)', async () => {
    const { guildId, channel } = await freshChannel();
    const kira = discord.createMember(guildId, { username: 'kira' });
    const received = new Promise<{ author: string; content: string }>((resolve) =>
      client.once('messageCreate', (m) => resolve({ author: m.author.id, content: m.content })),
    );
    discord.sendMessage({ channelId: channel.id, userId: kira.id, content: 'Anyone up for a rewatch?' });
    expect(await received).toEqual({ author: kira.id, content: '' });
  });

  it('GIVEN threads.create THEN a standalone public thread exists with its archive duration', async () => {
    const { channel } = await freshChannel();
    const thread = await channel.threads.create({
      name: 'Week 1: Emissary',
      type: ChannelType.PublicThread,
      autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
    });
    await thread.send('Discuss!');
    const [seen] = discord.threads(channel.id);
    expect(seen).toMatchObject({ id: thread.id, name: 'Week 1: Emissary', type: 11, autoArchiveDuration: 10080, archived: false });
    expect(seen?.messages.map((m) => m.content)).toEqual(['Discuss!']);
    expect(client.channels.cache.get(thread.id)?.isThread()).toBe(true);
  });

  it('GIVEN a message WHEN the bot starts a thread from it THEN the thread shares its id and the message shows it', async () => {
    const { channel } = await freshChannel();
    const starter = await channel.send('Season 7 finale');
    const thread = await starter.startThread({ name: 'Finale talk', autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    expect(thread.id).toBe(starter.id);
    expect(discord.message(starter.id)?.thread).toEqual({ id: thread.id, name: 'Finale talk' });
    expect(discord.thread(thread.id)?.starter?.content).toBe('Season 7 finale');
    await thread.setArchived(true);
    expect(discord.thread(thread.id)?.archived).toBe(true);
    await thread.setLocked(true);
    expect(discord.thread(thread.id)?.locked).toBe(true);
  });

  it('GIVEN an invalid auto_archive_duration THEN thread creation fails with 50035', async () => {
    const { channel } = await freshChannel();
    const err = await channel.threads.create({ name: 'bad', autoArchiveDuration: 30 as ThreadAutoArchiveDuration }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect((err as DiscordAPIError).code).toBe(50035);
    expect(discord.threads(channel.id)).toEqual([]);
  });

  it('GIVEN the bot lacks SendMessages THEN sending fails with 50013', async () => {
    const { channel } = await freshChannel();
    discord.setChannelOverwrite(channel.id, { id: discord.botUserId, type: 1, deny: PermissionFlagsBits.SendMessages });
    const err = await channel.send('hello?').catch((e: unknown) => e);
    expect((err as DiscordAPIError).code).toBe(50013);
    expect((err as DiscordAPIError).status).toBe(403);
  });

  it('GIVEN the bot lacks CreatePublicThreads THEN creating a thread fails with 50013', async () => {
    const { guildId, channel } = await freshChannel();
    discord.setChannelOverwrite(channel.id, { id: guildId, type: 0, deny: PermissionFlagsBits.CreatePublicThreads });
    discord.setBotPermissions(guildId, PermissionFlagsBits.SendMessages);
    const err = await channel.threads.create({ name: 'nope', type: ChannelType.PublicThread }).catch((e: unknown) => e);
    expect((err as DiscordAPIError).code).toBe(50013);
  });

  it('GIVEN the bot cannot view the channel THEN requests fail with 50001 Missing Access', async () => {
    const { guildId, channel } = await freshChannel();
    discord.setChannelOverwrite(channel.id, { id: guildId, type: 0, deny: PermissionFlagsBits.ViewChannel });
    const err = await channel.send('anyone?').catch((e: unknown) => e);
    expect((err as DiscordAPIError).code).toBe(50001);
  });

  it('GIVEN a deleted channel THEN the bot gets CHANNEL_DELETE and later requests 10003', async () => {
    const { channel } = await freshChannel();
    const deleted = new Promise<string>((resolve) => client.once('channelDelete', (c) => resolve(c.id)));
    discord.deleteChannel(channel.id);
    expect(await deleted).toBe(channel.id);
    const err = await client.rest.get(`/channels/${channel.id}`).catch((e: unknown) => e);
    expect((err as DiscordAPIError).code).toBe(10003);
  });

  it('GIVEN failNext 429 THEN discord.js waits and retries transparently', async () => {
    const { channel } = await freshChannel();
    discord.failNext({ method: 'POST', path: /\/channels\/\d+\/messages$/, status: 429, retryAfter: 0.1 });
    const before = discord.requestCounts()['POST /channels/:id/messages'] ?? 0;
    const sent = await channel.send('after the rate limit');
    expect(discord.message(sent.id)?.content).toBe('after the rate limit');
    expect(discord.requestCounts()['POST /channels/:id/messages']).toBe(before + 2);
  });

  it('GIVEN failNext 500 THEN discord.js retries up to its retry count and then surfaces an HTTPError', async () => {
    const { channel } = await freshChannel();
    discord.failNext({ method: 'POST', path: /\/channels\/\d+\/messages$/, status: 500, count: 1 });
    const retried = await channel.send('survives one 500');
    expect(discord.message(retried.id)?.content).toBe('survives one 500');
    discord.failNext({ method: 'POST', path: /\/channels\/\d+\/messages$/, status: 500, count: 3 });
    const err = await channel.send('does not survive three').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HTTPError);
    expect((err as HTTPError).status).toBe(500);
  });

  it('GIVEN reactions from the bot and a member THEN both are recorded and the fetched message reports them', async () => {
    const { guildId, channel } = await freshChannel();
    const nog = discord.createMember(guildId, { username: 'nog' });
    const poll = await channel.send('Best episode of the week?');
    await poll.react('👍');
    discord.react({ userId: nog.id, messageId: poll.id, emoji: '👍' });
    expect(discord.message(poll.id)?.reactions).toEqual([{ emoji: '👍', count: 2, userIds: [discord.botUserId, nog.id] }]);
    const fetched = await channel.messages.fetch({ message: poll.id, force: true });
    expect(fetched.reactions.cache.get('👍')?.count).toBe(2);
    expect(fetched.reactions.cache.get('👍')?.me).toBe(true);
  });

  it('GIVEN an archived thread THEN a bot message unarchives it, but a locked archived thread refuses with 50083', async () => {
    const { guildId, channel } = await freshChannel();
    const thread = await channel.threads.create({ name: 'Week 3' });
    discord.archiveThread(thread.id);
    await thread.send('Still talking');
    expect(discord.thread(thread.id)?.archived).toBe(false);
    discord.archiveThread(thread.id, { locked: true });
    discord.setBotPermissions(guildId, PermissionFlagsBits.SendMessagesInThreads);
    const err = await thread.send('Let me in').catch((e: unknown) => e);
    expect((err as DiscordAPIError).code).toBe(50083);
  });

  it('GIVEN the bot is removed from a guild THEN the client drops it from the cache', async () => {
    const { guildId } = await freshChannel();
    const gone = new Promise<string>((resolve) => client.once('guildDelete', (g) => resolve(g.id)));
    discord.removeGuild(guildId);
    expect(await gone).toBe(guildId);
    expect(client.guilds.cache.has(guildId)).toBe(false);
  });
});
