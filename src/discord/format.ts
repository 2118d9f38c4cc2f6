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
