import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pgbenchScript, timeWithPgbench } from '../../bench/pgbench.js';

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
