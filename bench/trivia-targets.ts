// Opens trivia questions through the stand-in, the way members start games, and finds their buttons.
import { openDatabase, type DatabaseTarget } from '../src/db/client.js';
import type { DiscordStandIn, VisibleMessage } from '../stand-in/index.js';
import type { ClickTarget } from './click-load.js';
import type { LoadServer } from './load-world.js';

/** Bench set-up only: opens (and so migrates) the bot's database, Postgres or a PGlite directory, and gives the servers longer questions, so none closes while the load runs. */
export async function setQuestionSeconds(target: DatabaseTarget, guildIds: readonly string[], seconds: number): Promise<void> {
  const database = await openDatabase(target);
  try {
    await database.db.$client`insert into guild_settings (guild_id, seconds_per_question)
      select g, ${seconds}::int from unnest(${[...guildIds]}::text[]) as g
      on conflict (guild_id) do update set seconds_per_question = excluded.seconds_per_question`;
  } finally {
    await database.close();
  }
}

/** `/trivia play questions:1` until the question is a multiple-choice or true/false one (answered by a single click). */
export async function openChoiceQuestion(discord: DiscordStandIn, server: LoadServer): Promise<ClickTarget> {
  const starter = server.members[0]!;
  // About a third of the bank is free-text: 8 tries left ~1 server in 5,000 without a choice question, which
  // crashed one latency run in thirty or so (200 servers; seen once); 40 tries leave ~1 in 10^18.
  for (let attempt = 0; attempt < 40; attempt++) {
    const seen = new Set(questionMessages(discord, server.channelId).map((m) => m.id));
    const play = await discord.slashCommand({ channelId: server.channelId, userId: starter, command: 'trivia', subcommand: 'play', options: { questions: 1 } });
    await play.reply({ timeoutMs: 60_000 });
    const message = await discord.waitFor(() => questionMessages(discord, server.channelId).find((m) => !seen.has(m.id)), { timeoutMs: 60_000 });
    const customIds = buttonIds(message);
    if (customIds.every((id) => id.startsWith('trivia:pick:'))) {
      return { messageId: message.id, customIds, members: server.members.slice(1), nextMember: 0 };
    }
    await (await discord.slashCommand({ channelId: server.channelId, userId: starter, command: 'trivia', subcommand: 'stop' })).reply({ timeoutMs: 60_000 });
  }
  throw new Error(`no choice question came up in channel ${server.channelId}`);
}

function questionMessages(discord: DiscordStandIn, channelId: string): VisibleMessage[] {
  return discord.messages(channelId).filter((m) => m.author.bot && buttonIds(m).length > 0);
}

export function buttonIds(message: VisibleMessage): string[] {
  return message.components.flatMap((row) =>
    'components' in row ? (row.components as { custom_id?: string }[]).flatMap((c) => (c.custom_id ? [c.custom_id] : [])) : [],
  );
}

