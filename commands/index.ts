import type { Command } from '../src/discord/command.js';
import { myth } from './myth.js';
import { rewatchThreadCommand } from './rewatch-thread.js';
import { trivia } from './trivia/index.js';

/** Every slash command the bot offers, in the order they are registered. */
export const commands: readonly Command[] = [trivia, myth, rewatchThreadCommand];
