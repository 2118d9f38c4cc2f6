// Turns the myth service's plain views into Discord message payloads.
import type { MythProblem } from '../myth/problems.js';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, type APIEmbed } from 'discord.js';
import type { Vote, VoteOutcome } from '../db/repositories/myth.js';
import type { MythChoice, MythListEntry, PostView, RevealView } from '../myth/myth-service.js';
import { acrossServersSentence, believersSentence, voteBar } from '../myth/tally.js';
import { episodeOrder } from '../content/index.js';
import { discordTime, sourceText } from './format.js';
import { truncate, type MessagePayload } from './trivia-render.js';

export const MYTH_PREFIX = 'myth';
export const mythCustomIds = {
  vote: (postId: number, vote: Vote) => `${MYTH_PREFIX}:vote:${postId}:${vote}`,
  reveal: (postId: number) => `${MYTH_PREFIX}:reveal:${postId}`,
};

const COLOR = { open: 0x8b5cf6, myth: 0xef4444, fact: 0x22c55e, list: 0x64748b } as const;
export const VOTE_LABELS: Record<Vote, string> = { myth: 'Myth', fact: 'Fact' };

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
    .setFooter({ text: `Settled in ${sourceText(myth.source)} · /myth list for every verdict here` });
  return { embeds: [embed.toJSON()], components: [], allowed_mentions: { parse: [] } };
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
      return 'Voting on this myth has closed. Ask another with `/myth ask`.';
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
    .setFooter({ text: `${revealed} of ${entries.length} revealed in this server · /myth ask to vote on one` })
    .toJSON();
}

/** The member's message when /myth refuses. */
export function explainMythProblem(problem: MythProblem): string {
  return problem;
}
