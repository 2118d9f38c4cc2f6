// The embedded database as the bot opens it: PGlite on a thread of its own, served there on a Unix socket and
// reached through postgres.js like Postgres. Postgres's error fields, transactions, a bot thread left free
// while PGlite works, databases kept apart on the one shared thread, copies started from a dump, statements
// prepared once per text, and a closed database failing as "unavailable".
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import type postgres from 'postgres';
import { openDatabase, type Database } from '../../src/db/client.js';
import { startPgliteServer } from '../../src/db/pglite-server.js';
import { isDatabaseUnavailable } from '../../src/errors.js';
import { pgliteEngine } from '../helpers/databases.js';

let database: Database;
let sql: postgres.Sql;
beforeEach(async () => {
  database = await pgliteEngine.open();
  sql = database.db.$client;
  await sql`create table crew (name text primary key, rank int not null)`;
});
afterEach(async () => {
  await database.close();
});

const names = async (on: postgres.Sql = sql) => (await on<{ name: string }[]>`select name from crew order by name`).map((r) => r.name);

describe('the embedded database on its own thread, through postgres.js', () => {
  it('GIVEN a duplicate key THEN the error keeps Postgres code, constraint and detail', async () => {
    await sql`insert into crew values (${'Kira'}, ${1})`;
    const error = await sql`insert into crew values (${'Kira'}, ${2})`.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23505', constraint_name: 'crew_pkey', detail: expect.stringContaining('already exists') });
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('GIVEN a transaction whose body throws THEN nothing it wrote stays; a finished one commits', async () => {
    await expect(
      sql.begin(async (tx) => {
        await tx`insert into crew values ('Rom', 5)`;
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await names()).toEqual([]);
    const result = await sql.begin(async (tx) => {
      await tx`insert into crew values ('Nog', 6)`;
      return (await tx<{ n: number }[]>`select count(*)::int as n from crew`)[0]!.n;
    });
    expect(result).toBe(1);
    expect(await names()).toEqual(['Nog']);
  });

  it('GIVEN a transaction open THEN a statement from outside it waits for the commit and sees its rows', async () => {
    let outside: Promise<string[]> | undefined;
    await sql.begin(async (tx) => {
      await tx`insert into crew values ('Jake', 7)`;
      outside = names();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tx`insert into crew values ('Nog', 6)`;
    });
    expect(await outside).toEqual(['Jake', 'Nog']);
  });

  it('GIVEN a long statement running THEN the calling thread keeps its timers running meanwhile', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const startedAt = performance.now();
    try {
      await sql`select count(*) from generate_series(1, 3000000)`;
    } finally {
      clearInterval(timer);
    }
    const took = performance.now() - startedAt;
    expect(took).toBeGreaterThan(200); // long enough to matter: on the calling thread no timer would fire at all
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(took / 20 / 4));
  });

  it('GIVEN two databases open on the shared thread THEN each keeps its own rows, and a transaction in one does not hold the other', async () => {
    const other = await pgliteEngine.open();
    try {
      const otherSql = other.db.$client;
      await otherSql`create table crew (name text primary key, rank int not null)`;
      await sql.begin(async (tx) => {
        await tx`insert into crew values ('Worf', 8)`;
        await otherSql`insert into crew values ('Dax', 9)`; // would wait forever if it queued behind this transaction
      });
      expect(await names()).toEqual(['Worf']);
      expect(await names(otherSql)).toEqual(['Dax']);
    } finally {
      await other.close();
    }
  });

  it('GIVEN a dump of a database THEN a copy started from it has its rows, and writing to the copy leaves the original alone', async () => {
    await sql`insert into crew values ('Garak', 10)`;
    const copy = await openDatabase({ kind: 'pglite', dir: 'memory', startFrom: await database.dumpDataDir!() });
    try {
      expect(await names(copy.db.$client)).toEqual(['Garak']);
      await copy.db.$client`insert into crew values ('Ziyal', 11)`;
      expect(await names()).toEqual(['Garak']);
    } finally {
      await copy.close();
    }
  });

  it('GIVEN the database closed THEN a statement fails as "database unavailable", not as a bug', async () => {
    await database.close();
    const error = await sql`select 1`.catch((e: unknown) => e);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.runIf(process.platform === 'linux')('GIVEN databases opened THEN their sockets leave nothing in the temp folder, even if the process is killed before closing', async () => {
    const socketsInTmp = () => readdirSync(tmpdir()).filter((name) => name.startsWith('ds9-pglite-')).length;
    const before = socketsInTmp();
    const server = await startPgliteServer({ dir: 'memory' });
    expect(server.socketPath.startsWith('\0')).toBe(true); // an abstract socket: a name, no file
    expect(socketsInTmp()).toBe(before);
    await server.close();
  });

  it('GIVEN a data directory that cannot be opened THEN starting fails with the reason', async () => {
    await expect(startPgliteServer({ dir: '/proc/no-such-place/pglite' })).rejects.toThrow(/no such file/);
  });
});

describe('statements on the embedded database', () => {
  const prepared = async () => (await sql<{ statement: string }[]>`select statement from pg_prepared_statements`).map((r) => r.statement);

  it('GIVEN a statement run again with other values THEN Postgres holds one prepared statement for it, and each run binds its own values', async () => {
    const insert = 'insert into crew values ($1, $2) returning name, rank';
    expect(await sql.unsafe(insert, ['Worf', 6], { prepare: true })).toEqual([{ name: 'Worf', rank: 6 }]);
    expect(await sql.unsafe(insert, ['Ezri', 7], { prepare: true })).toEqual([{ name: 'Ezri', rank: 7 }]);
    expect((await prepared()).filter((text) => text === insert)).toHaveLength(1);
    expect(await names()).toEqual(['Ezri', 'Worf']);
  });

  it('GIVEN a table that changes shape under a prepared statement THEN the statement is prepared again and sees the new column', async () => {
    await sql`insert into crew values ('Nog', 8)`;
    const all = 'select * from crew';
    expect(await sql.unsafe(all, [], { prepare: true })).toEqual([{ name: 'Nog', rank: 8 }]);
    await sql`alter table crew add column post text`;
    expect(await sql.unsafe(all, [], { prepare: true })).toEqual([{ name: 'Nog', rank: 8, post: null }]);
  });

  it('GIVEN statements sent together, one of them failing THEN that one fails and the others run normally', async () => {
    const insert = (name: string, rank: number) => sql`insert into crew values (${name}, ${rank})`;
    const outcomes = await Promise.allSettled([insert('Kira', 1), insert('Kira', 2), sql`selec 1`, insert('Odo', 3)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code?: string }).code : null))).toEqual([null, '23505', '42601', null]);
    expect(await names()).toEqual(['Kira', 'Odo']);
  });
});

// @electric-sql/pglite-socket 0.2.17 names PGlite 0.5.14 as its peer; package.json's `overrides` run it on the
// pinned 0.5.16. These are the PGlite members it calls (its dist/index.js): a PGlite that drops or renames one
// breaks the embedded database, so this fails first, on the bump.
describe('@electric-sql/pglite-socket 0.2.17 on the pinned PGlite', () => {
  it('THEN every PGlite member the socket server calls is there', () => {
    for (const member of ['runExclusive', 'execProtocolRawStream', 'isInTransaction', 'exec'] as const) {
      expect(typeof PGlite.prototype[member], member).toBe('function');
    }
  });
});
