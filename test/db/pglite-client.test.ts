// The embedded database's worker thread, through the client drizzle is given: Postgres's error fields,
// transactions, a bot thread left free while PGlite works, databases kept apart on the one shared thread,
// copies started from a dump, and a closed database failing as "unavailable".
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { types } from '@electric-sql/pglite';
import { openPgliteDatabase, type PgliteClient } from '../../src/db/pglite-client.js';
import { isDatabaseUnavailable } from '../../src/errors.js';

/** A fresh database per test, each a copy of one made once (a copy starts in ~0.5 s, a new one in ~3 s). */
let empty: ArrayBuffer;
let client: PgliteClient;
beforeAll(async () => {
  const template = await openPgliteDatabase({ dir: 'memory' });
  await template.query('create table crew (name text primary key, rank int not null)');
  empty = await template.dumpDataDir();
  await template.close();
});
beforeEach(async () => {
  client = await openPgliteDatabase({ dir: 'memory', loadDataDir: empty.slice(0) });
});
afterEach(async () => {
  await client.close();
});

const names = async () => (await client.query<{ name: string }>('select name from crew order by name')).rows.map((r) => r.name);

describe('the embedded database on its own thread', () => {
  it('GIVEN a duplicate key THEN the error keeps Postgres code, constraint and detail', async () => {
    await client.query('insert into crew values ($1, $2)', ['Kira', 1]);
    const error = await client.query('insert into crew values ($1, $2)', ['Kira', 2]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23505', constraint: 'crew_pkey', message: expect.stringContaining('duplicate key') });
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('GIVEN rows in array mode and object mode THEN both shapes come back, with parameters bound', async () => {
    await client.query('insert into crew values ($1, $2), ($3, $4)', ['Odo', 3, 'Quark', 4]);
    expect((await client.query('select name, rank from crew where rank > $1 order by rank', [3], { rowMode: 'array' })).rows).toEqual([['Quark', 4]]);
    expect((await client.query('select name, rank from crew order by rank')).rows).toEqual([
      { name: 'Odo', rank: 3 },
      { name: 'Quark', rank: 4 },
    ]);
  });

  it('GIVEN text-as-is parsers for timestamps THEN the timestamp comes back as Postgres text, not a Date', async () => {
    const same = (value: string) => value;
    const { rows } = await client.query<{ at: unknown }>(`select timestamptz '2026-12-01 20:00:00+00' as at`, [], { parsers: { [types.TIMESTAMPTZ]: same } });
    expect(rows[0]!.at).toBe('2026-12-01 20:00:00+00');
    const { rows: parsed } = await client.query<{ at: unknown }>(`select timestamptz '2026-12-01 20:00:00+00' as at`);
    expect(parsed[0]!.at).toBeInstanceOf(Date);
  });

  it('GIVEN a parser that changes the text THEN it is refused instead of silently skipped', () => {
    expect(() => client.query('select 1', [], { parsers: { [types.INT4]: (value: string) => Number(value) } })).toThrow(/cannot run on the database's worker thread/);
  });

  it('GIVEN a transaction whose body throws THEN nothing it wrote stays; a finished one commits', async () => {
    await expect(
      client.transaction(async (tx) => {
        await tx.query(`insert into crew values ('Rom', 5)`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await names()).toEqual([]);
    const result = await client.transaction(async (tx) => {
      await tx.query(`insert into crew values ('Nog', 6)`);
      return (await tx.query<{ n: number }>('select count(*)::int as n from crew')).rows[0]!.n;
    });
    expect(result).toBe(1);
    expect(await names()).toEqual(['Nog']);
  });

  it('GIVEN a transaction open THEN a statement from outside it waits for the commit and sees its rows', async () => {
    let outside: Promise<string[]> | undefined;
    await client.transaction(async (tx) => {
      await tx.query(`insert into crew values ('Jake', 7)`);
      outside = names();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tx.query(`insert into crew values ('Nog', 6)`);
    });
    expect(await outside).toEqual(['Jake', 'Nog']);
  });

  it('GIVEN a long statement running THEN the calling thread keeps its timers running meanwhile', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const startedAt = performance.now();
    try {
      await client.query('select count(*) from generate_series(1, 3000000)');
    } finally {
      clearInterval(timer);
    }
    const took = performance.now() - startedAt;
    expect(took).toBeGreaterThan(200); // long enough to matter: on the calling thread no timer would fire at all
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(took / 20 / 4));
  });

  it('GIVEN two databases open on the shared thread THEN each keeps its own rows, and a transaction in one does not hold the other', async () => {
    const other = await openPgliteDatabase({ dir: 'memory', loadDataDir: empty.slice(0) });
    try {
      await client.transaction(async (tx) => {
        await tx.query(`insert into crew values ('Worf', 8)`);
        await other.query(`insert into crew values ('Dax', 9)`); // would wait forever if it queued behind this transaction
      });
      expect(await names()).toEqual(['Worf']);
      expect((await other.query<{ name: string }>('select name from crew')).rows).toEqual([{ name: 'Dax' }]);
    } finally {
      await other.close();
    }
  });

  it('GIVEN a dump of a database THEN a copy started from it has its rows, and writing to the copy leaves the original alone', async () => {
    await client.query(`insert into crew values ('Garak', 10)`);
    const copy = await openPgliteDatabase({ dir: 'memory', loadDataDir: await client.dumpDataDir() });
    try {
      expect((await copy.query<{ name: string }>('select name from crew')).rows).toEqual([{ name: 'Garak' }]);
      await copy.query(`insert into crew values ('Ziyal', 11)`);
      expect(await names()).toEqual(['Garak']);
    } finally {
      await copy.close();
    }
  });

  it('GIVEN the database closed THEN a statement fails as "database unavailable", not as a bug', async () => {
    await client.close();
    const error = await client.query('select 1').catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringContaining('the embedded database stopped') });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('GIVEN a data directory that cannot be opened THEN starting fails with the reason', async () => {
    await expect(openPgliteDatabase({ dir: '/proc/no-such-place/pglite' })).rejects.toThrow();
  });
});

describe('statements on the embedded database are prepared once per text', () => {
  const prepared = async () => (await client.query<{ statement: string }>('select statement from pg_prepared_statements')).rows.map((r) => r.statement);

  it('GIVEN a statement run again with other values THEN Postgres holds one prepared statement for it, and each run binds its own values', async () => {
    const insert = 'insert into crew values ($1, $2) returning name, rank';
    expect((await client.query(insert, ['Worf', 6])).rows).toEqual([{ name: 'Worf', rank: 6 }]);
    expect((await client.query(insert, ['Ezri', 7])).rows).toEqual([{ name: 'Ezri', rank: 7 }]);
    expect((await prepared()).filter((text) => text === insert)).toHaveLength(1);
    expect(await names()).toEqual(['Ezri', 'Worf']);
  });

  it('GIVEN values of several types THEN each is sent and read back as PGlite sends and reads it (null, boolean, json, arrays, dates)', async () => {
    const at = new Date('2026-12-01T20:00:00.000Z');
    const { rows } = await client.query<Record<string, unknown>>(
      'select $1::int as none, $2::boolean as yes, $3::jsonb as doc, $4::int[] as ranks, $5::timestamptz as at, $6::text as said',
      [null, true, { ship: 'Defiant', crew: [1, 2] }, [3, 4], at, "it's"],
    );
    expect(rows).toEqual([{ none: null, yes: true, doc: { ship: 'Defiant', crew: [1, 2] }, ranks: [3, 4], at, said: "it's" }]);
  });

  it('GIVEN a table that changes shape under a prepared statement THEN the statement is prepared again and sees the new column', async () => {
    await client.query(`insert into crew values ('Nog', 8)`);
    const all = 'select * from crew';
    expect((await client.query(all)).rows).toEqual([{ name: 'Nog', rank: 8 }]);
    await client.query('alter table crew add column post text');
    expect((await client.query(all)).rows).toEqual([{ name: 'Nog', rank: 8, post: null }]);
  });

  it('GIVEN a statement that fails mid-run THEN its error comes back with the statement text, and the next statement runs normally', async () => {
    const insert = 'insert into crew values ($1, $2)';
    await client.query(insert, ['Kira', 1]);
    const error = await client.query(insert, ['Kira', 2]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '23505', query: insert });
    const syntax = await client.query('selec 1').catch((e: unknown) => e);
    expect(syntax).toMatchObject({ code: '42601' });
    await client.query(insert, ['Odo', 3]);
    expect(await names()).toEqual(['Kira', 'Odo']);
  });

  it('GIVEN more distinct statements than are kept THEN the least recently used are closed, and a closed one still runs when asked again', async () => {
    for (let i = 0; i < 205; i++) await client.query(`select ${i} as n`);
    const kept = await prepared();
    expect(kept.length).toBeLessThanOrEqual(200);
    expect(kept).not.toContain('select 0 as n');
    expect(kept).toContain('select 204 as n');
    expect((await client.query('select 0 as n')).rows).toEqual([{ n: 0 }]);
  });
});
