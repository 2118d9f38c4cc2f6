// A world for bots that run as real OS processes: the Discord stand-in in the test process, one server
// with members, and a fresh Postgres database for the bot (dropped by close(), with every bot process killed).
import { PermissionFlagsBits } from 'discord.js';
import postgres from 'postgres';
import { registerCommands } from '../../src/register-commands.js';
import { DiscordStandIn, type ChannelInfo, type GuildInfo, type MemberInfo } from '../../stand-in/index.js';
import { killAllBotProcesses, startBotProcess, type BotProcess, type BotProcessOptions } from './bot-process.js';
import { createScratchDatabase } from './databases.js';

export interface ProcessWorld {
  discord: DiscordStandIn;
  guild: GuildInfo;
  channel: ChannelInfo;
  /** sisko: Manage Server and Manage Threads; kira, quark, nog: plain members */
  members: Record<'sisko' | 'kira' | 'quark' | 'nog', MemberInfo>;
  databaseUrl: string;
  /** The test's own connection to the bot's database, for set-up and for checking what was stored. */
  sql: postgres.Sql;
  /** Starts the bot (or the sharded manager) with the environment `npm start` reads. */
  startBot(options?: { entry?: BotProcessOptions['entry']; env?: Record<string, string> }): BotProcess;
  close(): Promise<void>;
}

export async function createProcessWorld(adminUrl: string): Promise<ProcessWorld> {
  const discord = await DiscordStandIn.start();
  let database: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  let sql: postgres.Sql | undefined;
  try {
    const guild = discord.createGuild({ name: 'Deep Space Nine' });
    const channel = discord.createChannel(guild.id, { name: 'ops' });
    const captains = discord.createRole(guild.id, { name: 'Captains', permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageThreads });
    const members = {
      sisko: discord.createMember(guild.id, { username: 'sisko', roles: [captains.id] }),
      kira: discord.createMember(guild.id, { username: 'kira' }),
      quark: discord.createMember(guild.id, { username: 'quark' }),
      nog: discord.createMember(guild.id, { username: 'nog' }),
    };
    await registerCommands({ token: discord.token, applicationId: discord.applicationId, apiUrl: discord.restBase });
    database = await createScratchDatabase(adminUrl);
    sql = postgres(database.url, { max: 2, onnotice: () => {} });
    const { url, drop } = database;
    const testSql = sql;
    return {
      discord,
      guild,
      channel,
      members,
      databaseUrl: url,
      sql: testSql,
      startBot: (options = {}) =>
        startBotProcess({
          entry: options.entry ?? 'src/index.ts',
          env: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.restBase, DATABASE_URL: url, ...options.env },
        }),
      async close() {
        await killAllBotProcesses();
        await testSql.end({ timeout: 2 }).catch(() => {});
        await drop();
        await discord.stop();
      },
    };
  } catch (error) {
    await killAllBotProcesses();
    await sql?.end({ timeout: 2 }).catch(() => {});
    await database?.drop().catch(() => {});
    await discord.stop();
    throw error;
  }
}
