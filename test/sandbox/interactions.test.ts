import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  DiscordAPIError,
  MessageFlags,
  ModalBuilder,
  StringSelectMenuBuilder,
  Routes,
  TextInputBuilder,
  TextInputStyle,
  type Client,
  type Interaction,
} from 'discord.js';
import { DiscordStandIn } from '../../stand-in/stand-in.js';
import { connectClient } from './harness.js';

const RESPONSE_WINDOW_MS = 400;

describe('interactions against a real discord.js client', () => {
  let discord: DiscordStandIn;
  let client: Client;
  let handler: (i: Interaction) => Promise<void>;
  let errors: unknown[];
  let guildId: string;
  let channelId: string;
  let memberId: string;

  beforeAll(async () => {
    discord = await DiscordStandIn.start({ interactionTimeoutMs: RESPONSE_WINDOW_MS });
    const guild = discord.createGuild({ name: 'Deep Space Nine' });
    client = await connectClient(discord);
    await client.application!.commands.set([
      { name: 'ping', description: 'Answers' },
      {
        name: 'trivia',
        description: 'Trivia rounds',
        options: [
          {
            type: 1,
            name: 'play',
            description: 'Play a round',
            options: [
              { type: 4, name: 'questions', description: 'How many', min_value: 1, max_value: 10 },
              { type: 3, name: 'category', description: 'Topic', choices: [{ name: 'War', value: 'war' }, { name: 'Crew', value: 'crew' }] },
            ],
          },
          {
            type: 1,
            name: 'import',
            description: 'Import a pack',
            options: [{ type: 11, name: 'file', description: 'YAML pack', required: true }],
          },
        ],
      },
      {
        name: 'myth',
        description: 'Myth check',
        options: [{ type: 3, name: 'claim', description: 'The claim', autocomplete: true, required: true }],
      },
    ]);
    client.on('interactionCreate', (i) => {
      handler(i).catch((err: unknown) => errors.push(err));
    });
    guildId = guild.id;
  });

  afterAll(async () => {
    await client.destroy();
    await discord.stop();
  });

  afterEach(() => {
    expect(errors).toEqual([]);
  });

  beforeEach(() => {
    errors = [];
    handler = async () => undefined;
    const channel = discord.createChannel(guildId, { name: `ops-${Math.random().toString(36).slice(2, 7)}` });
    channelId = channel.id;
    memberId = discord.createMember(guildId, { username: 'kira' }).id;
  });

  it('GIVEN a slash command WHEN the bot replies THEN the member sees the reply in the channel', async () => {
    handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply('The wormhole is open.');
    };
    const r = await discord.slashCommand({ guildId, channelId, userId: memberId, command: 'ping' });
    expect(r.callbackType).toBe(4);
    expect(r.error).toBeUndefined();
    const reply = await r.reply();
    expect(reply.content).toBe('The wormhole is open.');
    expect(reply.ephemeral).toBe(false);
    expect(reply.author.id).toBe(discord.botUserId);
    expect(discord.messages(channelId).map((m) => m.content)).toEqual(['The wormhole is open.']);
  });

  it('GIVEN typed options and a subcommand THEN discord.js parses them from the payload', async () => {
    let seen: unknown;
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      seen = { sub: i.options.getSubcommand(), questions: i.options.getInteger('questions'), category: i.options.getString('category') };
      await i.reply('ok');
    };
    await discord.slashCommand({ channelId, userId: memberId, command: 'trivia', subcommand: 'play', options: { questions: 2, category: 'war' } });
    expect(seen).toEqual({ sub: 'play', questions: 2, category: 'war' });
  });

  it('GIVEN options the Discord client would refuse THEN slashCommand throws before dispatching', async () => {
    await expect(discord.slashCommand({ channelId, userId: memberId, command: 'nope' })).rejects.toThrow(/not registered/);
    await expect(
      discord.slashCommand({ channelId, userId: memberId, command: 'trivia', subcommand: 'play', options: { category: 'holodeck' } }),
    ).rejects.toThrow(/must be one of/);
    await expect(
      discord.slashCommand({ channelId, userId: memberId, command: 'trivia', subcommand: 'play', options: { questions: 11 } }),
    ).rejects.toThrow(/<= 10/);
    await expect(discord.slashCommand({ channelId, userId: memberId, command: 'trivia' })).rejects.toThrow(/needs a subcommand/);
  });

  it('GIVEN an ephemeral reply THEN it is flagged and only visible to the invoking member', async () => {
    handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'Only for you, Major.', flags: MessageFlags.Ephemeral });
    };
    const r = await discord.slashCommand({ channelId, userId: memberId, command: 'ping' });
    const reply = await r.reply();
    expect(r.ephemeral).toBe(true);
    expect(reply.ephemeral).toBe(true);
    expect(reply.visibleTo).toBe(memberId);
    expect(reply.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it('GIVEN a deferred reply WHEN the bot edits it later THEN reply() resolves with the edited answer', async () => {
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await i.editReply('Computed after thinking.');
    };
    const r = await discord.slashCommand({ channelId, userId: memberId, command: 'ping' });
    expect(r.callbackType).toBe(5);
    const reply = await r.reply();
    expect(reply.content).toBe('Computed after thinking.');
    expect(reply.loading).toBe(false);
  });

  it('GIVEN the bot answers after the response window THEN Discord refuses with 10062 and the member sees a failure', async () => {
    let late: unknown;
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await new Promise((resolve) => setTimeout(resolve, RESPONSE_WINDOW_MS + 100));
      late = await i.reply('too late').catch((err: unknown) => err);
    };
    const r = await discord.slashCommand({ channelId, userId: memberId, command: 'ping' });
    expect(r.error).toBe('This interaction failed');
    await expect(r.reply()).rejects.toThrow(/This interaction failed/);
    await discord.waitFor(() => late);
    expect(late).toBeInstanceOf(DiscordAPIError);
    expect((late as DiscordAPIError).code).toBe(10062);
  });

  it('GIVEN an answered interaction WHEN a second initial response is posted THEN it gets 40060', async () => {
    let second: unknown;
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply('first');
      second = await client.rest
        .post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content: 'second' } }, auth: false })
        .catch((err: unknown) => err);
    };
    await discord.slashCommand({ channelId, userId: memberId, command: 'ping' });
    await discord.waitFor(() => second);
    expect((second as DiscordAPIError).code).toBe(40060);
    expect(discord.messages(channelId).map((m) => m.content)).toEqual(['first']);
  });

  it('GIVEN a reply THEN follow-ups arrive as separate messages, the ephemeral one flagged', async () => {
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply('Round 1');
      await i.followUp('Round 2');
      await i.followUp({ content: 'psst', flags: MessageFlags.Ephemeral });
    };
    const r = await discord.slashCommand({ channelId, userId: memberId, command: 'ping' });
    await discord.waitFor(() => r.followUps.length === 2);
    expect(r.followUps.map((m) => [m.content, m.ephemeral])).toEqual([
      ['Round 2', false],
      ['psst', true],
    ]);
  });

  it('GIVEN a deferral WHEN the bot sends a follow-up THEN the first follow-up replaces the loading message', async () => {
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.followUp('done');
    };
    const r = await discord.slashCommand({ channelId, userId: memberId, command: 'ping' });
    const reply = await r.reply();
    expect(reply.content).toBe('done');
    expect(reply.ephemeral).toBe(true);
    expect(discord.messages(channelId)).toHaveLength(1);
  });

  it('GIVEN a message with buttons WHEN a member clicks THEN the bot updates the message', async () => {
    handler = async (i) => {
      if (i.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('answer:a').setLabel('Odo').setStyle(ButtonStyle.Primary),
          new ButtonBuilder().setCustomId('answer:b').setLabel('Quark').setStyle(ButtonStyle.Secondary),
        );
        await i.reply({ content: 'Who runs the bar?', components: [row] });
      } else if (i.isButton()) {
        expect(i.message.content).toBe('Who runs the bar?');
        await i.update({ content: `${i.user.username} picked ${i.customId}`, components: [] });
      }
    };
    const question = await (await discord.slashCommand({ channelId, userId: memberId, command: 'ping' })).reply();
    const click = await discord.clickButton({ userId: memberId, messageId: question.id, customId: 'answer:b' });
    expect(click.callbackType).toBe(7);
    const updated = await click.reply();
    expect(updated.id).toBe(question.id);
    expect(updated.content).toBe('kira picked answer:b');
    expect(updated.components).toEqual([]);
    expect(updated.edited).toBe(true);
    await expect(discord.clickButton({ userId: memberId, messageId: question.id, customId: 'answer:a' })).rejects.toThrow(/no component/);
  });

  it('GIVEN a button WHEN the bot defers the update and edits later THEN reply() waits for that edit', async () => {
    handler = async (i) => {
      if (i.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('reveal').setLabel('Reveal').setStyle(ButtonStyle.Primary),
        );
        await i.reply({ content: 'Hidden', components: [row] });
      } else if (i.isButton()) {
        await i.deferUpdate();
        await i.editReply({ content: 'Revealed', components: [] });
      }
    };
    const question = await (await discord.slashCommand({ channelId, userId: memberId, command: 'ping' })).reply();
    const click = await discord.clickButton({ userId: memberId, messageId: question.id, customId: 'reveal' });
    expect(click.callbackType).toBe(6);
    expect((await click.reply()).content).toBe('Revealed');
  });

  it('GIVEN the bot shows a modal WHEN the member submits it THEN the bot reads the fields', async () => {
    handler = async (i) => {
      if (i.isChatInputCommand()) {
        const modal = new ModalBuilder()
          .setCustomId('answer-modal')
          .setTitle('Your answer')
          .addComponents(
            new ActionRowBuilder<TextInputBuilder>().addComponents(
              new TextInputBuilder().setCustomId('answer').setLabel('Answer').setStyle(TextInputStyle.Short),
            ),
          );
        await i.showModal(modal);
      } else if (i.isModalSubmit()) {
        await i.reply(`You said: ${i.fields.getTextInputValue('answer')}`);
      }
    };
    const r = await discord.slashCommand({ channelId, userId: memberId, command: 'ping' });
    expect(r.callbackType).toBe(9);
    expect(r.modal?.custom_id).toBe('answer-modal');
    await expect(r.reply()).rejects.toThrow(/modal/);
    const submitted = await discord.submitModal({ userId: memberId, channelId, customId: 'answer-modal', fields: { answer: 'a latinum bar' } });
    expect((await submitted.reply()).content).toBe('You said: a latinum bar');
    await expect(
      discord.submitModal({ userId: memberId, channelId, customId: 'answer-modal', fields: { answer: 'again' } }),
    ).rejects.toThrow(/never showed/);
  });

  it('GIVEN an autocomplete option WHEN the member types THEN the bot offers choices', async () => {
    handler = async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      const all = ['Sisko is the Emissary', 'Sisko built the station'];
      await i.respond(all.filter((c) => c.toLowerCase().includes(typed)).map((c) => ({ name: c, value: c })));
    };
    const choices = await discord.autocomplete({ channelId, userId: memberId, command: 'myth', options: { claim: 'emiss' }, focused: 'claim' });
    expect(choices).toEqual([{ name: 'Sisko is the Emissary', value: 'Sisko is the Emissary' }]);
  });

  it('GIVEN an attachment option THEN the bot can download the file over http', async () => {
    let downloaded = '';
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      const file = i.options.getAttachment('file', true);
      downloaded = await (await fetch(file.url)).text();
      await i.reply(`Imported ${file.name}`);
    };
    const r = await discord.slashCommand({
      channelId,
      userId: memberId,
      command: 'trivia',
      subcommand: 'import',
      options: { file: { name: 'pack.yaml', content: 'questions: []\n' } },
    });
    expect((await r.reply()).content).toBe('Imported pack.yaml');
    expect(downloaded).toBe('questions: []\n');
  });

  it('GIVEN withResponse THEN the callback answers with the interaction callback response', async () => {
    let messageId: string | undefined;
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      const response = await i.reply({ content: 'with response', withResponse: true });
      messageId = response.resource?.message?.id;
    };
    const r = await discord.slashCommand({ channelId, userId: memberId, command: 'ping' });
    await discord.waitFor(() => messageId);
    expect(messageId).toBe((await r.reply()).id);
  });

  it('GIVEN an answered interaction THEN its latency is recorded for benchmarks', async () => {
    handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply('fast');
    };
    const r = await discord.slashCommand({ channelId, userId: memberId, command: 'ping' });
    const entry = discord.interactionLatencies().find((l) => l.interactionId === r.id);
    expect(entry?.respondedAt).not.toBeNull();
    expect(entry!.respondedAt! - entry!.dispatchedAt).toBeGreaterThanOrEqual(0);
  });

  it('GIVEN a select menu WHEN a member picks a value THEN the bot reads it; an ephemeral message refuses other members', async () => {
    handler = async (i) => {
      if (i.isChatInputCommand()) {
        const menu = new StringSelectMenuBuilder()
          .setCustomId('season')
          .addOptions({ label: 'Season 1', value: 's1' }, { label: 'Season 7', value: 's7' });
        await i.reply({
          content: 'Pick a season',
          components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
          flags: MessageFlags.Ephemeral,
        });
      } else if (i.isStringSelectMenu()) {
        await i.update({ content: `Season picked: ${i.values.join(',')}`, components: [] });
      }
    };
    const menu = await (await discord.slashCommand({ channelId, userId: memberId, command: 'ping' })).reply();
    const other = discord.createMember(guildId, { username: 'bashir' });
    await expect(discord.selectMenu({ userId: other.id, messageId: menu.id, customId: 'season', values: ['s7'] })).rejects.toThrow(/ephemeral/);
    await expect(discord.selectMenu({ userId: memberId, messageId: menu.id, customId: 'season', values: ['s9'] })).rejects.toThrow(/no option/);
    const picked = await discord.selectMenu({ userId: memberId, messageId: menu.id, customId: 'season', values: ['s7'] });
    expect((await picked.reply()).content).toBe('Season picked: s7');
  });
});
