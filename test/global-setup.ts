import { engines } from './helpers/databases.js';

/** Says up front which engines the shared repository suite runs on, so a skipped Postgres is visible. */
export default function setup(): void {
  process.stdout.write(`\nRepository suite engines: ${engines.map((e) => e.name).join(' + ')}\n\n`);
}
