// All of /myth's wording: turns the myth service's plain views, outcomes and refusals into Discord messages.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, type APIEmbed } from 'discord.js';
import { episodeOrder } from '../content/index.js';
import type { MythChoice, MythListEntry, PostView, RevealView } from '../myth/myth-service.js';
import type { MythProblem } from '../myth/problems.js';
import type { WatchedThrough } from '../myth/selection.js';
import { honestShare, percent } from '../myth/tally.js';
import type { RunningTotals, Vote, VoteCount, VoteOutcome } from '../myth/types.js';
import { discordTime, sourceText, truncate, type MessagePayload } from './format.js';
import { MYTH } from './myth-command.js';
import { TRIVIA } from './trivia-command.js';

export const MYTH_PREFIX = 'myth';
export const mythCustomIds = {
  vote: (postId: number, vote: Vote) => `${MYTH_PREFIX}:vote:${postId}:${vote}`,
  reveal: (postId: number) => `${MYTH_PREFIX}:reveal:${postId}`,
};

const COLOR = { open: 0x8b5cf6, myth: 0xef4444, fact: 0x22c55e, list: 0x64748b } as const;
export const VOTE_LABELS: Record<Vote, string> = { myth: 'Myth', fact: 'Fact' };

/** "/myth ask", "/myth list". */
function slash(sub: string): string {
  return `/${MYTH.name} ${sub}`;
}

const ASK_ANOTHER = `Ask another with \`${slash(MYTH.sub.ask)}\`.`;
const GUARD_HINT = `An admin can turn the spoiler guard off with \`/${TRIVIA.name} ${TRIVIA.sub.settings} ${TRIVIA.option.spoilerGuard}:False\`.`;

/** What the adapter itself says no to (no domain call behind it), or notes privately. */
export const MYTH_NOTES = {
  guildOnly: 'Myths work in servers, not in direct messages.',
  unknownSubcommand: `Unknown subcommand. Try \`${slash(MYTH.sub.ask)}\`.`,
  staleButton: `This button is from an older version of the bot. Ask again with \`${slash(MYTH.sub.ask)}\`.`,
  alreadyRevealed: 'The verdict is already out.',
} as const;

/** The post members vote on: the claim as a fan would put it, Myth / Fact / Reveal buttons. */
export function renderPost(view: PostView): MessagePayload {
  const embed = new EmbedBuilder()
    .setColor(COLOR.open)
    .setTitle('Myth or fact?')
    .setDescription(
      [
        `> ${view.myth.claim}`,
        '',
        `What do you think? Vote below; you can change your vote until the verdict, which arrives ${discordTime(view.revealAt, 'R')}.`,
        `<@${view.askedBy}> (who asked) or a moderator can reveal it sooner.`,
      ].join('\n'),
    )
    .setFooter({ text: `${view.myth.title} · one vote per member` });
  const buttons = [
    new ButtonBuilder().setCustomId(mythCustomIds.vote(view.postId, 'myth')).setLabel(VOTE_LABELS.myth).setStyle(ButtonStyle.Danger),
    new ButtonBuilder().setCustomId(mythCustomIds.vote(view.postId, 'fact')).setLabel(VOTE_LABELS.fact).setStyle(ButtonStyle.Success),
    new ButtonBuilder().setCustomId(mythCustomIds.reveal(view.postId)).setLabel('Reveal').setStyle(ButtonStyle.Secondary),
  ];
  return {
    embeds: [embed.toJSON()],
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons).toJSON()],
    allowed_mentions: { parse: [] },
  };
}

/** The post after the verdict: verdict, explanation, the vote split as a bar, and the cross-server share. */
export function renderReveal(view: RevealView): MessagePayload {
  const { myth, votes } = view;
  const split = believersSentence(votes, myth.believers);
  const across = acrossServersSentence(view.totals);
  const embed = new EmbedBuilder()
    .setColor(COLOR[myth.verdict])
    .setTitle(`${VOTE_LABELS[myth.verdict]}! ${truncate(myth.title, 200)}`)
    .setDescription(
      [
        `> ${myth.claim}`,
        '',
        `**Verdict: ${VOTE_LABELS[myth.verdict]}.** ${myth.explanation}`,
        '',
        split ? `\`${voteBar(votes)}\`\n${split}.` : 'Nobody voted this time.',
        ...(across ? [`${across}.`] : []),
        '',
        view.revealedBy ? `Revealed by <@${view.revealedBy}>.` : 'Revealed after a minute of voting.',
      ].join('\n'),
    )
    .setFooter({ text: `Settled in ${sourceText(myth.source)} · ${slash(MYTH.sub.list)} for every verdict here` });
  return { embeds: [embed.toJSON()], components: [], allowed_mentions: { parse: [] } };
}

export const BAR_WIDTH = 10;

/** `part` of `total` as a bar of `width` cells, never showing none or all unless exactly so. */
export function splitBar(part: number, total: number, width = BAR_WIDTH): string {
  const filled = honestShare(part, total, width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** The bar line: Fact voters fill it from the left, Myth voters are the rest. */
export function voteBar(votes: VoteCount): string {
  return `${VOTE_LABELS.fact} ${votes.fact} ${splitBar(votes.fact, votes.fact + votes.myth)} ${votes.myth} ${VOTE_LABELS.myth}`;
}

/** "7 of 10 thought Sisko died": the Fact voters out of everyone, in the myth's own words; null when nobody voted. */
export function believersSentence(votes: VoteCount, believers: string): string | null {
  const total = votes.myth + votes.fact;
  if (total === 0) return null;
  return `${votes.fact} of ${total} ${believers}`;
}

/** "Across all servers, 64% got this right (250 votes)", or null before anyone anywhere voted. */
export function acrossServersSentence(totals: RunningTotals): string | null {
  const total = totals.rightVotes + totals.wrongVotes;
  const share = percent(totals.rightVotes, total);
  if (share === null) return null;
  return `Across all servers, ${share}% got this right (${total} vote${total === 1 ? '' : 's'})`;
}

/** The ephemeral answer to a vote button. */
export function voteMessage(outcome: VoteOutcome): string {
  switch (outcome.status) {
    case 'recorded':
      return `You voted **${VOTE_LABELS[outcome.vote]}**. You can change your vote until the verdict.`;
    case 'changed':
      return `You changed your vote to **${VOTE_LABELS[outcome.vote]}** (it was ${VOTE_LABELS[outcome.from]}).`;
    case 'unchanged':
      return `You voted **${VOTE_LABELS[outcome.vote]}** already; it counts once.`;
    case 'closed':
      return `Voting on this myth has closed. ${ASK_ANOTHER}`;
  }
}

/** An autocomplete choice: the title, within Discord's 100 characters. */
export function choiceName(choice: MythChoice): string {
  return truncate(choice.title, 100);
}

/**
 * `/myth list`: every title the spoiler guard lets through, with its verdict once revealed in this server. Hidden
 * myths are only counted: a title such as "Worf became chancellor" would spoil the episode it is about.
 */
export function renderList(entries: readonly MythListEntry[]): APIEmbed {
  const lines = entries
    .filter((e) => !e.hiddenUntil)
    .map((e) => (e.verdict ? `- ${e.title}: **${VOTE_LABELS[e.verdict]}**` : `- ${e.title}: not revealed here yet`));
  const hidden = entries.filter((e) => e.hiddenUntil);
  if (hidden.length > 0) {
    const earliest = [...hidden].sort((a, b) => episodeOrder(a.hiddenUntil!) - episodeOrder(b.hiddenUntil!))[0]!.hiddenUntil;
    lines.push(`- ${hidden.length} more, hidden by the spoiler guard until your rewatch reaches ${earliest} or later`);
  }
  const revealed = entries.filter((e) => e.verdict && !e.hiddenUntil).length;
  return new EmbedBuilder()
    .setColor(COLOR.list)
    .setTitle('Final Chapter myths')
    .setDescription(truncate(lines.length > 0 ? lines.join('\n') : 'There are no myths yet.', 4096))
    .setFooter({ text: `${revealed} of ${entries.length} revealed in this server · ${slash(MYTH.sub.ask)} to vote on one` })
    .toJSON();
}

/** The member's message when /myth refuses. */
export function explainMythProblem(problem: MythProblem): string {
  switch (problem.code) {
    case 'post-not-open':
      return `This myth is no longer open. ${ASK_ANOTHER}`;
    case 'reveal-not-allowed':
      return `Only <@${problem.askedBy}>, who asked, or a member with Manage Messages can reveal this early. The verdict comes on its own a minute after posting.`;
    case 'claim-unknown':
      return `No myth matches that. Did you mean: ${boldList(problem.suggestions)}?`;
    case 'claim-ambiguous':
      return `Several myths match that: ${boldList(problem.titles)}. Pick one from the list as you type.`;
    case 'claim-hidden':
      return `That myth is hidden by the spoiler guard: it spoils ${problem.spoils} and ${rewatchProgress(problem.watchedThrough)}. ${GUARD_HINT}`;
    case 'no-myths':
      return 'There are no myths to ask about yet.';
    case 'all-hidden':
      return `Every myth is hidden by the spoiler guard for now: ${rewatchProgress(problem.watchedThrough)}. ${GUARD_HINT}`;
  }
}

function boldList(titles: readonly string[]): string {
  return titles.map((t) => `**${t}**`).join(', ');
}

function rewatchProgress(watched: WatchedThrough): string {
  return watched ? `this server's rewatch has reached ${watched}` : "this server's rewatch has not posted an episode yet";
}
