import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';

/** A message the bot posts or edits on its own: embeds and buttons, never pinging anyone. */
export interface MessagePayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  allowed_mentions: { parse: [] };
}

/** Shortens text to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A Discord timestamp: every member sees it in their own local time. Styles: R relative, F full, f short, D date. */
export function discordTime(instant: Date, style: 'R' | 'F' | 'f' | 'D' | 't' = 'f'): string {
  return `<t:${Math.floor(instant.getTime() / 1000)}:${style}>`;
}

/**
 * A number in a button's custom id, read back only as the bot writes it (plain decimal): NaN for anything else,
 * so that " 1", "1e0" or "0x1" on an old or forged button do not stand for 1.
 */
export function customIdNumber(text: string | undefined): number {
  return text !== undefined && /^(0|[1-9]\d{0,15})$/.test(text) ? Number(text) : Number.NaN;
}

/** Where a fact is settled, as a footer shows it: "7x22 · Worf's duel with Gowron". */
export function sourceText(source: { episode?: string; reference?: string; scene: string }): string {
  return `${source.episode ?? source.reference} · ${source.scene}`;
}
