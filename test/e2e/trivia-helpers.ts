import { expect } from 'vitest';
import { loadContent, type Question } from '../../src/content/index.js';
import type { APIEmbed } from 'discord.js';
import type { VisibleMessage } from '../../stand-in/index.js';
import type { World } from './world.js';

const bank = loadContent().questions;

const QUESTION_TITLE = /^Question \d+ of \d+ · /;
const REVEAL_TITLE = /^Question \d+ of \d+ · answer$/;

/** The question a message asks (the embed titled "Question N of M · <category>"), if any: below the reveal it may carry. */
export function questionEmbed(message: VisibleMessage): APIEmbed | undefined {
  return message.embeds.find((e) => QUESTION_TITLE.test(e.title ?? '') && !REVEAL_TITLE.test(e.title ?? ''));
}

/** The bot's messages that ask a question, oldest first. */
export function questionMessages(world: World, channelId = world.channel.id): VisibleMessage[] {
  return world.discord.messages(channelId).filter((m) => m.author.bot && questionEmbed(m) !== undefined);
}

/** Every reveal in the channel's history as members see it (embeds titled "Question N of M · answer"), oldest first. */
export function revealEmbeds(world: World, channelId = world.channel.id): { message: VisibleMessage; embed: APIEmbed }[] {
  return world.discord
    .messages(channelId)
    .filter((m) => m.author.bot)
    .flatMap((message) => message.embeds.filter((e) => REVEAL_TITLE.test(e.title ?? '')).map((embed) => ({ message, embed })));
}

/** Waits for the reveal of question `roundNo` to be in the channel; returns it and the message carrying it. */
export async function waitForReveal(world: World, roundNo: number, channelId = world.channel.id): Promise<{ message: VisibleMessage; embed: APIEmbed }> {
  return world.discord.waitFor(() => revealEmbeds(world, channelId).find((r) => r.embed.title?.startsWith(`Question ${roundNo} of`)));
}

/** Who the reveal lists under "Got it right". */
export function gotItRight(reveal: APIEmbed): string {
  return reveal.fields?.find((f) => f.name === 'Got it right')?.value ?? '';
}

/** Waits for question `roundNo` to be posted and returns the message and the bank question it asks. */
export async function waitForQuestion(world: World, roundNo: number, channelId = world.channel.id): Promise<{ message: VisibleMessage; question: Question }> {
  const message = await world.discord.waitFor(() => questionMessages(world, channelId).find((m) => questionEmbed(m)?.title?.startsWith(`Question ${roundNo} of`)));
  const description = questionEmbed(message)?.description ?? '';
  const question = bank.find((q) => description.startsWith(q.prompt));
  expect(question, `question ${roundNo} should come from the bank: ${description.slice(0, 80)}`).toBeDefined();
  return { message, question: question! };
}

export function buttonIds(message: VisibleMessage): { label: string; customId: string }[] {
  return message.components.flatMap((row) =>
    'components' in row
      ? (row.components as { label?: string; custom_id?: string }[]).flatMap((c) => (c.custom_id ? [{ label: c.label ?? '', customId: c.custom_id }] : []))
      : [],
  );
}

/**
 * The letter the message shows the right answer under, read as a member reads it ("**C.** Rom"): options are
 * shuffled for each round, so the bank's order says nothing.
 */
export function shownLetterOf(text: string, answer: string): string {
  const letter = /^\W*(?:\*\*)?([A-D])\.(?:\*\*)? (.*)$/gm;
  for (const [, shown, option] of text.matchAll(letter)) if (option!.trim() === answer) return shown!;
  throw new Error(`"${answer}" is not among the options shown in:\n${text}`);
}

/** The right answer as the bot words it for this round ("C. Rom", "True"), from what the question message shows. */
export function shownAnswerText(message: VisibleMessage, question: Question): string {
  if (question.type === 'multiple-choice') return `${shownLetterOf(questionEmbed(message)?.description ?? '', question.answer)}. ${question.answer}`;
  if (question.type === 'true-false') return question.answer ? 'True' : 'False';
  return question.accepted[0]!;
}

/** The custom id of the right (or a wrong) button for a multiple-choice or true/false question. */
export function buttonFor(message: VisibleMessage, question: Question, right: boolean): string {
  const buttons = buttonIds(message);
  let index: number;
  if (question.type === 'multiple-choice') {
    const correct = shownLetterOf(questionEmbed(message)?.description ?? '', question.answer).charCodeAt(0) - 65;
    index = right ? correct : (correct + 1) % 4;
  } else if (question.type === 'true-false') {
    index = question.answer === right ? 0 : 1;
  } else {
    throw new Error('free-text questions are answered through the modal');
  }
  return buttons[index]!.customId;
}

/** Answers the current question as a member: a button for choices, the modal for free text. Returns the ephemeral text. */
export async function answer(world: World, userId: string, message: VisibleMessage, question: Question, right: boolean): Promise<string> {
  if (question.type === 'free-text') {
    const open = await world.discord.clickButton({ userId, messageId: message.id, customId: buttonIds(message)[0]!.customId });
    // A member who already answered (or a closed question) gets an ephemeral message instead of the modal.
    if (!open.modal) return (await open.reply()).content;
    const text = right ? question.accepted[0]! : 'Morn';
    const submitted = await world.discord.submitModal({ userId, channelId: message.channelId, customId: open.modal!.custom_id, fields: { answer: text } });
    return (await submitted.reply()).content;
  }
  const clicked = await world.discord.clickButton({ userId, messageId: message.id, customId: buttonFor(message, question, right) });
  const reply = await clicked.reply();
  expect(reply.ephemeral).toBe(true);
  return reply.content;
}

/** Lets the question's time run out and the bot reveal it. */
export async function timeUp(world: World, seconds = 21): Promise<void> {
  world.clock.advance(seconds * 1000);
  await world.bot.tick();
}

/** Waits for the game's summary ("Trivia over" or "Trivia stopped"), which comes under the last reveal; returns it and its message. */
export async function waitForSummary(world: World, title: 'Trivia over' | 'Trivia stopped' = 'Trivia over', channelId = world.channel.id): Promise<{ message: VisibleMessage; embed: APIEmbed }> {
  return world.discord.waitFor(() => {
    const message = world.discord.messages(channelId).find((m) => m.author.bot && m.embeds.some((e) => e.title === title));
    return message && { message, embed: message.embeds.find((e) => e.title === title)! };
  });
}
