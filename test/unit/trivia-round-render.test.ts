// What one round's message shows: the reveals it carries above the next question (or the summary), within
// Discord's limits of 10 embeds and 6,000 characters per message.
import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loadContent, type Question } from '../../src/content/index.js';
import { renderQuestion, renderSummary, withinEmbedLimits } from '../../src/discord/trivia-render.js';
import { correctAnswerText, type RevealView } from '../../src/trivia/game-engine.js';

const bank = loadContent().questions;
const choice = bank.find((q) => q.type === 'multiple-choice')!;
const longest = [...bank].sort((a, b) => b.prompt.length + b.explanation.length - (a.prompt.length + a.explanation.length))[0]!;

function reveal(roundNo: number, question: Question, answers = 3): RevealView {
  return {
    roundId: 100 + roundNo,
    roundNo,
    total: 20,
    question,
    correctAnswer: correctAnswerText(question),
    answers: Array.from({ length: answers }, (_, i) => ({ userId: String(200000000000000000n + BigInt(i)), correct: true, points: 15, answeredAt: new Date(0), firstCorrect: i === 0 })),
  };
}

const textOf = (embeds: APIEmbed[]) =>
  embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0), 0);

describe('a round in one message', () => {
  it('GIVEN the reveal of question 1 and question 2 THEN one message: the reveal above, question 2 below with its buttons, pinging nobody', () => {
    const payload = renderQuestion({ gameId: 1, roundId: 102, roundNo: 2, total: 20, question: choice, closesAt: new Date(25_000) }, [reveal(1, longest)]);
    expect(payload.embeds.map((e) => e.title)).toEqual(['Question 1 of 20 · answer', expect.stringMatching(/^Question 2 of 20 · /)]);
    expect(payload.embeds[0]?.fields?.find((f) => f.name === 'Got it right')?.value).toContain('(first!)');
    expect(payload.embeds[1]?.description).toContain('Closes <t:25:R>');
    expect(JSON.stringify(payload.components)).toContain('"custom_id":"trivia:pick:102:0"');
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });

  it('GIVEN the last reveal and the summary THEN the reveal above the summary, no buttons', () => {
    const payload = renderSummary({ gameId: 1, outcome: 'finished', endedBy: null, questionsAsked: 20, standings: [{ userId: '200000000000000000', points: 15, rank: 1 }] }, [reveal(20, choice)]);
    expect(payload.embeds.map((e) => e.title)).toEqual(['Question 20 of 20 · answer', 'Trivia over']);
    expect(payload.components).toEqual([]);
  });

  it('GIVEN reveals whose "Got it right" lists are long THEN the lists are cut until the message fits in 6,000 characters; the question is whole', () => {
    const question = renderQuestion({ gameId: 1, roundId: 105, roundNo: 5, total: 20, question: longest, closesAt: new Date(0) }).embeds[0]!;
    const crowded = [1, 2, 3, 4].map((n) => renderSummary({ gameId: 1, outcome: 'finished', endedBy: null, questionsAsked: 0, standings: [] }, [reveal(n, longest, 60)]).embeds[0]!);
    expect(textOf([...crowded, question])).toBeGreaterThan(6000);
    const fitted = withinEmbedLimits(crowded, question);
    expect(fitted.map((e) => e.title)).toEqual(['Question 1 of 20 · answer', 'Question 2 of 20 · answer', 'Question 3 of 20 · answer', 'Question 4 of 20 · answer', question.title]);
    expect(textOf(fitted)).toBeLessThanOrEqual(6000);
    expect(fitted.at(-1)).toEqual(question);
    for (const e of fitted.slice(0, 4)) expect(e.fields?.find((f) => f.name === 'Got it right')?.value).toMatch(/^<@\d+> \+15 \(first!\)/);
  });

  it('GIVEN more reveals than fit THEN the oldest are left out: at most 10 embeds, the newest reveals kept', () => {
    const question = renderQuestion({ gameId: 1, roundId: 113, roundNo: 13, total: 20, question: choice, closesAt: new Date(0) }).embeds[0]!;
    const many = Array.from({ length: 12 }, (_, i) => renderSummary({ gameId: 1, outcome: 'finished', endedBy: null, questionsAsked: 0, standings: [] }, [reveal(i + 1, choice)]).embeds[0]!);
    const fitted = withinEmbedLimits(many, question);
    expect(fitted.length).toBeLessThanOrEqual(10);
    expect(textOf(fitted)).toBeLessThanOrEqual(6000);
    expect(fitted.at(-2)?.title).toBe('Question 12 of 20 · answer');
    expect(fitted.at(-1)).toEqual(question);
  });
});
