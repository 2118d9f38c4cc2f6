import type { Command } from './types.js';
import { myth } from './myth.js';
import { rewatchThreadCommand } from './rewatch-thread.js';
import { trivia } from './trivia.js';

export type { Command } from './types.js';

/** Every slash command the bot offers, in the order they are registered. */
export const commands: readonly Command[] = [trivia, myth, rewatchThreadCommand];
