import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAPIError, type Client, type TextChannel } from 'discord.js';
import { commands } from '../../commands/index.js';
import { ApiError } from '../../stand-in/api-error.js';
import { checkBody, type BodyCheck } from '../../stand-in/form-body.js';
import { BODY } from '../../stand-in/request-bodies.js';
import { DiscordStandIn } from '../../stand-in/stand-in.js';
import { connectClient } from './harness.js';

/** Discord's nested `errors` as `path: CODE` lines, e.g. `content: BASE_TYPE_MAX_LENGTH`. */
function flatten(errors: unknown, at: string[] = []): string[] {
  if (typeof errors !== 'object' || errors === null) return [];
  return Object.entries(errors).flatMap(([key, value]) =>
    key === '_errors' ? (value as { code: string }[]).map((e) => `${at.join('.')}: ${e.code}`) : flatten(value, [...at, key]),
  );
}

/** What the stand-in answers for `body`: status, Discord code and the errors by field path. */
function refusal(check: BodyCheck, body: unknown): { status: number; code: number; errors: string[] } {
  try {
    checkBody(check, body);
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, code: err.code, errors: flatten(err.errors) };
    throw err;
  }
  throw new Error('the body was accepted');
}

const long = (n: number): string => 'x'.repeat(n);
const command = (extra: Record<string, unknown>) => ({ name: 'trivia', description: 'Play trivia', ...extra });
const stringOption = (extra: Record<string, unknown>) => ({ type: 3, name: 'episode', description: 'Which episode', ...extra });
const row = (...components: Record<string, unknown>[]) => ({ components: [{ type: 1, components }] });
const button = (extra: Record<string, unknown>) => ({ type: 2, style: 1, custom_id: 'answer', label: 'Answer', ...extra });

describe('request bodies checked against Discord\'s OpenAPI schemas (discord-api-spec) and the rules it leaves out', () => {
  it.each([
    // from the spec's schemas
    ['a 101-character choice name', BODY.command, command({ options: [stringOption({ choices: [{ name: long(101), value: 'v' }] })] }), 'options.0.choices.0.name: BASE_TYPE_MAX_LENGTH'],
    ['contexts: [7]', BODY.command, command({ contexts: [7] }), 'contexts.0: BASE_TYPE_CHOICES'],
    ['a subcommand inside a subcommand', BODY.command, command({ options: [{ type: 1, name: 'a', description: 'a', options: [{ type: 1, name: 'b', description: 'b' }] }] }), 'options.0.options.0.type: BASE_TYPE_CHOICES'],
    [
      'a modal text input label of 46 characters',
      BODY.callback,
      { type: 9, data: { custom_id: 'answer', title: 'Your answer', components: [{ type: 1, components: [{ type: 4, custom_id: 'a', style: 1, label: long(46) }] }] } },
      'data.components.0.components.0.label: BASE_TYPE_MAX_LENGTH',
    ],
    ['a button of an unknown style', BODY.message, row(button({ style: 9 })), 'components.0.components.0.style: BASE_TYPE_CHOICES'],
    ['an embed title of 257 characters', BODY.message, { embeds: [{ title: long(257) }] }, 'embeds.0.title: BASE_TYPE_MAX_LENGTH'],
    ['a follow-up of 2,001 characters', BODY.webhookMessage, { content: long(2001) }, 'content: BASE_TYPE_MAX_LENGTH'],
    ['an interaction response without a type', BODY.callback, { data: { content: 'hi' } }, 'type: BASE_TYPE_REQUIRED'],
    ['a thread archived after 30 minutes', BODY.thread, { name: 'Week 1', auto_archive_duration: 30 }, 'auto_archive_duration: BASE_TYPE_CHOICES'],
    // from the hand-written rules the spec leaves out
    ['a bot message of 2,001 characters', BODY.message, { content: long(2001) }, 'content: BASE_TYPE_MAX_LENGTH'],
    ['an edit to 2,001 characters', BODY.messageEdit, { content: long(2001) }, 'content: BASE_TYPE_MAX_LENGTH'],
    ['a 101-character choice value', BODY.command, command({ options: [stringOption({ choices: [{ name: 'n', value: long(101) }] })] }), 'options.0.choices.0.value: BASE_TYPE_MAX_LENGTH'],
    ['an autocomplete choice value of 101 characters', BODY.callback, { type: 8, data: { choices: [{ name: 'n', value: long(101) }] } }, 'data.choices.0.value: BASE_TYPE_MAX_LENGTH'],
    ['a button with neither label nor emoji', BODY.message, row(button({ label: undefined })), 'components.0.components.0.label: BASE_TYPE_REQUIRED'],
    ['a link button without a url', BODY.message, row(button({ style: 5, custom_id: undefined })), 'components.0.components.0.url: BASE_TYPE_REQUIRED'],
    ['a button without a custom id', BODY.message, row(button({ custom_id: undefined })), 'components.0.components.0.custom_id: BASE_TYPE_REQUIRED'],
    ['two buttons with one custom id', BODY.message, row(button({}), button({})), 'components.0.components.1.custom_id: COMPONENT_CUSTOM_ID_DUPLICATED'],
    ['a reply of 2,001 characters in a component update', BODY.callback, { type: 7, data: { content: long(2001) } }, 'data.content: BASE_TYPE_MAX_LENGTH'],
    ['embeds of more than 6,000 characters together', BODY.message, { embeds: [{ description: long(4000) }, { description: long(2001) }] }, 'embeds: MAX_EMBED_SIZE_EXCEEDED'],
    ['a command name with capitals', BODY.command, command({ name: 'Trivia' }), 'name: APPLICATION_COMMAND_INVALID_NAME'],
    ['a chat input command without a description', BODY.command, { name: 'trivia' }, 'description: BASE_TYPE_BAD_LENGTH'],
    ['a required option after an optional one', BODY.command, command({ options: [stringOption({}), stringOption({ name: 'round', required: true })] }), 'options.1.required: APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID'],
    ['two commands of one name', BODY.commands, [command({}), command({})], '1.name: APPLICATION_COMMANDS_DUPLICATE_NAME'],
    ['an empty thread name', BODY.threadEdit, { name: '' }, 'name: BASE_TYPE_BAD_LENGTH'],
  ])('GIVEN %s THEN 400, 50035 Invalid Form Body and the field path', (_what, check, body, error) => {
    expect(refusal(check, body)).toEqual({ status: 400, code: 50035, errors: [error] });
  });

  it('GIVEN the bot\'s own slash commands THEN the registration body passes', () => {
    expect(() => checkBody(BODY.commands, JSON.parse(JSON.stringify(commands.map((c) => c.data.toJSON()))))).not.toThrow();
  });

  describe('through discord.js', () => {
    let discord: DiscordStandIn;
    let client: Client;

    beforeAll(async () => {
      discord = await DiscordStandIn.start();
      client = await connectClient(discord);
    });

    afterAll(async () => {
      await client?.destroy();
      await discord.stop();
    });

    it('GIVEN a 2,001-character message THEN Discord\'s error reaches the bot and nothing is posted', async () => {
      const guild = discord.createGuild({ name: 'Bajor' });
      const created = discord.createChannel(guild.id, { name: 'ops' });
      const channel = await discord.waitFor(() => client.channels.cache.get(created.id) as TextChannel | undefined);
      const err = await channel.send(long(2001)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DiscordAPIError);
      const { status, code, rawError } = err as DiscordAPIError;
      const body = rawError as { message: string; errors?: unknown };
      expect({ status, code, message: body.message }).toEqual({ status: 400, code: 50035, message: 'Invalid Form Body' });
      expect(flatten(body.errors)).toEqual(['content: BASE_TYPE_MAX_LENGTH']);
      expect(discord.messages(channel.id)).toEqual([]);
    });

    it('GIVEN a command registered with contexts: [7] THEN the registration is refused at that field', async () => {
      const err = await client.application!.commands.set([command({ contexts: [7] }) as never]).catch((e: unknown) => e);
      expect(flatten(((err as DiscordAPIError).rawError as { errors?: unknown }).errors)).toEqual(['0.contexts.0: BASE_TYPE_CHOICES']);
    });
  });
});
