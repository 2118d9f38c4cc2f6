/** A Discord timestamp: every member sees it in their own local time. Styles: R relative, F full, f short, D date. */
export function discordTime(instant: Date, style: 'R' | 'F' | 'f' | 'D' | 't' = 'f'): string {
  return `<t:${Math.floor(instant.getTime() / 1000)}:${style}>`;
}
