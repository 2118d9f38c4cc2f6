import { afterEach, describe, expect, it } from 'vitest';
import { AttachmentBuilder, DiscordAPIError, GatewayIntentBits, MessageFlags, type Client, type Interaction, type TextChannel } from 'discord.js';
import { DiscordStandIn } from '../../stand-in/stand-in.js';
import { connectClient } from './harness.js';

describe('REST traffic details', () => {
  let discord: DiscordStandIn | undefined;
  let client: Client | undefined;

  afterEach(async () => {
    await client?.destroy();
    client = undefined;
    await discord?.stop();
    discord = undefined;
  });

  async function setUp(opts: Parameters<typeof DiscordStandIn.start>[0] = {}) {
    const standIn = await DiscordStandIn.start(opts);
    discord = standIn;
    const guild = standIn.createGuild({ name: 'Deep Space Nine' });
    const ops = standIn.createChannel(guild.id, { name: 'ops' });
    const kira = standIn.createMember(guild.id, { username: 'kira' });
    client = await connectClient(standIn, {
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    });
    const channel = client.channels.cache.get(ops.id) as TextChannel;
    return { standIn, guild, ops, kira, channel, bot: client };
  }

  it('GIVEN a bot request THEN the answer carries X-RateLimit headers', async () => {
    const { standIn, ops } = await setUp();
    const res = await fetch(`${standIn.restBase}/v10/channels/${ops.id}`, { headers: { authorization: `Bot ${standIn.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('50');
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBe(49);
    expect(res.headers.get('x-ratelimit-bucket')).toBeTruthy();
    expect(Number(res.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(0);
  });

  it('GIVEN global limit enforcement WHEN more than 50 requests arrive in a second THEN the rest get a global 429', async () => {
    const { standIn } = await setUp({ enforceGlobalRateLimit: true });
    const responses = await Promise.all(
      Array.from({ length: 60 }, () => fetch(`${standIn.restBase}/v10/users/@me`, { headers: { authorization: `Bot ${standIn.token}` } })),
    );
    const limited = responses.filter((r) => r.status === 429);
    expect(responses.filter((r) => r.status === 200).length).toBeLessThanOrEqual(50);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    const first = limited[0]!;
    expect(first.headers.get('x-ratelimit-global')).toBe('true');
    expect(first.headers.get('x-ratelimit-scope')).toBe('global');
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await first.json()).toMatchObject({ global: true, message: 'You are being rate limited.' });
  });

  it('GIVEN a file sent as multipart THEN the attachment is stored and served by the stand-in', async () => {
    const { standIn, channel } = await setUp();
    const sent = await channel.send({
      content: 'The pack',
      files: [new AttachmentBuilder(Buffer.from('questions: 3\n'), { name: 'pack.yaml' })],
    });
    const seen = standIn.message(sent.id)!;
    expect(seen.attachments.map((a) => a.filename)).toEqual(['pack.yaml']);
    expect(await (await fetch(seen.attachments[0]!.url)).text()).toBe('questions: 3\n');
    expect(sent.attachments.first()?.name).toBe('pack.yaml');
  });

  it('GIVEN member messages THEN the bot sees create, update and delete events', async () => {
    const { standIn, ops, kira, bot } = await setUp();
    const events: string[] = [];
    bot.on('messageCreate', (m) => events.push(`create:${m.content}`));
    bot.on('messageUpdate', (_old, m) => events.push(`update:${m.content ?? ''}`));
    bot.on('messageDelete', (m) => events.push(`delete:${m.id}`));
    const posted = standIn.sendMessage({ channelId: ops.id, userId: kira.id, content: 'Morning, Constable' });
    standIn.editMessage(posted.id, 'Morning, Odo');
    standIn.deleteMessage(posted.id);
    await standIn.waitFor(() => events.length === 3);
    expect(events).toEqual(['create:Morning, Constable', 'update:Morning, Odo', `delete:${posted.id}`]);
  });

  it('GIVEN a slash command inside a thread THEN the reply lands in the thread', async () => {
    const { standIn, ops, kira, channel, bot } = await setUp();
    await bot.application!.commands.set([{ name: 'ping', description: 'Answers' }]);
    const created: string[] = [];
    bot.on('threadCreate', (t, newly) => created.push(`${t.name}:${String(newly)}`));
    const thread = await channel.threads.create({ name: 'Week 2' });
    await standIn.waitFor(() => created.length === 1);
    expect(created).toEqual(['Week 2:true']);
    bot.on('interactionCreate', (i: Interaction) => {
      if (i.isChatInputCommand()) void i.reply(`in ${i.channel?.isThread() ? 'a thread' : 'a channel'}`);
    });
    const r = await standIn.slashCommand({ channelId: thread.id, userId: kira.id, command: 'ping' });
    expect((await r.reply()).content).toBe('in a thread');
    expect(standIn.messages(thread.id).map((m) => m.content)).toEqual(['in a thread']);
    expect(standIn.messages(ops.id).every((m) => m.content !== 'in a thread')).toBe(true);
  });

  it('GIVEN the interaction token lifetime passed THEN follow-ups are refused with 50027', async () => {
    const { standIn, ops, kira, bot } = await setUp({ interactionTokenLifetimeMs: 150 });
    await bot.application!.commands.set([{ name: 'ping', description: 'Answers' }]);
    let late: unknown;
    bot.on('interactionCreate', (i: Interaction) => {
      if (!i.isChatInputCommand()) return;
      void (async () => {
        await i.reply({ content: 'first', flags: MessageFlags.Ephemeral });
        await new Promise((resolve) => setTimeout(resolve, 200));
        late = await i.followUp('much later').catch((err: unknown) => err);
      })();
    });
    await standIn.slashCommand({ channelId: ops.id, userId: kira.id, command: 'ping' });
    await standIn.waitFor(() => late);
    expect((late as DiscordAPIError).code).toBe(50027);
  });

  it('GIVEN commands registered per guild THEN they are stored with ids that survive a re-registration', async () => {
    const { standIn, guild, bot } = await setUp();
    const first = await bot.guilds.cache.get(guild.id)!.commands.set([{ name: 'rewatch', description: 'Weekly threads' }]);
    const again = await bot.guilds.cache.get(guild.id)!.commands.set([{ name: 'rewatch', description: 'Weekly rewatch threads' }]);
    expect([...again.keys()]).toEqual([...first.keys()]);
    expect(standIn.registeredCommands(guild.id).map((c) => c['description'])).toEqual(['Weekly rewatch threads']);
    const bad = await bot.application!.commands.set([{ name: 'Bad Name', description: 'x' }]).catch((e: unknown) => e);
    expect((bad as DiscordAPIError).code).toBe(50035);
  });
});
