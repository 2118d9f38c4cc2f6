import { afterEach, describe, expect, it } from 'vitest';
import { Client, Events, MessageFlags } from 'discord.js';
import { DiscordStandIn } from '../../stand-in/stand-in.js';
import { connectClient } from './harness.js';

describe('controls for slow requests and old modals', () => {
  let discord: DiscordStandIn | undefined;
  let client: Client | undefined;

  afterEach(async () => {
    await client?.destroy();
    client = undefined;
    await discord?.stop();
    discord = undefined;
  });

  it('GIVEN holdNext WHEN the caller goes away before the hold ends THEN the request still takes effect afterwards', async () => {
    discord = await DiscordStandIn.start();
    const guild = discord.createGuild({ name: 'Deep Space Nine' });
    const ops = discord.createChannel(guild.id, { name: 'ops' });
    let release = () => {};
    discord.holdNext({ method: 'POST', path: /\/messages$/, until: new Promise<void>((resolve) => (release = resolve)) });
    const abort = new AbortController();
    const sent = fetch(`${discord.restBase}/v10/channels/${ops.id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'late but there' }),
      signal: abort.signal,
    });
    await discord.waitFor(() => (discord!.requestCounts()['POST /channels/:id/messages'] ?? 0) > 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(discord.messages(ops.id)).toHaveLength(0);
    abort.abort();
    await expect(sent).rejects.toThrow();
    release();
    const posted = await discord.waitFor(() => discord!.messages(ops.id)[0]);
    expect(posted.content).toBe('late but there');
  });

  it('GIVEN submitOldModal THEN the bot receives a modal submit with that custom id and those fields, and can answer it', async () => {
    discord = await DiscordStandIn.start();
    const guild = discord.createGuild({ name: 'Deep Space Nine' });
    const ops = discord.createChannel(guild.id, { name: 'ops' });
    const kira = discord.createMember(guild.id, { username: 'kira' });
    client = await connectClient(discord);
    client.on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isModalSubmit()) return;
      void interaction.reply({ content: `${interaction.customId}=${interaction.fields.getTextInputValue('answer')}`, flags: MessageFlags.Ephemeral });
    });
    const handle = await discord.submitOldModal({ userId: kira.id, channelId: ops.id, customId: 'trivia:text:7', fields: { answer: 'Odo' } });
    const reply = await handle.reply();
    expect(reply.content).toBe('trivia:text:7=Odo');
    expect(reply.ephemeral).toBe(true);
    await expect(discord.submitOldModal({ userId: kira.id, channelId: ops.id, customId: '', fields: {} })).rejects.toThrow(/1-100/);
    await expect(discord.submitOldModal({ userId: kira.id, channelId: ops.id, customId: 'x', fields: { a: 'y'.repeat(4001) } })).rejects.toThrow(/4000/);
  });
});
