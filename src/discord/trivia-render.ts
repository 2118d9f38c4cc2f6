// Turns the trivia engine's plain views into Discord message payloads.
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  LabelBuilder,
  ModalBuilder,
  TextDisplayBuilder,
  TextInputBuilder,
  TextInputStyle,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
} from 'discord.js';
import { CATEGORY_LABELS, type Episode } from '../content/index.js';
import type { PlayerStats, Standing } from '../trivia/types.js';
import type { Leaderboard } from '../trivia/boards.js';
import {
  MAX_ANSWER_LENGTH,
  optionLetter,
  TRUE_FALSE_OPTIONS,
  type AnswerReply,
  type QuestionView,
  type RevealView,
  type SummaryView,
} from '../trivia/game-engine.js';
import { BASE_POINTS, FIRST_CORRECT_BONUS, STREAK_BONUS_CAP, STREAK_BONUS_PER_ANSWER } from '../trivia/scoring.js';
import type { GuildSettings } from '../db/repositories/guild-settings.js';
import type { PackSummary } from '../db/repositories/question-packs.js';
import { episodeLabel } from '../trivia/episodes.js';
import type { PackUploadResult } from '../trivia/packs.js';
import type { TriviaProblem } from '../trivia/problems.js';
import { TRIVIA } from './trivia-command.js';
import { customIdNumber, discordTime, sourceText, truncate, type MessagePayload } from './format.js';

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

const COLOR = { question: 0x3b82f6, reveal: 0x22c55e, summary: 0xf59e0b } as const;
const MEDALS = ['🥇', '🥈', '🥉'];

export function renderIntro(input: {
  startedBy: string;
  questionCount: number;
  secondsPerQuestion: number;
  shortBy: number;
  about?: Pick<Episode, 'code' | 'title'> | undefined;
}): string {
  const short = input.shortBy > 0 ? ` (only ${input.questionCount} matched your filters)` : '';
  const about = input.about ? ` about "${input.about.title}" (${input.about.code})` : '';
  return [
    `**Trivia!** <@${input.startedBy}> started a game of ${input.questionCount} question${input.questionCount === 1 ? '' : 's'}${about}${short}, ${input.secondsPerQuestion} seconds each.`,
    scoringRules(),
  ].join('\n');
}

/** How the game scores, as the intro states it: the real numbers from scoring.ts. */
export function scoringRules(): string {
  return [
    `Correct answers score ${BASE_POINTS.easy} / ${BASE_POINTS.medium} / ${BASE_POINTS.hard} points (easy / medium / hard).`,
    `The first correct answer to a question earns +${FIRST_CORRECT_BONUS}.`,
    `Each correct answer in a row before this one adds +${STREAK_BONUS_PER_ANSWER}, up to +${STREAK_BONUS_CAP * STREAK_BONUS_PER_ANSWER}; a wrong answer resets the streak.`,
    'One answer per question: your first click or text counts.',
  ].join('\n');
}

/** What a member is told after an answer button or the form. */
export function answerMessage(reply: AnswerReply | { status: 'already-answered' | 'closed' }): string {
  switch (reply.status) {
    case 'locked-in':
      return reply.freeText
        ? `🔒 Locked in: "${reply.answerText}". You'll see whether it counted when the answer is revealed.`
        : `🔒 Locked in: **${reply.answerText}**. The answer is revealed when the time is up.`;
    case 'already-answered':
      return 'You already answered this question; your first answer is the one that counts.';
    case 'closed':
      return `This question has closed. Wait for the next one, or start a game with ${command(TRIVIA.sub.play)}.`;
  }
}

/** Buttons, forms and subcommands from something that has ended or from an older version of the bot. */
export const STALE = {
  question: 'This question has closed.',
  button: `This button is from an older version of the bot. Start a new game with \`/${TRIVIA.name} ${TRIVIA.sub.play}\`.`,
  form: 'This answer form is out of date. Press **Answer** on the question again.',
  subcommand: `Unknown subcommand. Try \`/${TRIVIA.name} ${TRIVIA.sub.play}\`.`,
} as const;

export const NOT_IN_SERVER = 'Trivia works in servers, not in direct messages.';
export const GAME_STOPPED = 'Trivia stopped. Answers already given still count.';

export function renderSettings(current: GuildSettings, changed: boolean): string {
  return [
    changed ? '**Trivia settings saved.**' : '**Trivia settings** (change them with the options of this command):',
    `Seconds per question: ${current.secondsPerQuestion}`,
    `Questions per game: ${current.defaultQuestionCount}`,
    `Spoiler guard: ${current.spoilerGuard ? 'on' : 'off'}`,
    `Timezone (weekly leaderboard): ${current.timeZone}`,
  ].join('\n');
}

export function renderPackList(packs: readonly PackSummary[]): string {
  if (packs.length === 0) return `This server has no question packs yet. Add one with ${command(TRIVIA.group.pack, TRIVIA.sub.add)}.`;
  return ['**Question packs**', ...packs.map((p) => `- ${p.name}: ${p.questionCount} questions, added by <@${p.addedBy}>`)].join('\n');
}

export function renderPackRemoved(name: string): string {
  return `Removed the question pack "${name}".`;
}

/** The answer to an upload: saved, or every problem found (up to 15 shown) with nothing saved. */
export function renderPackUpload(result: PackUploadResult): string {
  if (result.status === 'saved') {
    return `${result.replaced ? 'Replaced' : 'Added'} the question pack "${result.name}" with ${result.questionCount} questions. They join the next games here.`;
  }
  const { problems } = result;
  const shown = problems.slice(0, 15);
  const more = problems.length > shown.length ? `\n…and ${problems.length - shown.length} more.` : '';
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return `**Nothing was saved**: the pack has ${count}. Fix them and upload it again.\n${shown.map((p) => `- ${p}`).join('\n')}${more}`.slice(0, 2000);
}

export function packChoiceName(pack: PackSummary): string {
  return `${pack.name} (${pack.questionCount} questions)`;
}

export function episodeChoiceName(episode: Pick<Episode, 'code' | 'title'>): string {
  return episodeLabel(episode).slice(0, 100);
}

/** A question, under the reveals of the questions before it not shown yet (oldest first), with its answer buttons. */
export function renderQuestion(view: QuestionView, reveals: readonly RevealView[] = []): MessagePayload {
  const { question } = view;
  const embed = new EmbedBuilder()
    .setColor(COLOR.question)
    .setTitle(`Question ${view.roundNo} of ${view.total} · ${CATEGORY_LABELS[question.category]}`)
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
    embeds: withinEmbedLimits(reveals.map(revealEmbed), embed.toJSON()),
    components: [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons).toJSON()],
    allowed_mentions: { parse: [] },
  };
}

/**
 * The free-text form: the question itself on top (on a phone the form covers the channel), then the answer field.
 * A text display and a label, Discord's newer modal components.
 */
export function renderAnswerModal(roundId: number, prompt: string) {
  return new ModalBuilder()
    .setCustomId(customIds.modal(roundId))
    .setTitle('Your answer')
    .addTextDisplayComponents(new TextDisplayBuilder().setContent(truncate(prompt, 4000)))
    .addLabelComponents(
      new LabelBuilder()
        .setLabel('Your answer')
        .setTextInputComponent(
          new TextInputBuilder().setCustomId(ANSWER_FIELD).setStyle(TextInputStyle.Short).setRequired(true).setMaxLength(MAX_ANSWER_LENGTH),
        ),
    );
}

/** A reveal on its own: one that missed its game's next post. */
export function renderReveal(view: RevealView): MessagePayload {
  return { embeds: [revealEmbed(view)], components: [], allowed_mentions: { parse: [] } };
}

function revealEmbed(view: RevealView): APIEmbed {
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
  // No countdown to the next question: on a revealed message kept in the history it would soon read "1 hour ago".
  if (view.question.source) embed.setFooter({ text: truncate(`Settled in ${sourceText(view.question.source)}`, 2048) });
  return embed.toJSON();
}

/** The game's summary, under the reveals not shown yet (the last question's, usually). */
export function renderSummary(view: SummaryView, reveals: readonly RevealView[] = []): MessagePayload {
  const title = view.outcome === 'stopped' ? 'Trivia stopped' : 'Trivia over';
  const by = view.outcome === 'stopped' && view.endedBy ? ` by <@${view.endedBy}>` : '';
  const standings = view.standings.slice(0, 10).map(standingLine);
  const embed = new EmbedBuilder()
    .setColor(COLOR.summary)
    .setTitle(title)
    .setDescription(
      [
        `${view.outcome === 'stopped' ? `Stopped${by}` : 'Final standings'} after ${view.questionsAsked} question${view.questionsAsked === 1 ? '' : 's'}.`,
        '',
        standings.length > 0 ? standings.join('\n') : 'Nobody answered.',
      ].join('\n'),
    )
    .setFooter({ text: 'See /trivia leaderboard for the server standings' });
  return { embeds: withinEmbedLimits(reveals.map(revealEmbed), embed.toJSON()), components: [], allowed_mentions: { parse: [] } };
}

/** Discord's limits for one message: 10 embeds, 6,000 characters in all their text. */
const MAX_EMBEDS = 10;
const MAX_EMBED_TEXT = 6000;

/**
 * Reveals above a last embed (a question or a summary), within Discord's limits: the "Got it right" lists of the
 * reveals are cut to fit, then, if that is not enough, the oldest reveals left out.
 */
export function withinEmbedLimits(reveals: readonly APIEmbed[], last: APIEmbed): APIEmbed[] {
  let kept = reveals.slice(-(MAX_EMBEDS - 1));
  const total = () => [...kept, last].reduce((n, e) => n + embedTextLength(e), 0);
  for (let room = 1024; total() > MAX_EMBED_TEXT && room >= 128; room = Math.floor(room / 2)) {
    kept = kept.map((e) => ({ ...e, fields: e.fields?.map((f) => (f.name === 'Got it right' ? { ...f, value: truncate(f.value, room) } : f)) }));
  }
  while (total() > MAX_EMBED_TEXT && kept.length > 0) kept = kept.slice(1);
  return [...kept, last];
}

/** The characters of an embed that count towards Discord's 6,000. */
function embedTextLength(e: APIEmbed): number {
  const fields = (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + fields + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
}

export function renderLeaderboard(input: Leaderboard & { callerId: string }) {
  const title = input.period === 'week' ? `Trivia leaderboard: this week (${input.timeZone})` : 'Trivia leaderboard: all time';
  const lines = input.top.map(standingLine);
  const last = input.top.at(-1);
  if (last && input.tiedBeyond > 0) lines.push(`…and ${input.tiedBeyond} more with ${last.points} point${last.points === 1 ? '' : 's'}`);
  const onBoard = input.top.some((s) => s.userId === input.callerId);
  const mine = input.me ? (onBoard ? '' : `\nYou: #${input.me.rank} with ${input.me.points} points`) : `\n${noPointsYet(input)}`;
  return new EmbedBuilder()
    .setColor(COLOR.summary)
    .setTitle(title)
    .setDescription((lines.length > 0 ? lines.join('\n') : 'No scores yet.') + mine)
    .toJSON();
}

/** For a member not on the board: never played, played this week without points, or answered without a point yet. */
function noPointsYet(input: Leaderboard): string {
  if (input.answered === 0) return `You have no points here yet: ${command(TRIVIA.sub.play)} to start.`;
  if (input.period === 'week') return 'You have no points this week yet.';
  return `You have answered ${input.answered} question${input.answered === 1 ? '' : 's'} here but not scored yet.`;
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

/** A place on a board; medals only for members who scored (a game's summary also lists those who did not). */
function standingLine(s: Standing): string {
  const place = s.points > 0 ? (MEDALS[s.rank - 1] ?? `#${s.rank}`) : '·';
  return `${place} <@${s.userId}>: ${s.points} point${s.points === 1 ? '' : 's'}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The member's message when /trivia refuses. */
export function explainTriviaProblem(problem: TriviaProblem): string {
  switch (problem.code) {
    case 'no-questions': {
      const { episode, category, difficulty } = problem.filters;
      const filters = [episode && `episode ${episode}`, category && `category "${CATEGORY_LABELS[category]}"`, difficulty && `difficulty "${difficulty}"`].filter(Boolean);
      const hint = filters.length > 0 ? ` Try again without the ${filters.join(' or ')} filter.` : '';
      const guard = problem.guarded ? ` The spoiler guard hides questions past your rewatch; an admin can turn it off with ${GUARD_OFF}.` : '';
      return `No questions match that.${hint}${guard}`;
    }
    case 'episode-not-reached': {
      const reached = problem.reached === null ? 'has not posted an episode yet' : `has reached ${problem.reached}`;
      return `This server's rewatch ${reached}, so the spoiler guard holds back trivia about ${problem.episode} until its thread is up. An admin can turn the guard off with ${GUARD_OFF}.`;
    }
    case 'unknown-episode':
      return `"${problem.text.slice(0, 100)}" is not an episode I have trivia for. Pick one from the list as you type, e.g. \`7x20 The Changing Face of Evil\`.`;
    case 'game-running': {
      const where = problem.messageId ? `: https://discord.com/channels/${problem.guildId}/${problem.channelId}/${problem.messageId}` : '.';
      return `A trivia game is already running in this channel${where} Answer along, or use ${command(TRIVIA.sub.stop)} to end it.`;
    }
    case 'no-game-here':
      return 'There is no trivia game running in this channel.';
    case 'not-your-game':
      return `Only <@${problem.startedBy}>, who started this game, or a member with Manage Messages can stop it.`;
    case 'not-a-choice':
      return "That answer is not one of this question's choices.";
    case 'empty-answer':
      return 'Your answer was empty. Type an answer and submit again.';
    case 'answer-too-long':
      return `Answers can be at most ${problem.max} characters; yours had ${problem.length}. Try a shorter answer.`;
    case 'unknown-time-zone':
      return `"${problem.text.slice(0, 64)}" is not a timezone I know. Use an IANA name such as Europe/Berlin, America/New_York or UTC.`;
    case 'bad-pack-name':
      return `Pack names use lowercase letters, digits and hyphens (up to 32), e.g. \`house-rules\`. Pass one with the \`${TRIVIA.option.packName}\` option.`;
    case 'not-a-pack-file':
      return `"${problem.fileName.slice(0, 64)}" is not a .yaml, .yml or .json file.`;
    case 'pack-too-large':
      return `That file is ${problem.kilobytes} KB; packs can be at most ${problem.maxKilobytes} KB.`;
    case 'pack-download-failed':
      return 'I could not download that file from Discord. Please try again.';
    case 'no-such-pack':
      return `There is no pack called "${problem.name.slice(0, 32)}". See ${command(TRIVIA.group.pack, TRIVIA.sub.list)}.`;
  }
}

/** "`/trivia stop`", "`/trivia pack list`". */
function command(...words: string[]): string {
  return `\`/${[TRIVIA.name, ...words].join(' ')}\``;
}

const GUARD_OFF = `\`/${TRIVIA.name} ${TRIVIA.sub.settings} ${TRIVIA.option.spoilerGuard}:False\``;
