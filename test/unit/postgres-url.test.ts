import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeDatabase, postgresConnection, splitPassword } from '../../src/db/postgres-url.js';

describe('DATABASE_URL for postgres.js', () => {
  it('GIVEN a TCP URL THEN it is passed on unchanged, with no socket', () => {
    for (const url of ['postgres://ds9:pw@db.example.org:6543/ds9', 'postgresql://db/ds9?sslmode=require', 'postgres://u@127.0.0.1/test?prepare=false', 'not a url']) {
      expect(postgresConnection(url)).toEqual({ url });
    }
  });

  it('GIVEN a socket directory in ?host= (libpq form) THEN the socket file is named and host leaves the URL', () => {
    expect(postgresConnection('postgres:///ds9?host=/var/run/postgresql')).toEqual({ url: 'postgres://localhost/ds9', socketPath: '/var/run/postgresql/.s.PGSQL.5432' });
    expect(postgresConnection('postgresql://bot:pw@/ds9?host=/tmp/&port=5433&prepare=false')).toEqual({
      url: 'postgresql://bot:pw@localhost/ds9?prepare=false',
      socketPath: '/tmp/.s.PGSQL.5433',
    });
  });

  it('GIVEN a percent-encoded socket directory as the host THEN the same', () => {
    expect(postgresConnection('postgres://bot@%2Fvar%2Frun%2Fpostgresql/ds9')).toEqual({ url: 'postgres://bot@localhost/ds9', socketPath: '/var/run/postgresql/.s.PGSQL.5432' });
    expect(postgresConnection('postgres://bot@%2Frun%2Fpg:6000/ds9?sslmode=disable')).toEqual({
      url: 'postgres://bot@localhost:6000/ds9?sslmode=disable',
      socketPath: '/run/pg/.s.PGSQL.6000',
    });
  });

  it('GIVEN a host= that is a name, not a directory THEN it is left to postgres.js', () => {
    expect(postgresConnection('postgres://u@db/ds9?host=other')).toEqual({ url: 'postgres://u@db/ds9?host=other' });
  });

  it('GIVEN any socket URL THEN the user, password, database and other settings survive', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
    fc.assert(
      fc.property(word, word, word, fc.array(word, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 65535 }), (user, password, database, dirs, port) => {
        const directory = `/${dirs.join('/')}`;
        const { url, socketPath } = postgresConnection(`postgres://${user}:${password}@/${database}?host=${directory}&port=${port}&application_name=ds9`);
        expect(socketPath).toBe(`${directory}/.s.PGSQL.${port}`);
        const parsed = new URL(url);
        expect([parsed.username, parsed.password, parsed.pathname, parsed.searchParams.get('application_name')]).toEqual([user, password, `/${database}`, 'ds9']);
        expect(parsed.searchParams.has('host') || parsed.searchParams.has('port')).toBe(false);
      }),
    );
  });

  it('GIVEN a socket URL THEN start-up messages name the directory and port, never the password', () => {
    expect(describeDatabase('postgres://bot:hunter2@/ds9?host=/var/run/postgresql')).toBe('/var/run/postgresql:5432/ds9');
    expect(describeDatabase('postgres://bot:hunter2@%2Frun%2Fpg:6000/ds9')).toBe('/run/pg:6000/ds9');
  });
});

describe('splitPassword (a libpq tool gets the password in its environment, not its command line)', () => {
  it('GIVEN a URL with a password THEN the URL loses it and the password comes back decoded', () => {
    expect(splitPassword('postgres://bot:p%40ss%2Fw@db.example:5432/ds9?sslmode=require')).toEqual({ url: 'postgres://bot@db.example:5432/ds9?sslmode=require', password: 'p@ss/w' });
  });

  it('GIVEN no password (or a socket directory) THEN the URL is left as it was', () => {
    expect(splitPassword('postgres://postgres@127.0.0.1:5432/test')).toEqual({ url: 'postgres://postgres@127.0.0.1:5432/test' });
    expect(splitPassword('postgres://postgres@/test?host=/var/run/postgresql')).toEqual({ url: 'postgres://postgres@/test?host=/var/run/postgresql' });
  });

  it('GIVEN the socket form with a password THEN that works too', () => {
    // libpq's ?host= wins over the localhost that parsing puts in the empty host
    expect(splitPassword('postgresql://bot:secret@/ds9?host=%2Fvar%2Frun%2Fpostgresql')).toEqual({ url: 'postgresql://bot@localhost/ds9?host=%2Fvar%2Frun%2Fpostgresql', password: 'secret' });
  });
});
