// Shared set-up for end-to-end tests: the Discord stand-in, one server with members, and the real bot
// (the same composition root as `npm start`) on its own database, with a clock the test controls.
import { Writable } from 'node:stream';
import { PermissionFlagsBits } from 'discord.js';
import { startBot, type RunningBot, type StartBotOptions } from '../../src/bot.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { registerCommands } from '../../src/register-commands.js';
import { DiscordStandIn, type ChannelInfo, type GuildInfo, type MemberInfo } from '../../stand-in/index.js';
import { pgliteEngine, type TestDatabase, type TestEngine } from '../helpers/databases.js';
import { seededRandom } from '../helpers/random.js';

export const T0 = new Date('2026-11-26T19:00:00Z');

export interface World {
  discord: DiscordStandIn;
  guild: GuildInfo;
  channel: ChannelInfo;
  /** sisko: Manage Server; odo: Manage Messages; kira, quark, nog: plain members */
  members: Record<'sisko' | 'odo' | 'kira' | 'quark' | 'nog', MemberInfo>;
  clock: ManualClock;
  database: TestDatabase;
  bot: RunningBot;
  logs: string[];
  /** Starts another bot process on the same database (or restarts after `bot.stop()`). */
  startAnotherBot(overrides?: Partial<StartBotOptions>): Promise<RunningBot>;
  close(): Promise<void>;
}

export async function createWorld(options: { engine?: TestEngine; botOptions?: Partial<StartBotOptions>; interactionTimeoutMs?: number } = {}): Promise<World> {
  const discord = await DiscordStandIn.start(options.interactionTimeoutMs === undefined ? {} : { interactionTimeoutMs: options.interactionTimeoutMs });
  const guild = discord.createGuild({ name: 'Deep Space Nine' });
  const channel = discord.createChannel(guild.id, { name: 'ops' });
  const captains = discord.createRole(guild.id, { name: 'Captains', permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageThreads });
  const security = discord.createRole(guild.id, { name: 'Security', permissions: PermissionFlagsBits.ManageMessages });
  const members = {
    sisko: discord.createMember(guild.id, { username: 'sisko', roles: [captains.id] }),
    odo: discord.createMember(guild.id, { username: 'odo', roles: [security.id] }),
    kira: discord.createMember(guild.id, { username: 'kira' }),
    quark: discord.createMember(guild.id, { username: 'quark' }),
    nog: discord.createMember(guild.id, { username: 'nog' }),
  };
  await registerCommands({ token: discord.token, applicationId: discord.applicationId, apiUrl: discord.restBase });
  const clock = new ManualClock(T0);
  const database = await (options.engine ?? pgliteEngine).open();
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const config = { ...loadConfig({}), discordToken: discord.token, discordApiUrl: discord.restBase };
  const bots: RunningBot[] = [];
  const startAnotherBot = async (overrides: Partial<StartBotOptions> = {}) => {
    const bot = await startBot({
      config,
      logger: createLogger('info', sink),
      database,
      clock,
      random: seededRandom(bots.length + 1),
      tickIntervalMs: 0,
      triviaPauseMs: 0,
      ...options.botOptions,
      ...overrides,
    });
    bots.push(bot);
    return bot;
  };
  const bot = await startAnotherBot();
  // Its start-up catch-up pass runs on its own: on a busy machine it could still be at work (a watch-party sync,
  // say) when the test's first command comes, and do that command's work first.
  await bot.idle();
  return {
    discord,
    guild,
    channel,
    members,
    clock,
    database,
    bot,
    logs,
    startAnotherBot,
    async close() {
      for (const b of bots) await b.stop().catch(() => {});
      await discord.stop();
      await database.dispose();
    },
  };
}
