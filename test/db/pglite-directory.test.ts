import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';

describe('PGLITE_DIR that cannot be created', () => {
  it('GIVEN a folder under /proc THEN opening fails at once with the reason, instead of spinning', async () => {
    const started = performance.now();
    await expect(openDatabase({ kind: 'pglite', dir: '/proc/ds9-pglite/db' })).rejects.toThrow(/ENOENT|EACCES|EPERM/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
