// The stand-in does what Discord does with message nonces, with command visibility (contexts,
// integration_types, default_member_permissions), and can fail a request after it took effect.
import { afterEach, describe, expect, it } from 'vitest';
import { PermissionFlagsBits as P, REST, Routes, type Client } from 'discord.js';
import { NonceStore } from '../../stand-in/nonces.js';
import { DiscordStandIn } from '../../stand-in/stand-in.js';
import { commands } from '../../commands/index.js';
import { registerCommands } from '../../src/register-commands.js';
import { connectClient } from './harness.js';

let discord: DiscordStandIn | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await discord?.stop();
  discord = undefined;
});

async function setUp() {
  discord = await DiscordStandIn.start();
  const guild = discord.createGuild({ name: 'Deep Space Nine' });
  const ops = discord.createChannel(guild.id, { name: 'ops' });
  const promenade = discord.createChannel(guild.id, { name: 'promenade' });
  const rest = new REST({ api: discord.restBase, retries: 0 }).setToken(discord.token);
  return { standIn: discord, guild, ops, promenade, rest };
}

type Posted = { id: string; nonce?: string | number };

describe('message nonces', () => {
  it('GIVEN enforce_nonce THEN the same nonce in the same channel returns the first message; another channel, another nonce or no enforce_nonce create new ones', async () => {
    const { standIn, ops, promenade, rest } = await setUp();
    const post = (channelId: string, body: object) => rest.post(Routes.channelMessages(channelId), { body }) as Promise<Posted>;
    const first = await post(ops.id, { content: 'Question 1', nonce: 'trivia:q:1', enforce_nonce: true });
    expect(first.nonce).toBe('trivia:q:1');
    const again = await post(ops.id, { content: 'Question 1 (retry)', nonce: 'trivia:q:1', enforce_nonce: true });
    expect(again.id).toBe(first.id);
    expect(standIn.messages(ops.id).map((m) => m.content)).toEqual(['Question 1']);

    expect((await post(promenade.id, { content: 'Question 1', nonce: 'trivia:q:1', enforce_nonce: true })).id).not.toBe(first.id);
    expect((await post(ops.id, { content: 'Question 2', nonce: 'trivia:q:2', enforce_nonce: true })).id).not.toBe(first.id);
    // A nonce without enforce_nonce is only echoed, as Discord does.
    const loose = await post(ops.id, { content: 'loose', nonce: 'x', enforce_nonce: false });
    expect((await post(ops.id, { content: 'loose', nonce: 'x' })).id).not.toBe(loose.id);
    // 7 and "7" are different nonces.
    const numeric = await post(ops.id, { content: 'seven', nonce: 7, enforce_nonce: true });
    expect((await post(ops.id, { content: 'seven', nonce: '7', enforce_nonce: true })).id).not.toBe(numeric.id);
    expect(standIn.messages(ops.id)).toHaveLength(6);
  });

  it('GIVEN the first message was deleted THEN a post with its nonce creates a new one', async () => {
    const { standIn, ops, rest } = await setUp();
    const body = { content: 'Summary', nonce: 'trivia:s:1', enforce_nonce: true };
    const first = (await rest.post(Routes.channelMessages(ops.id), { body })) as Posted;
    standIn.deleteMessage(first.id);
    const second = (await rest.post(Routes.channelMessages(ops.id), { body })) as Posted;
    expect(second.id).not.toBe(first.id);
    expect(standIn.messages(ops.id).map((m) => m.id)).toEqual([second.id]);
  });

  it('GIVEN a nonce longer than 25 characters THEN Discord refuses the body', async () => {
    const { ops, rest } = await setUp();
    await expect(rest.post(Routes.channelMessages(ops.id), { body: { content: 'x', nonce: 'n'.repeat(26), enforce_nonce: true } })).rejects.toMatchObject({
      status: 400,
      rawError: { code: 50035, errors: { nonce: expect.anything() } },
    });
  });

  it('GIVEN a nonce store THEN a nonce is remembered per channel and author for the window only', () => {
    let now = 0;
    const store = new NonceStore(() => now, 1_000);
    store.remember({ channelId: 'c', authorId: 'bot', nonce: 'n', messageId: 'm1' });
    expect(store.find({ channelId: 'c', authorId: 'bot', nonce: 'n' })).toBe('m1');
    expect(store.find({ channelId: 'c', authorId: 'someone', nonce: 'n' })).toBeUndefined();
    now = 999;
    expect(store.find({ channelId: 'c', authorId: 'bot', nonce: 'n' })).toBe('m1');
    now = 1_000;
    expect(store.find({ channelId: 'c', authorId: 'bot', nonce: 'n' })).toBeUndefined();
  });
});

describe('failNext with afterEffect', () => {
  it('GIVEN afterEffect THEN the request takes effect and only its answer is the failure; discord.js retries and the nonce returns the stored message', async () => {
    const { standIn, ops } = await setUp();
    standIn.failNext({ method: 'POST', path: /\/channels\/\d+\/messages$/, status: 500, afterEffect: true });
    const rest = new REST({ api: standIn.restBase, retries: 0 }).setToken(standIn.token);
    await expect(rest.post(Routes.channelMessages(ops.id), { body: { content: 'stored' } })).rejects.toMatchObject({ status: 500 });
    expect(standIn.messages(ops.id).map((m) => m.content)).toEqual(['stored']);

    client = await connectClient(standIn); // discord.js as the bot uses it: retries a 5xx
    standIn.failNext({ method: 'POST', path: /\/channels\/\d+\/messages$/, status: 500, afterEffect: true });
    const sent = (await client.rest.post(Routes.channelMessages(ops.id), { body: { content: 'once', nonce: 'once', enforce_nonce: true } })) as Posted;
    expect(standIn.messages(ops.id).map((m) => m.content)).toEqual(['stored', 'once']);
    expect(standIn.messages(ops.id)[1]!.id).toBe(sent.id);
    expect(standIn.requestCounts()['POST /channels/:id/messages']).toBe(3);
  });
});

describe('command visibility', () => {
  const command = (extra: object) => ({ name: 'admin-thing', description: 'Only for some', type: 1, ...extra });

  it('GIVEN default_member_permissions THEN members without them cannot see the command; holders, administrators and the owner can; "0" is administrators only', async () => {
    const { standIn, guild, ops, rest } = await setUp();
    const captain = standIn.createRole(guild.id, { name: 'Captains', permissions: P.ManageGuild });
    const sisko = standIn.createMember(guild.id, { username: 'sisko', roles: [captain.id] });
    const kira = standIn.createMember(guild.id, { username: 'kira' });
    const admin = standIn.createMember(guild.id, { username: 'admin', admin: true });
    await rest.put(Routes.applicationGuildCommands(standIn.applicationId, guild.id), {
      body: [command({ default_member_permissions: String(P.ManageGuild) }), command({ name: 'nobody', default_member_permissions: '0' })],
    });
    const use = (userId: string, name = 'admin-thing') => standIn.slashCommand({ channelId: ops.id, userId, command: name }).then(() => 'used');
    await expect(use(kira.id)).rejects.toThrow(/cannot see \/admin-thing: it needs permissions the member lacks/);
    expect(await use(sisko.id)).toBe('used');
    expect(await use(admin.id)).toBe('used');
    expect(await use(guild.ownerId)).toBe('used');
    await expect(use(sisko.id, 'nobody')).rejects.toThrow(/administrators only/);
    expect(await use(admin.id, 'nobody')).toBe('used');
  });

  it('GIVEN contexts without servers or integration_types without the server install THEN nobody sees the command in a server', async () => {
    const { standIn, guild, ops, rest } = await setUp();
    await rest.put(Routes.applicationGuildCommands(standIn.applicationId, guild.id), {
      body: [command({ name: 'dm-only', contexts: [1, 2] }), command({ name: 'user-app', integration_types: [1] }), command({ name: 'here', contexts: [0], integration_types: [0] })],
    });
    const use = (name: string) => standIn.slashCommand({ channelId: ops.id, userId: guild.ownerId, command: name }).then(() => 'used');
    await expect(use('dm-only')).rejects.toThrow(/not offered in servers/);
    await expect(use('user-app')).rejects.toThrow(/not offered to server installs/);
    expect(await use('here')).toBe('used');
  });

  it("GIVEN the bot's commands THEN each registers for servers only (contexts, integration_types, no dm_permission) and validates; none is admin-only as a whole, so every member sees all", async () => {
    const { standIn, guild, ops } = await setUp();
    for (const c of commands) {
      const body = JSON.parse(JSON.stringify(c.data.toJSON())) as ReturnType<typeof c.data.toJSON>; // as sent
      expect(body, `/${body.name}`).not.toHaveProperty('dm_permission');
      expect(body.contexts, `/${body.name}`).toEqual([0]);
      expect(body.integration_types, `/${body.name}`).toEqual([0]);
      // Each has subcommands open to every member (mixed commands keep their run-time checks).
      expect(body.default_member_permissions ?? null, `/${body.name}`).toBeNull();
    }
    await registerCommands({ token: standIn.token, applicationId: standIn.applicationId, guildId: guild.id, apiUrl: standIn.restBase });
    const stored = standIn.registeredCommands(guild.id);
    expect(stored.map((c) => [c['name'], c['contexts'], c['integration_types']])).toEqual(commands.map((c) => [c.data.name, [0], [0]]));
    const kira = standIn.createMember(guild.id, { username: 'kira' });
    for (const c of commands) {
      await expect(standIn.slashCommand({ channelId: ops.id, userId: kira.id, command: c.data.name, subcommand: firstSubcommand(c.data.toJSON()) })).resolves.toBeDefined();
    }
  });
});

/** A subcommand a member can run without options (e.g. /trivia play, /rewatch-thread status). */
function firstSubcommand(body: { options?: { type: number; name: string; options?: { required?: boolean }[] }[] }): string {
  const sub = body.options?.find((o) => o.type === 1 && !(o.options ?? []).some((option) => option.required));
  if (!sub) throw new Error('every command here has a subcommand without required options');
  return sub.name;
}
