import { describe, expect, it } from 'vitest';
import { describeDatabase } from '../../src/db/postgres-url.js';
import { databaseProblem, discordProblem } from '../../src/startup-problem.js';

const error = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('start-up problems', () => {
  it('GIVEN a database URL THEN it is named by host, port and database only', () => {
    expect(describeDatabase('postgres://ds9:hunter2@db.example.org:6543/ds9')).toBe('db.example.org:6543/ds9');
    expect(describeDatabase('postgresql://ds9:hunter2@db/ds9')).toBe('db:5432/ds9');
    expect(describeDatabase('not a url hunter2')).toBe('DATABASE_URL');
  });

  it('GIVEN the usual database failures THEN each says why in plain words and never the password', () => {
    const url = 'postgres://ds9:hunter2@db:5432/ds9';
    expect(databaseProblem(error('ECONNREFUSED'), url, '.data')).toMatch(/^Cannot use the database at db:5432\/ds9: nothing is listening there\./);
    expect(databaseProblem(error('28P01'), url, '.data')).toContain('the password was refused');
    // Postgres answered: no "is Postgres running" tail, but what to fix.
    expect(databaseProblem(error('3D000'), url, '.data')).toBe(
      'Cannot use the database at db:5432/ds9: that database does not exist. Create it first (createdb), or fix its name at the end of DATABASE_URL.',
    );
    expect(databaseProblem(error('28P01'), url, '.data')).not.toContain('running');
    expect(databaseProblem(error('ENOTFOUND'), url, '.data')).toContain('that host name does not resolve');
    for (const code of ['ECONNREFUSED', '28P01', 'XX000']) expect(databaseProblem(error(code, 'odd'), url, '.data')).not.toContain('hunter2');
    expect(databaseProblem(error('EACCES', 'permission denied'), undefined, './.data/pglite')).toBe(
      'Cannot open the embedded database in ./.data/pglite: permission denied. Check that the folder is writable and not in use by another bot process.',
    );
  });

  it('GIVEN a refused token or an unreachable Discord THEN the message says which, with what to do', () => {
    expect(discordProblem(error('TokenInvalid'), undefined)).toContain('Discord did not accept DISCORD_TOKEN');
    expect(discordProblem(Object.assign(new Error('401: Unauthorized'), { status: 401 }), undefined)).toContain('did not accept DISCORD_TOKEN');
    const offline = Object.assign(new TypeError('fetch failed'), { cause: error('ENOTFOUND') });
    expect(discordProblem(offline, undefined)).toBe('Cannot reach Discord (discord.com): that host name does not resolve. Check the network connection and try again.');
    expect(discordProblem(error('ECONNREFUSED'), 'http://127.0.0.1:9/api')).toContain('Cannot reach Discord (http://127.0.0.1:9/api): nothing is listening there');
  });
});
