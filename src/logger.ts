import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured logs to stdout. Anything that looks like a credential is redacted before it is written. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['token', '*.token', 'config.discordToken', 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
