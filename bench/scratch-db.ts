// A fresh Postgres database per benchmark part (ds9_bench_<part>_...), dropped afterwards.
import { createScratchDatabase as createDatabase, type ScratchDatabase } from '../test/helpers/scratch-database.js';

export type { ScratchDatabase };

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function createScratchDatabase(adminUrl: string, label: string): Promise<ScratchDatabase> {
  return createDatabase(adminUrl, `ds9_bench_${label}`);
}
