import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent, type Myth } from '../../src/content/index.js';
import { GuildSettingsRepository } from '../../src/db/repositories/guild-settings.js';
import { RewatchRepository } from '../../src/db/repositories/rewatch.js';
import { mythPosts } from '../../src/db/schema.js';
import type { InteractionHandle, VisibleMessage } from '../../stand-in/index.js';
import { buttonIds } from './trivia-helpers.js';
import { createWorld, type World } from './world.js';

const bank = loadContent().myths;
const byId = (id: string) => bank.find((m) => m.id === id)!;

let world: World;
afterEach(async () => world?.close());

/**
 * `/myth ask [claim]` as a member; returns the bot's answer as the member sees it. For a post, it also waits
 * until the bot has recorded which message shows it (the bot's last step, just after the reply).
 */
async function ask(userId: string, claim?: string, channelId = world.channel.id, guildId = world.guild.id): Promise<VisibleMessage> {
  const handle = await world.discord.slashCommand({ guildId, channelId, userId, command: 'myth', subcommand: 'ask', ...(claim !== undefined && { options: { claim } }) });
  const reply = await handle.reply();
  if (!reply.ephemeral) await postRecorded(reply.id);
  return reply;
}

async function postRecorded(messageId: string): Promise<void> {
  for (let waited = 0; waited < 5_000; waited += 10) {
    const rows = await world.database.db.select({ id: mythPosts.id }).from(mythPosts).where(eq(mythPosts.messageId, messageId));
    if (rows.length === 1) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the bot never recorded message ${messageId} as a myth post`);
}

/** The bank myth a post shows (its claim is quoted in the embed). */
function mythOf(message: VisibleMessage): Myth {
  const description = message.embeds[0]?.description ?? '';
  const myth = bank.find((m) => description.includes(m.claim));
  expect(myth, `the post should quote a bank claim: ${description.slice(0, 80)}`).toBeDefined();
  return myth!;
}

async function click(userId: string, message: VisibleMessage, label: 'Myth' | 'Fact' | 'Reveal'): Promise<InteractionHandle> {
  const button = buttonIds(world.discord.message(message.id)!).find((b) => b.label === label);
  expect(button, `button ${label}`).toBeDefined();
  return world.discord.clickButton({ userId, messageId: message.id, customId: button!.customId });
}

async function vote(userId: string, message: VisibleMessage, label: 'Myth' | 'Fact'): Promise<string> {
  const reply = await (await click(userId, message, label)).reply();
  expect(reply.ephemeral).toBe(true);
  return reply.content;
}

const verdictOf = (message: VisibleMessage) => world.discord.message(message.id)!.embeds[0]!;

async function list(userId: string, guildId = world.guild.id, channelId = world.channel.id): Promise<string[]> {
  const reply = await (await world.discord.slashCommand({ guildId, channelId, userId, command: 'myth', subcommand: 'list' })).reply();
  expect(reply.ephemeral).toBe(true);
  return reply.embeds[0]!.description!.split('\n');
}

describe('/myth ask', () => {
  it('GIVEN a member asks with no claim THEN a myth is posted; votes, a changed vote and a double click count once each; the minute runs out and the post turns into the verdict', async () => {
    world = await createWorld();
    const { members } = world;
    const post = await ask(members.kira.id);
    expect(post.ephemeral).toBe(false);
    expect(post.pingsAnyone).toBe(false);
    expect(post.embeds[0]?.title).toBe('Myth or fact?');
    expect(buttonIds(post).map((b) => b.label)).toEqual(['Myth', 'Fact', 'Reveal']);
    const myth = mythOf(post);
    expect(post.embeds[0]?.description).not.toContain(myth.explanation);

    expect(await vote(members.kira.id, post, 'Fact')).toBe('You voted **Fact**. You can change your vote until the verdict.');
    expect(await vote(members.quark.id, post, 'Fact')).toContain('You voted **Fact**');
    expect(await vote(members.nog.id, post, 'Myth')).toContain('You voted **Myth**');
    expect(await vote(members.quark.id, post, 'Myth')).toBe('You changed your vote to **Myth** (it was Fact).');
    // A double click: both clicks answered, one vote.
    const [first, second] = await Promise.all([click(members.odo.id, post, 'Fact'), click(members.odo.id, post, 'Fact')]);
    const texts = [(await first.reply()).content, (await second.reply()).content].sort();
    expect(texts[0]).toContain('You voted **Fact**');
    expect(texts.join(' ')).toContain('counts once');

    world.clock.advance(59_000);
    await world.bot.tick();
    expect(world.discord.message(post.id)?.edited).toBe(false);

    world.clock.advance(1_000);
    // Time is up but no tick yet: a late vote is refused, not counted.
    expect(await vote(members.sisko.id, post, 'Fact')).toContain('closed');
    await world.bot.tick();
    const revealed = world.discord.message(post.id)!;
    expect(revealed.edited).toBe(true);
    expect(revealed.components).toEqual([]);
    expect(revealed.pingsAnyone).toBe(false);
    const embed = verdictOf(post);
    const verdict = myth.verdict === 'myth' ? 'Myth' : 'Fact';
    expect(embed.title).toBe(`${verdict}! ${myth.title}`);
    expect(embed.description).toContain(`**Verdict: ${verdict}.** ${myth.explanation}`);
    // kira and odo said Fact; quark (changed) and nog said Myth.
    expect(embed.description).toContain('`Fact 2 █████░░░░░ 2 Myth`');
    expect(embed.description).toContain(`2 of 4 ${myth.believers}.`);
    expect(embed.description).toContain('Across all servers, 50% got this right (4 votes).');
    expect(embed.description).toContain('Revealed after a minute of voting.');

    // Ticking again changes nothing: the reveal happened once.
    await world.bot.tick();
    expect(verdictOf(post).description).toContain('(4 votes)');
  });

  it('GIVEN a posted myth THEN only the asker or Manage Messages can reveal it early, the post turns into the verdict, and a second reveal is a no-op', async () => {
    world = await createWorld();
    const { members } = world;
    const post = await ask(members.kira.id, 'sisko-died');
    expect(mythOf(post).id).toBe('sisko-died');
    await vote(members.quark.id, post, 'Fact');

    const refused = await (await click(members.nog.id, post, 'Reveal')).reply();
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain('Manage Messages');
    expect(refused.pingsAnyone).toBe(false);
    expect(world.discord.message(post.id)?.edited).toBe(false);

    const byAsker = await click(members.kira.id, post, 'Reveal');
    await world.discord.waitFor(() => byAsker.callbackType !== null);
    expect(byAsker.callbackType).toBe(7); // the clicked message itself is updated
    const embed = verdictOf(post);
    expect(embed.title).toBe('Myth! Sisko died');
    expect(embed.description).toContain('1 of 1 thought Sisko died.');
    expect(embed.description).toContain('Across all servers, 0% got this right (1 vote).');
    expect(embed.description).toContain(`Revealed by <@${members.kira.id}>.`);
    expect(world.discord.message(post.id)?.components).toEqual([]);
    expect(world.discord.message(post.id)?.pingsAnyone).toBe(false);

    // The timer finds nothing left to do.
    world.clock.advance(61_000);
    await world.bot.tick();
    expect(verdictOf(post).description).toContain(`Revealed by <@${members.kira.id}>.`);

    // A moderator may reveal someone else's post.
    const second = await ask(members.quark.id, 'Quark has the last line');
    await vote(members.nog.id, second, 'Fact');
    await vote(members.kira.id, second, 'Myth');
    const byModerator = await click(members.odo.id, second, 'Reveal');
    await world.discord.waitFor(() => byModerator.callbackType !== null);
    expect(verdictOf(second).title).toBe('Fact! Quark has the last line');
    expect(verdictOf(second).description).toContain('1 of 2 knew Quark gets the last word.');
    expect(verdictOf(second).description).toContain('Across all servers, 50% got this right (2 votes).');
  });

  it('GIVEN two members press Reveal at the same moment THEN one reveal happens and the other is told it is out', async () => {
    world = await createWorld();
    const { members } = world;
    const post = await ask(members.kira.id, 'section 31');
    await vote(members.nog.id, post, 'Myth');
    const [a, b] = await Promise.all([click(members.kira.id, post, 'Reveal'), click(members.odo.id, post, 'Reveal')]);
    await world.discord.waitFor(() => a.callbackType !== null && b.callbackType !== null);
    expect([a.callbackType, b.callbackType].sort()).toEqual([4, 7]);
    const note = a.callbackType === 4 ? await a.reply() : await b.reply();
    expect(note.ephemeral).toBe(true);
    expect(note.content).toContain('already out');
    expect(verdictOf(post).description).toContain('Across all servers, 100% got this right (1 vote).');
  });

  it('GIVEN votes and then a bot restart past the reveal time THEN the new process reveals on start-up with every vote', async () => {
    world = await createWorld();
    const { members } = world;
    const post = await ask(members.kira.id, 'Jadzia is in the farewell montage');
    await vote(members.kira.id, post, 'Fact');
    await vote(members.quark.id, post, 'Myth');
    await vote(members.nog.id, post, 'Fact');
    await world.bot.stop();

    world.clock.advance(5 * 60_000);
    world.bot = await world.startAnotherBot();
    // The start-up catch-up does it without waiting for the first tick.
    const revealed = await world.discord.waitFor(() => world.discord.message(post.id)?.edited && world.discord.message(post.id));
    expect(revealed.embeds[0]?.title).toBe('Myth! Jadzia is in the farewell montage');
    expect(revealed.embeds[0]?.description).toContain('2 of 3 remembered Jadzia in the montage.');
    await world.bot.tick();
    expect(verdictOf(post).description).toContain('(3 votes)');
  });

  it('GIVEN a member types part of a title THEN autocomplete offers the matching myths, forgiving a typo; the chosen one is posted', async () => {
    world = await createWorld();
    const { discord, guild, channel, members } = world;
    const typed = (text: string) =>
      discord.autocomplete({ guildId: guild.id, channelId: channel.id, userId: members.kira.id, command: 'myth', subcommand: 'ask', options: { claim: text }, focused: 'claim' });
    expect((await typed('sisko')).map((c) => c.value)).toContain('sisko-died');
    expect((await typed('sisko di'))[0]).toEqual({ name: 'Sisko died', value: 'sisko-died' });
    expect((await typed('quark las')).map((c) => c.value)).toEqual(['quark-last-line']);
    expect((await typed('')).length).toBe(Math.min(bank.length, 25));
    expect(await typed('isko')).toEqual([]);

    const post = await ask(members.kira.id, (await typed('cardasians'))[0]!.value as string);
    expect(mythOf(post).id).toBe('cardassian-death-toll');
  });

  it('GIVEN a claim that matches no myth THEN an ephemeral "no myth matches" with the closest titles, and nothing is posted', async () => {
    world = await createWorld();
    const before = world.discord.messages(world.channel.id).length;
    const reply = await ask(world.members.nog.id, 'Garak was only a tailor');
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^No myth matches that\. Did you mean: \*\*.+\*\*, \*\*.+\*\*, \*\*.+\*\*\?$/);
    expect(world.discord.messages(world.channel.id).filter((m) => !m.ephemeral)).toHaveLength(before);
  });

  it('GIVEN the spoiler guard and a rewatch that has not reached the finale THEN finale myths are not posted, nor offered or listed by title; turning the guard off allows them', async () => {
    world = await createWorld();
    const { discord, guild, channel, members } = world;
    await new RewatchRepository(world.database.db).saveSchedule(
      {
        guildId: guild.id,
        channelId: channel.id,
        // Bookends starts with the pilot: before its first thread, every myth is hidden.
        planId: 'bookends',
        weekday: 5,
        hour: 20,
        minute: 0,
        timeZone: 'UTC',
        nextIndex: 0,
        nextRunAt: new Date(world.clock.now().getTime() + 86_400_000),
        createdBy: members.sisko.id,
      },
      world.clock.now(),
    );

    const named = await ask(members.kira.id, 'Sisko died');
    expect(named.ephemeral).toBe(true);
    expect(named.content).toContain('That myth is hidden by the spoiler guard: it spoils 7x25');
    const any = await ask(members.kira.id);
    expect(any.ephemeral).toBe(true);
    expect(any.content).toContain('Every myth is hidden by the spoiler guard');
    const choices = await discord.autocomplete({ guildId: guild.id, channelId: channel.id, userId: members.kira.id, command: 'myth', subcommand: 'ask', options: { claim: 'sisko' }, focused: 'claim' });
    // A hidden myth's title would spoil: autocomplete and the list do not show it.
    expect(choices).toEqual([]);
    const listed = (await list(members.kira.id)).join('\n');
    expect(listed).not.toContain('Sisko died');
    expect(listed).toMatch(/- \d+ more, hidden by the spoiler guard until your rewatch reaches \dx\d\d or later/);
    expect(discord.messages(channel.id).filter((m) => !m.ephemeral && m.embeds[0]?.title === 'Myth or fact?')).toHaveLength(0);

    await new GuildSettingsRepository(world.database.db).update(guild.id, { spoilerGuard: false }, world.clock.now());
    const allowed = await ask(members.kira.id, 'Sisko died');
    expect(allowed.ephemeral).toBe(false);
    expect(mythOf(allowed).id).toBe('sisko-died');
  });

  it('GIVEN a myth is posted THEN the bot learns its message from the reply itself (with_response), with no second request for it', async () => {
    world = await createWorld();
    const post = await ask(world.members.kira.id, 'sisko-died'); // waits until the bot recorded the post's message id
    const counts = world.discord.requestCounts();
    expect(counts['POST /interactions/:id/:token/callback']).toBe(1);
    expect(counts['GET /webhooks/:id/:token/messages/:id']).toBeUndefined();
    expect(counts['GET /channels/:id/messages/:id']).toBeUndefined();
    // The recorded id is the post's: the timed verdict edits it.
    world.clock.advance(60_000);
    await world.bot.tick();
    expect(world.discord.message(post.id)?.edited).toBe(true);
    expect(verdictOf(post).title).toBe('Myth! Sisko died');
  });

  it('GIVEN the post\'s message id was never recorded WHEN the verdict is posted as a new message and Discord stores it but fails the response THEN the retry returns it: one verdict', async () => {
    world = await createWorld();
    const { discord, members } = world;
    const post = await ask(members.kira.id, 'sisko-died');
    await vote(members.quark.id, post, 'Fact');
    // As after a crash between Discord showing the post and the bot saving its id.
    await world.database.db.update(mythPosts).set({ messageId: null }).where(eq(mythPosts.messageId, post.id));

    discord.failNext({ method: 'POST', path: /\/channels\/\d+\/messages$/, status: 500, afterEffect: true });
    world.clock.advance(60_000);
    await world.bot.tick();
    const verdicts = () => discord.messages(world.channel.id).filter((m) => m.author.bot && m.embeds[0]?.title === 'Myth! Sisko died');
    await discord.waitFor(() => verdicts().length > 0);
    expect(discord.requestCounts()['POST /channels/:id/messages']).toBe(2); // the stored attempt and discord.js's retry
    expect(verdicts()).toHaveLength(1);
    expect(verdicts()[0]!.embeds[0]?.description).toContain('1 of 1 thought Sisko died.');
    expect(discord.message(post.id)?.edited).toBe(false);
  });
});

describe('/myth list', () => {
  it('GIVEN a myth revealed in one server THEN its list shows that verdict only; another server still sees it unrevealed but shares the totals', async () => {
    world = await createWorld();
    const { discord, members } = world;
    const before = await list(members.nog.id);
    expect(before).toHaveLength(bank.length);
    expect(before.every((line) => line.endsWith(': not revealed here yet'))).toBe(true);

    const post = await ask(members.kira.id, 'Quark has the last line');
    await vote(members.nog.id, post, 'Fact');
    // Not revealed yet: the list still hides the verdict.
    expect(await list(members.nog.id)).toContain('- Quark has the last line: not revealed here yet');
    world.clock.advance(60_000);
    await world.bot.tick();
    const after = await list(members.nog.id);
    expect(after).toContain('- Quark has the last line: **Fact**');
    expect(after.filter((line) => line.includes('**'))).toHaveLength(1);

    const otherGuild = discord.createGuild({ name: 'Empok Nor' });
    const otherChannel = discord.createChannel(otherGuild.id, { name: 'ops' });
    const garak = discord.createMember(otherGuild.id, { username: 'garak' });
    await discord.waitFor(() => world.bot.client.guilds.cache.has(otherGuild.id));
    expect(await list(garak.id, otherGuild.id, otherChannel.id)).toContain('- Quark has the last line: not revealed here yet');
    const there = await ask(garak.id, 'Quark has the last line', otherChannel.id, otherGuild.id);
    await vote(garak.id, there, 'Myth');
    world.clock.advance(60_000);
    await world.bot.tick();
    expect(verdictOf(there).description).toContain('Across all servers, 50% got this right (2 votes).');
  });
});
