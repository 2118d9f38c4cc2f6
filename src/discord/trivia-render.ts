// Turns the trivia engine's plain views into Discord message payloads.
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type APIEmbed,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
} from 'discord.js';
import { CATEGORY_LABELS, type Category } from '../content/index.js';
import type { PlayerStats, Standing } from '../db/repositories/trivia.js';
import {
  MAX_ANSWER_LENGTH,
  optionLetter,
  TRUE_FALSE_OPTIONS,
  type QuestionView,
  type RevealView,
  type SummaryView,
} from '../trivia/game-engine.js';
import { scoringRules } from '../trivia/scoring.js';
import type { TriviaProblem } from '../trivia/problems.js';
import { customIdNumber, discordTime, sourceText } from './format.js';

export const TRIVIA_PREFIX = 'trivia';
export const customIds = {
  pick: (roundId: number, index: number) => `${TRIVIA_PREFIX}:pick:${roundId}:${index}`,
  openModal: (roundId: number) => `${TRIVIA_PREFIX}:open:${roundId}`,
  modal: (roundId: number) => `${TRIVIA_PREFIX}:text:${roundId}`,
  /** The button on a rewatch thread's first message that starts a game about its episode. */
  playEpisode: (episodeCode: string) => `${TRIVIA_PREFIX}:episode:${episodeCode}`,
};
export const ANSWER_FIELD = 'answer';

/** Reads back an id made by `customIds`; the numbers are NaN when the id does not carry them. */
export function parseCustomId(customId: string): {
  prefix: string | undefined;
  action: string | undefined;
  roundId: number;
  index: number;
  /** The episode code of a playEpisode button. */
  episode: string | undefined;
} {
  const [prefix, action, roundText, indexText] = customId.split(':');
  return {
    prefix,
    action,
    roundId: customIdNumber(roundText),
    index: customIdNumber(indexText),
    episode: action === 'episode' ? roundText : undefined,
  };
}

/** The row under a rewatch thread's first message: **Play this episode's trivia**. */
export function playEpisodeRow(episodeCode: string): APIActionRowComponent<APIComponentInMessageActionRow> {
  return new ActionRowBuilder<ButtonBuilder>()
    .addComponents(new ButtonBuilder().setCustomId(customIds.playEpisode(episodeCode)).setLabel("Play this episode's trivia").setEmoji('🎲').setStyle(ButtonStyle.Primary))
    .toJSON();
}

/** Whether a button is one of a round's answer buttons (an option to pick, or the one opening the answer form). */
export function isAnswerButtonOf(customId: string, roundId: number): boolean {
  const { prefix, action, roundId: round } = parseCustomId(customId);
  return prefix === TRIVIA_PREFIX && (action === 'pick' || action === 'open') && round === roundId;
}

const COLOR = { question: 0x3b82f6, reveal: 0x22c55e, summary: 0xf59e0b } as const;
const MEDALS = ['🥇', '🥈', '🥉'];

export interface MessagePayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  allowed_mentions: { parse: [] };
}

export function renderIntro(input: { startedBy: string; questionCount: number; seconds: number; shortBy: number; about?: string }): string {
  const short = input.shortBy > 0 ? ` (only ${input.questionCount} matched your filters)` : '';
  const about = input.about ? ` about ${input.about}` : '';
  return [
    `**Trivia!** <@${input.startedBy}> started a game of ${input.questionCount} question${input.questionCount === 1 ? '' : 's'}${about}${short}, ${input.seconds} seconds each.`,
    scoringRules(),
  ].join('\n');
}

export function renderQuestion(view: QuestionView): MessagePayload {
  const { question } = view;
  const embed = new EmbedBuilder()
    .setColor(COLOR.question)
    .setTitle(`Question ${view.roundNo} of ${view.total} · ${view.categoryLabel}`)
    .setFooter({ text: `${capitalise(question.difficulty)} · one answer per member` });
  const lines = [question.prompt, ''];
  let buttons: ButtonBuilder[];
  if (question.type === 'multiple-choice') {
    question.options.forEach((option, i) => lines.push(`**${optionLetter(i)}.** ${option}`));
    buttons = question.options.map((_, i) =>
      new ButtonBuilder().setCustomId(customIds.pick(view.roundId, i)).setLabel(optionLetter(i)).setStyle(ButtonStyle.Primary),
    );
  } else if (question.type === 'true-false') {
    lines.push('True or false?');
    buttons = TRUE_FALSE_OPTIONS.map((label, i) =>
      new ButtonBuilder().setCustomId(customIds.pick(view.roundId, i)).setLabel(label).setStyle(i === 0 ? ButtonStyle.Success : ButtonStyle.Danger),
    );
  } else {
    lines.push('Type your answer: press **Answer**.');
    buttons = [new ButtonBuilder().setCustomId(customIds.openModal(view.roundId)).setLabel('Answer').setStyle(ButtonStyle.Primary)];
  }
  lines.push('', `Closes ${discordTime(view.closesAt, 'R')}`);
  embed.setDescription(lines.join('\n'));
  return {
    embeds: [embed.toJSON()],
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons).toJSON()],
    allowed_mentions: { parse: [] },
  };
}

export function renderAnswerModal(roundId: number, prompt: string) {
  return new ModalBuilder()
    .setCustomId(customIds.modal(roundId))
    .setTitle('Your answer')
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder()
          .setCustomId(ANSWER_FIELD)
          .setLabel(truncate(prompt, 45))
          .setStyle(TextInputStyle.Short)
          .setRequired(true)
          .setMaxLength(MAX_ANSWER_LENGTH),
      ),
    );
}

export function renderReveal(view: RevealView): MessagePayload {
  const right = view.answers.filter((a) => a.correct);
  const rightLines = right.map((a) => `<@${a.userId}> +${a.points}${a.firstCorrect ? ' (first!)' : ''}`);
  const embed = new EmbedBuilder()
    .setColor(COLOR.reveal)
    .setTitle(`Question ${view.roundNo} of ${view.total} · answer`)
    .setDescription([view.question.prompt, '', `**Answer: ${view.correctAnswer}**`, view.question.explanation].join('\n'))
    .addFields(
      { name: 'Got it right', value: rightLines.length > 0 ? truncate(rightLines.join('\n'), 1024) : 'Nobody this time.' },
      { name: 'Answers', value: `${right.length} of ${view.answers.length} right` , inline: true },
    );
  if (view.nextAt) embed.addFields({ name: 'Next question', value: discordTime(view.nextAt, 'R'), inline: true });
  if (view.question.source) embed.setFooter({ text: truncate(`Settled in ${sourceText(view.question.source)}`, 2048) });
  return { embeds: [embed.toJSON()], components: [], allowed_mentions: { parse: [] } };
}

export function renderSummary(view: SummaryView): MessagePayload {
  const title = view.outcome === 'stopped' ? 'Trivia stopped' : 'Trivia over';
  const by = view.outcome === 'stopped' && view.endedBy ? ` by <@${view.endedBy}>` : '';
  const standings = view.standings.slice(0, 10).map(standingLine);
  const embed = new EmbedBuilder()
    .setColor(COLOR.summary)
    .setTitle(title)
    .setDescription(
      [
        `${title}${by} after ${view.questionsAsked} question${view.questionsAsked === 1 ? '' : 's'}.`,
        '',
        standings.length > 0 ? standings.join('\n') : 'Nobody answered.',
      ].join('\n'),
    )
    .setFooter({ text: 'See /trivia leaderboard for the server standings' });
  return { embeds: [embed.toJSON()], components: [], allowed_mentions: { parse: [] } };
}

export function renderLeaderboard(input: { period: 'week' | 'all'; top: Standing[]; me: Standing | null; callerId: string; timeZone: string }) {
  const title = input.period === 'week' ? `Trivia leaderboard: this week (${input.timeZone})` : 'Trivia leaderboard: all time';
  const lines = input.top.map(standingLine);
  const mine = input.me
    ? input.top.some((s) => s.userId === input.callerId)
      ? ''
      : `\nYou: #${input.me.rank} with ${input.me.points} points`
    : '\nYou have no points here yet: `/trivia play` to start.';
  return new EmbedBuilder()
    .setColor(COLOR.summary)
    .setTitle(title)
    .setDescription((lines.length > 0 ? lines.join('\n') : 'No scores yet.') + mine)
    .toJSON();
}

export function renderStats(userId: string, stats: PlayerStats | null) {
  if (!stats) return `<@${userId}> has not answered any trivia here yet.`;
  const accuracy = stats.answered === 0 ? 0 : Math.round((stats.correct / stats.answered) * 100);
  return new EmbedBuilder()
    .setColor(COLOR.summary)
    .setTitle('Trivia stats')
    .setDescription(`<@${userId}>`)
    .addFields(
      { name: 'Points', value: String(stats.points), inline: true },
      { name: 'Answered', value: String(stats.answered), inline: true },
      { name: 'Correct', value: `${stats.correct} (${accuracy}%)`, inline: true },
      { name: 'Streak', value: `${stats.currentStreak} now, best ${stats.bestStreak}`, inline: true },
      { name: 'Games played', value: String(stats.gamesPlayed), inline: true },
    )
    .toJSON();
}

export function categoryChoices() {
  return (Object.entries(CATEGORY_LABELS) as [Category, string][]).map(([value, name]) => ({ name, value }));
}

function standingLine(s: Standing): string {
  return `${MEDALS[s.rank - 1] ?? `#${s.rank}`} <@${s.userId}>: ${s.points} point${s.points === 1 ? '' : 's'}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The member's message when /trivia refuses. */
export function explainTriviaProblem(problem: TriviaProblem): string {
  return problem;
}
