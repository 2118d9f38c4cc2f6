// Bad input, fuzzed with fast-check through the stand-in against the real bot: every command's options,
// autocomplete text, button custom ids from old messages, modal text (through the real answer modal and
// through modals an older bot showed). Whatever a member sends, they get a clear answer (never "This
// interaction failed", never the generic apology of an unexpected error), an error answer is ephemeral,
// and nothing the bot posts would ping anyone (the stand-in records allowed_mentions).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../../src/content/index.js';
import { GENERIC_APOLOGY } from '../../../src/discord/error-boundary.js';
import { MAX_DELAY_WEEKS } from '../../../src/rewatch/index.js';
import type { InteractionHandle, OptionInput, VisibleMessage } from '../../../stand-in/index.js';
import { MAX_QUESTIONS } from '../../../src/trivia/game-engine.js';
import { postgresEngine } from '../../helpers/databases.js';
import { createWorld, type World } from '../world.js';
import { buttonIds, questionEmbed, questionMessages, timeUp } from '../trivia-helpers.js';

const RUNS = 50;
const content = loadContent();

let world: World;
let crewRoleId: string;
let otherChannelId: string;
const unexpectedErrors = () => world.logs.filter((line) => line.includes('"interaction failed"') || line.includes('"level":50'));

beforeAll(async () => {
  world = await createWorld(postgresEngine ? { engine: postgresEngine } : {});
  crewRoleId = world.discord.createRole(world.guild.id, { name: 'Crew', mentionable: true }).id;
  otherChannelId = world.discord.createChannel(world.guild.id, { name: 'promenade' }).id;
}, 180_000);
afterAll(async () => world?.close());

// ---- generators ------------------------------------------------------------------------------------

function nastyFragments(): string[] {
  const { members } = world;
  return [
    '',
    ' ',
    '@everyone',
    '@here',
    `<@&${crewRoleId}>`,
    `<@&${world.guild.id}>`,
    `<@${members.kira.id}>`,
    `<@!${members.quark.id}>`,
    `<#${world.channel.id}>`,
    "'; DROP TABLE trivia_answers; --",
    "' OR '1'='1",
    'Robert"); DELETE FROM player_scores; --',
    '$1 $$ ::text',
    '\u0000',
    '\u0007\u0008\u001b[31mred\u001b[0m\r\n\t',
    '\u202eevil\u200b\ufeff',
    '```js\nprocess.exit(1)\n```',
    '**bold** __u__ ||spoiler||',
    '${process.env.DISCORD_TOKEN}',
    '../../etc/passwd',
    'Europe/Berlin',
    'UTC',
    '19:30',
    '24:00',
    '7:5',
    '4x01',
    'what-you-leave-behind',
    '800 million',
    'Sisko',
    'null',
    'undefined',
    'NaN',
    '-1',
    '9007199254740993',
    '🖖'.repeat(20),
  ];
}

/** Text a member could type: nasty fragments, random strings (control characters included), very long text. */
function memberText(maxLength: number, minLength = 0): fc.Arbitrary<string> {
  const fragment = fc.oneof(fc.constantFrom(...nastyFragments()), fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }));
  return fc
    .oneof(
      { weight: 3, arbitrary: fragment },
      { weight: 3, arbitrary: fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join(' ')) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 3900, maxLength: 4000 }) },
      { weight: 1, arbitrary: fc.constantFrom('x'.repeat(4000), '@everyone '.repeat(400)) },
    )
    .map((s) => wellFormed(wellFormed(s).slice(0, maxLength)))
    .filter((s) => s.length >= minLength);
}

/** Discord only carries valid UTF-16 text: lone surrogate halves become U+FFFD. */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** sisko (Manage Server) more often than the others, so the moderator-only paths get their share. */
const who = (): fc.Arbitrary<keyof World['members']> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant('sisko' as const) }, { weight: 2, arbitrary: fc.constantFrom('odo' as const, 'kira' as const, 'quark' as const, 'nog' as const) });
const maybe = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const intIn = (min: number, max: number) => fc.integer({ min, max });

interface Invocation {
  member: keyof World['members'];
  command: string;
  group?: string;
  subcommand: string;
  options: Record<string, OptionInput | undefined>;
  channel?: 'main' | 'other';
}

function invocation(command: string, subcommand: string, options: Record<string, fc.Arbitrary<OptionInput | undefined>> = {}, group?: string) {
  return fc.record({
    member: who(),
    command: fc.constant(command),
    subcommand: fc.constant(subcommand),
    options: fc.record(options),
    channel: fc.constantFrom<'main' | 'other'>('main', 'other'),
    ...(group ? { group: fc.constant(group) } : {}),
  }) as fc.Arbitrary<Invocation>;
}

function slashCommands(): fc.Arbitrary<Invocation> {
  const categories = fc.constantFrom(...Object.keys(content.questions.reduce<Record<string, true>>((all, q) => ({ ...all, [q.category]: true }), {})));
  const packFile = fc.record({
    name: fc.oneof(fc.constantFrom('pack.yaml', 'pack.json', 'pack.txt', 'x.yml', '.yaml', 'a'.repeat(90) + '.yaml'), memberText(60, 1).map((s) => `${s}.yaml`)),
    content: fc.oneof(
      memberText(4000),
      fc.constantFrom('questions: []', '- id: x\n  prompt: "@everyone"\n', '{"questions": [{"id": "<@&1>"}]}', '[1,2,3]', 'a: &a [*a]', '!!js/function "x"'),
    ),
  });
  return fc.oneof(
    invocation('trivia', 'play', {
      questions: maybe(intIn(1, MAX_QUESTIONS)),
      category: maybe(categories),
      difficulty: maybe(fc.constantFrom('easy', 'medium', 'hard')),
    }),
    invocation('trivia', 'leaderboard', { period: maybe(fc.constantFrom('week', 'all')) }),
    invocation('trivia', 'stats', { member: maybe(fc.constantFrom(...Object.values(world.members).map((m) => m.id))) }),
    invocation('trivia', 'stop'),
    invocation('trivia', 'settings', {
      seconds: maybe(intIn(5, 120)),
      questions: maybe(intIn(1, MAX_QUESTIONS)),
      spoiler_guard: maybe(fc.boolean()),
      timezone: maybe(memberText(64)),
    }),
    invocation('trivia', 'add', { file: packFile, name: maybe(memberText(32)) }, 'pack'),
    invocation('trivia', 'list', {}, 'pack'),
    invocation('trivia', 'remove', { name: memberText(4000) }, 'pack'),
    invocation('myth', 'ask', { claim: maybe(memberText(100)) }),
    invocation('myth', 'list'),
    invocation('rewatch-thread', 'setup', {
      channel: fc.constantFrom(world.channel.id, otherChannelId),
      day: intIn(0, 6),
      time: memberText(10),
      timezone: memberText(64),
      plan: maybe(fc.constantFrom(...content.plans.map((p) => p.id))),
      start: maybe(memberText(4000)),
    }),
    ...['status', 'now', 'skip', 'pause', 'resume', 'stop', 'schedule'].map((sub) => invocation('rewatch-thread', sub)),
    invocation('rewatch-thread', 'delay', { weeks: intIn(1, MAX_DELAY_WEEKS) }),
  );
}

/** A member's own pack: valid, with member text (a NUL, mentions) in its questions. */
function packWith(prompt: string): string {
  const question = (id: string, type: string, extra: string) =>
    [`- id: ${id}`, '  category: characters', '  difficulty: easy', `  type: ${type}`, `  prompt: ${JSON.stringify(prompt)}`, extra, '  explanation: "<@&1> @here"', '  spoils: 7x25'].join('\n');
  return [question('fuzz-choice', 'multiple-choice', '  options: [Quark, Morn, Rom, Vic]\n  answer: Quark'), question('fuzz-text', 'free-text', '  accepted: ["@everyone"]')].join('\n');
}

/** Cases worth trying on every run, whatever fast-check generates. */
function slashExamples(): [Invocation][] {
  const as = (member: Invocation['member'], command: string, subcommand: string, options: Invocation['options'], group?: string): [Invocation] => [
    { member, command, subcommand, options, channel: 'main', ...(group ? { group } : {}) },
  ];
  return [
    as('sisko', 'trivia', 'remove', { name: 'a\u0000b' }, 'pack'),
    as('sisko', 'trivia', 'add', { file: { name: 'nul.yaml', content: packWith('Who\u0000 is it?') }, name: 'nul' }, 'pack'),
    as('sisko', 'trivia', 'add', { file: { name: 'pings.yaml', content: packWith(`@everyone <@&${crewRoleId}> <@${world.members.kira.id}> who?`) }, name: 'pings' }, 'pack'),
    as('kira', 'trivia', 'play', { questions: MAX_QUESTIONS }),
    as('sisko', 'trivia', 'settings', { timezone: '\u0000' }),
    as('sisko', 'rewatch-thread', 'setup', { channel: world.channel.id, day: 1, time: '20:00', timezone: 'UTC', start: '\u0000@everyone' }),
    as('sisko', 'rewatch-thread', 'now', {}),
    as('kira', 'myth', 'ask', { claim: `\u0000<@&${crewRoleId}>` }),
  ];
}

/** Subcommands whose successful answer is public; everything else, and every error, is ephemeral. */
const PUBLIC_ON_SUCCESS = new Set(['trivia play', 'trivia leaderboard', 'trivia stats', 'myth ask', ...['setup', 'now', 'skip', 'pause', 'resume', 'delay', 'stop'].map((s) => `rewatch-thread ${s}`)]);

// ---- checks ----------------------------------------------------------------------------------------

function visibleText(m: VisibleMessage): string {
  return [m.content, ...m.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])].join('\n');
}

/** The member got an answer: not a failed interaction, not the generic apology, pinging nobody. */
async function expectClearAnswer(handle: InteractionHandle, opts: { mayBePublic: boolean; label: string }): Promise<VisibleMessage> {
  const errorsBefore = unexpectedErrors().length;
  expect(handle.error, opts.label).toBeUndefined();
  const reply = await handle.reply();
  // Follow-ups (an error after a defer) arrive a moment later: give the bot the chance to send them.
  await new Promise((resolve) => setImmediate(resolve));
  for (const m of [reply, ...handle.followUps]) {
    const text = visibleText(m);
    expect(text.trim().length, `${opts.label}: an empty answer`).toBeGreaterThan(0);
    expect(text.length, `${opts.label}: too long for Discord`).toBeLessThanOrEqual(6000);
    expect(text, `${opts.label}: an unexpected error`).not.toContain(GENERIC_APOLOGY);
    expect(m.pingsAnyone, `${opts.label}: would ping ${JSON.stringify(m.wouldPing)}`).toBe(false);
  }
  if (!opts.mayBePublic) expect(reply.ephemeral, `${opts.label}: should be ephemeral: ${reply.content.slice(0, 200)}`).toBe(true);
  expect(unexpectedErrors().slice(errorsBefore), opts.label).toEqual([]);
  return reply;
}

/** Nothing the bot posted anywhere in the server (questions, threads, verdicts) would ping anyone. */
function expectNoPingsAnywhere(): void {
  const { discord, guild } = world;
  const channels = [world.channel.id, otherChannelId, ...discord.threads(guild.id).map((t) => t.id)];
  for (const id of channels) {
    for (const m of discord.messages(id).filter((x) => x.author.bot)) {
      expect(m.pingsAnyone, `bot message in ${id} would ping: ${visibleText(m).slice(0, 200)}`).toBe(false);
    }
  }
}

function describeInvocation(i: Invocation): string {
  return `/${i.command}${i.group ? ` ${i.group}` : ''} ${i.subcommand} as ${i.member} ${JSON.stringify(i.options).slice(0, 300)}`;
}

function definedOptions(options: Invocation['options']): Record<string, OptionInput> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Record<string, OptionInput>;
}

// ---- properties ------------------------------------------------------------------------------------

describe('bad input (fast-check through the stand-in)', () => {
  it('GIVEN any options for any command THEN a clear answer, ephemeral when it is an error, pinging nobody', async () => {
    await fc.assert(
      fc.asyncProperty(slashCommands(), async (i) => {
        const label = describeInvocation(i);
        const handle = await world.discord.slashCommand({
          guildId: world.guild.id,
          channelId: i.channel === 'other' ? otherChannelId : world.channel.id,
          userId: world.members[i.member].id,
          command: i.command,
          ...(i.group ? { group: i.group } : {}),
          subcommand: i.subcommand,
          options: definedOptions(i.options),
        });
        await expectClearAnswer(handle, { mayBePublic: PUBLIC_ON_SUCCESS.has(`${i.command} ${i.subcommand}`), label });
      }),
      { numRuns: RUNS * 2, examples: slashExamples() },
    );
    expectNoPingsAnywhere();
  }, 180_000);

  it('GIVEN any text typed into an autocompleted option THEN the bot offers valid choices (or none), never an error', async () => {
    const focused = fc.oneof(
      fc.record({ command: fc.constant('myth'), subcommand: fc.constant('ask'), option: fc.constant('claim'), text: memberText(100) }),
      fc.record({ command: fc.constant('trivia'), group: fc.constant('pack'), subcommand: fc.constant('remove'), option: fc.constant('name'), text: memberText(4000) }),
      fc.record({ command: fc.constant('rewatch-thread'), subcommand: fc.constant('setup'), option: fc.constantFrom('timezone', 'start'), text: memberText(64) }),
    );
    await fc.assert(
      fc.asyncProperty(focused, who(), async (f, member) => {
        const errorsBefore = unexpectedErrors().length;
        const choices = await world.discord.autocomplete({
          guildId: world.guild.id,
          channelId: world.channel.id,
          userId: world.members[member].id,
          command: f.command,
          ...('group' in f ? { group: f.group } : {}),
          subcommand: f.subcommand,
          focused: f.option,
          options: { [f.option]: f.text },
        });
        expect(choices.length).toBeLessThanOrEqual(25);
        for (const c of choices) {
          expect(c.name.length).toBeGreaterThan(0);
          expect(c.name.length).toBeLessThanOrEqual(100);
          if (typeof c.value === 'string') expect(c.value.length).toBeLessThanOrEqual(100);
        }
        expect(unexpectedErrors().slice(errorsBefore)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 180_000);

  it('GIVEN buttons with any custom id on old bot messages THEN clicking one gets a clear ephemeral answer', async () => {
    const { discord } = world;
    const number = fc.oneof(fc.nat().map(String), fc.constantFrom('0', '-1', '1e3', '0x10', '9007199254740993', '99999999999999999999', 'NaN', '', ' 1'), fc.string({ maxLength: 8 }));
    const customId = fc
      .oneof(
        fc.tuple(fc.constantFrom('trivia', 'myth', 'rewatch', 'rewatch-thread', '', 'x'), fc.constantFrom('pick', 'open', 'text', 'vote', 'reveal', 'stop', ''), number, fc.oneof(number, fc.constantFrom('myth', 'fact', 'MYTH'))).map((parts) => parts.join(':')),
        memberText(100, 1),
      )
      .map((s) => s.slice(0, 100))
      .filter((s) => s.length > 0);
    // One old message per run, posted as the bot would have (an earlier version, a finished game).
    await fc.assert(
      fc.asyncProperty(customId, who(), async (id, member) => {
        const response = await fetch(`${discord.restBase}/v10/channels/${world.channel.id}/messages`, {
          method: 'POST',
          headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: 'From an older game', components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Old', custom_id: id }] }] }),
        });
        expect(response.status).toBe(200);
        const old = (await response.json()) as { id: string };
        const handle = await discord.clickButton({ userId: world.members[member].id, messageId: old.id, customId: id });
        await expectClearAnswer(handle, { mayBePublic: false, label: `button ${JSON.stringify(id)}` });
      }),
      { numRuns: RUNS },
    );
  }, 180_000);

  it('GIVEN an open free-text question THEN any text typed into its answer modal gets a clear ephemeral answer', async () => {
    const { discord, guild, channel } = world;
    await stopAnyGame();
    await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: world.members.sisko.id, command: 'trivia', subcommand: 'settings', options: { spoiler_guard: false, seconds: 20 } })).reply();
    const earlier = new Set(questionMessages(world).map((m) => m.id));
    const started = await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: world.members.sisko.id, command: 'trivia', subcommand: 'play', options: { questions: MAX_QUESTIONS } })).reply();
    expect(started.ephemeral, started.content).toBe(false);
    const open = await freeTextQuestion(earlier);
    // Each run is a new member, so every submission reaches the answer check (one answer per member).
    let n = 0;
    await fc.assert(
      fc.asyncProperty(memberText(200, 1), async (text) => {
        const member = discord.createMember(guild.id, { username: `crew-${++n}` });
        const clicked = await discord.clickButton({ userId: member.id, messageId: open.id, customId: buttonIds(open)[0]!.customId });
        expect(clicked.modal, 'the answer modal opens').toBeDefined();
        const submitted = await discord.submitModal({ userId: member.id, channelId: channel.id, customId: clicked.modal!.custom_id, fields: { answer: text } });
        const reply = await expectClearAnswer(submitted, { mayBePublic: false, label: `modal answer ${JSON.stringify(text.slice(0, 100))}` });
        expect(reply.content).toMatch(/Locked in|empty|at most/);
      }),
      { numRuns: RUNS },
    );
    // The reveal lists who got it right (mentions, in an embed), still pinging nobody.
    await timeUp(world);
    expectNoPingsAnywhere();
  }, 180_000);

  it('GIVEN modals an older bot showed THEN any custom id and any text (up to 4,000 characters) get a clear ephemeral answer', async () => {
    const { discord, channel } = world;
    const roundIds = questionMessages(world).flatMap((m) => buttonIds(m).map((b) => b.customId.split(':')[2] ?? ''));
    const modalId = fc
      .oneof(
        fc.tuple(fc.constantFrom('trivia', 'myth', 'rewatch-thread', 'x'), fc.constantFrom('text', 'open', 'answer', ''), fc.oneof(fc.constantFrom(...roundIds, '1', '-1', 'NaN', '99999999999999999999'), fc.string({ maxLength: 6 }))).map((p) => p.join(':')),
        memberText(100, 1),
      )
      .filter((s) => s.length > 0);
    const fieldId = fc.oneof(fc.constant('answer'), memberText(100, 1));
    await fc.assert(
      fc.asyncProperty(modalId, fc.dictionary(fieldId, memberText(4000), { maxKeys: 2 }), who(), async (id, fields, member) => {
        const handle = await discord.submitOldModal({ userId: world.members[member].id, channelId: channel.id, customId: id, fields });
        await expectClearAnswer(handle, { mayBePublic: false, label: `modal ${JSON.stringify(id)} ${JSON.stringify(fields).slice(0, 200)}` });
      }),
      { numRuns: RUNS },
    );
  }, 180_000);
});

async function stopAnyGame(): Promise<void> {
  const { discord, guild, channel } = world;
  await (await discord.slashCommand({ guildId: guild.id, channelId: channel.id, userId: world.members.odo.id, command: 'trivia', subcommand: 'stop' })).reply();
}

/** Moves the game on until a free-text question is open; returns its message. */
async function freeTextQuestion(earlier: Set<string>): Promise<VisibleMessage> {
  for (let round = 1; round <= MAX_QUESTIONS; round++) {
    const message = await world.discord.waitFor(() =>
      questionMessages(world).find((m) => !earlier.has(m.id) && questionEmbed(m)?.title?.startsWith(`Question ${round} of`)),
    );
    const [button] = buttonIds(message);
    if (button?.customId.includes(':open:')) return message;
    await timeUp(world);
    await world.bot.tick();
  }
  throw new Error('no free-text question came up');
}
