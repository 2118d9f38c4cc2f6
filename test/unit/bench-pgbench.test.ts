import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pgbenchScript, timeWithPgbench, withoutPassword } from '../../bench/pgbench.js';

const member = { value: '100000000000000042', expression: '100000000000000000 + random(1, 1000)' };

describe('pgbenchScript (the leaderboard statements timed again from pgbench)', () => {
  it('GIVEN a captured statement THEN the caller varies per call, other parameters are literals, one statement per line', () => {
    const script = pgbenchScript(
      [{ query: 'select points\n  from player_scores -- the caller\n  where guild_id = $1 and user_id = $2 limit $3', params: ['800', member.value, 10] }],
      member,
    );
    expect(script).toBe("\\set v 100000000000000000 + random(1, 1000)\nselect points from player_scores where guild_id = '800' and user_id = :v::text limit 10;\n");
  });

  it('GIVEN a quote or "--" in a parameter THEN it stays inside its literal', () => {
    const script = pgbenchScript([{ query: 'select $1, $2', params: ["O'Brien -- chief", member.value] }], member);
    expect(script.split('\n')[1]).toBe("select 'O''Brien -- chief', :v::text;");
  });

  it('GIVEN two statements THEN both run in each call, in order', () => {
    const script = pgbenchScript([{ query: 'select $1', params: [member.value] }, { query: 'select 2', params: [] }], member);
    expect(script.split('\n').slice(1)).toEqual(['select :v::text;', 'select 2;', '']);
  });

  it('GIVEN a parameter that is neither text nor a number THEN it says which one', () => {
    expect(() => pgbenchScript([{ query: 'select $1, $2', params: [member.value, { a: 1 }] }], member)).toThrow(/parameter \$2 is object/);
  });
});

describe('withoutPassword (pgbench gets the password in its environment, not its command line)', () => {
  it('GIVEN a URL with a password THEN the URL loses it and the password comes back decoded', () => {
    expect(withoutPassword('postgres://bot:p%40ss%2Fw@db.example:5432/ds9?sslmode=require')).toEqual({ url: 'postgres://bot@db.example:5432/ds9?sslmode=require', password: 'p@ss/w' });
  });

  it('GIVEN no password (or a socket directory) THEN the URL is left as it was', () => {
    expect(withoutPassword('postgres://postgres@127.0.0.1:5432/test')).toEqual({ url: 'postgres://postgres@127.0.0.1:5432/test' });
    expect(withoutPassword('postgres://postgres@/test?host=/var/run/postgresql')).toEqual({ url: 'postgres://postgres@/test?host=/var/run/postgresql' });
  });

  it('GIVEN the socket form with a password THEN that works too', () => {
    expect(withoutPassword('postgresql://bot:secret@/ds9?host=%2Fvar%2Frun%2Fpostgresql')).toEqual({ url: 'postgresql://bot@/ds9?host=%2Fvar%2Frun%2Fpostgresql', password: 'secret' });
  });
});

const databaseUrl = process.env.DATABASE_URL;
const hasPgbench = (() => {
  try {
    execFileSync('pgbench', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(databaseUrl && hasPgbench)('timeWithPgbench on Postgres', () => {
  it('GIVEN a script THEN every call after the warm-up is timed', async () => {
    const summary = await timeWithPgbench(databaseUrl!, pgbenchScript([{ query: 'select length($1)', params: [member.value] }], member), 40);
    expect(summary?.count).toBe(40);
    expect(summary!.p50).toBeGreaterThan(0);
    expect(summary!.p99).toBeGreaterThanOrEqual(summary!.p50);
  });
});
