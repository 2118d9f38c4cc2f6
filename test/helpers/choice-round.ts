// Fault scenarios click buttons; a free-text question (answered through a modal) is skipped by letting its time run out.
import type { Question } from '../../src/content/index.js';
import type { VisibleMessage } from '../../stand-in/index.js';
import type { World } from '../e2e/world.js';
import { timeUp, waitForQuestion } from '../e2e/trivia-helpers.js';

export interface ChoiceRound {
  roundNo: number;
  message: VisibleMessage;
  question: Question;
}

/** Waits for question `roundNo`; while it is free text, lets it close and moves to the next one. */
export async function nextChoiceRound(world: World, roundNo = 1, channelId = world.channel.id): Promise<ChoiceRound> {
  for (let n = roundNo; ; n++) {
    const { message, question } = await waitForQuestion(world, n, channelId);
    if (question.type !== 'free-text') return { roundNo: n, message, question };
    await timeUp(world);
    await world.bot.tick();
  }
}
