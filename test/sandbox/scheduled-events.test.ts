// The stand-in's guild scheduled events, driven over REST as a bot would: what Discord accepts, what it refuses
// (a start in the past, an external event without an end or a location, a voice event without its channel, a bot
// without Create/Manage Events), status changes, deletion, and members' "Interested".
import { DiscordAPIError, PermissionFlagsBits as P, REST, Routes } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_PERMISSIONS } from '../../stand-in/permissions.js';
import { DiscordStandIn, type GuildInfo } from '../../stand-in/index.js';

const NOW = Date.parse('2026-11-26T19:00:00Z');
const HOUR = 3_600_000;
const at = (ms: number) => new Date(NOW + ms).toISOString();

let discord: DiscordStandIn;
let rest: REST;
let guild: GuildInfo;
let now = NOW;

beforeAll(async () => {
  discord = await DiscordStandIn.start();
  discord.useClock(() => now);
  rest = new REST({ api: discord.restBase, retries: 0 }).setToken(discord.token);
});
afterAll(async () => {
  await discord.stop();
});
beforeEach(() => {
  now = NOW;
  guild = discord.createGuild({ name: 'Deep Space Nine', botPermissions: DEFAULT_BOT_PERMISSIONS | P.ManageEvents });
});

const external = (extra: Record<string, unknown> = {}) => ({
  name: 'Watch party',
  privacy_level: 2,
  entity_type: 3,
  scheduled_start_time: at(HOUR),
  scheduled_end_time: at(3 * HOUR),
  entity_metadata: { location: 'https://discord.com/channels/1/2' },
  ...extra,
});

/** What Discord answered: status, JSON code and the field errors as `path: CODE`. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; code: number | string; errors: string[] }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof DiscordAPIError)) throw error;
    const errors = JSON.stringify(error.rawError).match(/"[\w.]+":\{"_errors":\[\{"code":"\w+"/g) ?? [];
    return { status: error.status, code: error.code, errors: errors.map((e) => e.replace(/^"([\w.]+)":\{"_errors":\[\{"code":"(\w+)"$/, '$1: $2')) };
  }
  throw new Error('the request was accepted');
}

const create = (body: Record<string, unknown>) => rest.post(Routes.guildScheduledEvents(guild.id), { body }) as Promise<{ id: string } & Record<string, unknown>>;

describe('guild scheduled events in the stand-in', () => {
  it('GIVEN a valid external event THEN it is created, listed with its user count, changed and deleted as on Discord', async () => {
    const made = await create(external({ description: 'Episode 1' }));
    expect(made).toMatchObject({
      guild_id: guild.id,
      creator_id: discord.botUserId,
      entity_type: 3,
      status: 1,
      channel_id: null,
      entity_metadata: { location: 'https://discord.com/channels/1/2' },
      scheduled_start_time: at(HOUR),
    });
    const kira = discord.createMember(guild.id, { username: 'kira' });
    discord.markInterested({ eventId: made.id, userId: kira.id });
    expect(await rest.get(Routes.guildScheduledEvents(guild.id), { query: new URLSearchParams({ with_user_count: 'true' }) })).toEqual([
      expect.objectContaining({ id: made.id, user_count: 1 }),
    ]);

    await rest.patch(Routes.guildScheduledEvent(guild.id, made.id), { body: { scheduled_start_time: at(5 * HOUR), scheduled_end_time: at(6 * HOUR) } });
    expect(discord.scheduledEvents(guild.id)).toEqual([expect.objectContaining({ id: made.id, start: new Date(at(5 * HOUR)), interested: 1 })]);

    // Once its start has passed, other fields may still change, but the start cannot move into the past.
    now = NOW + 5 * HOUR + 1;
    await rest.patch(Routes.guildScheduledEvent(guild.id, made.id), { body: { entity_metadata: { location: 'https://discord.com/channels/1/3' } } });
    expect(discord.scheduledEvents(guild.id)[0]).toMatchObject({ location: 'https://discord.com/channels/1/3' });
    expect(await refusal(rest.patch(Routes.guildScheduledEvent(guild.id, made.id), { body: { scheduled_start_time: at(HOUR) } }))).toMatchObject({
      status: 400,
      errors: ['scheduled_start_time: GUILD_SCHEDULED_EVENT_SCHEDULE_PAST'],
    });

    // Discord completes an external event at its end: it leaves the list and takes no more changes.
    now = NOW + 6 * HOUR;
    expect(discord.scheduledEvents(guild.id)).toEqual([]);
    expect(await refusal(rest.patch(Routes.guildScheduledEvent(guild.id, made.id), { body: { name: 'Later' } }))).toMatchObject({ status: 400, code: 180000 });

    await rest.delete(Routes.guildScheduledEvent(guild.id, made.id));
    expect(await refusal(rest.get(Routes.guildScheduledEvent(guild.id, made.id)))).toMatchObject({ status: 404, code: 10070 });
  });

  it.each([
    ['a start in the past', external({ scheduled_start_time: at(-1) }), ['scheduled_start_time: GUILD_SCHEDULED_EVENT_SCHEDULE_PAST']],
    ['an external event without an end', external({ scheduled_end_time: undefined }), ['scheduled_end_time: BASE_TYPE_REQUIRED']],
    ['an external event without a location', external({ entity_metadata: undefined }), ['entity_metadata: BASE_TYPE_REQUIRED']],
    ['an end before the start', external({ scheduled_end_time: at(HOUR / 2) }), ['scheduled_end_time: GUILD_SCHEDULED_EVENT_END_BEFORE_START']],
    ['a voice event without its channel', { name: 'Party', privacy_level: 2, entity_type: 2, scheduled_start_time: at(HOUR) }, ['channel_id: BASE_TYPE_REQUIRED']],
    ['a 101-character name', external({ name: 'x'.repeat(101) }), ['name: BASE_TYPE_MAX_LENGTH']],
  ])('GIVEN %s THEN Discord answers 400 Invalid Form Body', async (_what, body, errors) => {
    expect(await refusal(create(body))).toEqual({ status: 400, code: 50035, errors });
    expect(discord.scheduledEvents(guild.id)).toEqual([]);
  });

  it('GIVEN a voice channel THEN a voice event needs Connect there, and a text channel is refused', async () => {
    const lounge = discord.createChannel(guild.id, { name: 'lounge', type: 2 });
    const text = discord.createChannel(guild.id, { name: 'ops' });
    const voice = { name: 'Party', privacy_level: 2, entity_type: 2, scheduled_start_time: at(HOUR), channel_id: lounge.id };
    expect(await refusal(create(voice))).toMatchObject({ status: 403, code: 50013 });
    discord.setBotPermissions(guild.id, DEFAULT_BOT_PERMISSIONS | P.ManageEvents | P.Connect);
    expect(await create(voice)).toMatchObject({ entity_type: 2, channel_id: lounge.id, entity_metadata: null });
    expect(await refusal(create({ ...voice, channel_id: text.id }))).toMatchObject({ status: 400, errors: ['channel_id: CHANNEL_TYPE_INVALID'] });
  });

  it('GIVEN the bot has neither Manage Events nor Create Events THEN every event call is 403 Missing Permissions; Create Events covers its own events', async () => {
    const made = await create(external());
    discord.setBotPermissions(guild.id, DEFAULT_BOT_PERMISSIONS);
    expect(await refusal(create(external()))).toMatchObject({ status: 403, code: 50013 });
    expect(await refusal(rest.patch(Routes.guildScheduledEvent(guild.id, made.id), { body: { name: 'x' } }))).toMatchObject({ status: 403, code: 50013 });
    expect(await refusal(rest.delete(Routes.guildScheduledEvent(guild.id, made.id)))).toMatchObject({ status: 403, code: 50013 });
    discord.setBotPermissions(guild.id, DEFAULT_BOT_PERMISSIONS | P.CreateEvents);
    await rest.patch(Routes.guildScheduledEvent(guild.id, made.id), { body: { name: 'Renamed' } });
    expect(discord.scheduledEvents(guild.id)).toEqual([expect.objectContaining({ name: 'Renamed' })]);
  });

  it('GIVEN status changes THEN only scheduled -> active/canceled and active -> completed are taken', async () => {
    const made = await create(external());
    const patch = (status: number) => rest.patch(Routes.guildScheduledEvent(guild.id, made.id), { body: { status } });
    expect(await refusal(patch(3))).toMatchObject({ status: 400, errors: ['status: GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION'] });
    await patch(2);
    expect(discord.scheduledEvents(guild.id)[0]).toMatchObject({ status: 2 });
    await patch(3);
    expect(discord.scheduledEvents(guild.id)).toEqual([]);
  });
});
