import type { Command } from './types.js';

export type { Command } from './types.js';

/** Every slash command the bot offers, in the order they are registered. */
export const commands: readonly Command[] = [];
