// The watch-party events' rows on every engine: one process at a time holds a server's lease, writes under a lost
// lease change nothing, and the tick finds what falls due in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_EVENT, RewatchEventsRepository, WATCH_PARTY_LEASE_MS } from '../../src/db/repositories/rewatch-events.js';
import { engines, type TestDatabase } from '../helpers/databases.js';

const T0 = new Date('2026-03-05T18:30:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe.each(engines)('RewatchEventsRepository on $name', (engine) => {
  let database: TestDatabase;
  let repo: RewatchEventsRepository;
  let guildSeq = 0;
  const newGuild = () => `7000000000000${String(++guildSeq).padStart(5, '0')}`;

  beforeAll(async () => {
    database = await engine.open();
    repo = new RewatchEventsRepository(database.db);
  });
  afterAll(async () => database?.dispose());

  it('GIVEN two claims at once THEN one gets the lease; after it runs out the other may take over, and the first one\'s writes are refused', async () => {
    const guildId = newGuild();
    await repo.configure(guildId, { kind: 'external', channelId: null }, at(0));
    const [a, b] = await Promise.all([repo.claim(guildId, at(0)), repo.claim(guildId, at(0))]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const first = (a ?? b)!;
    expect(await repo.claim(guildId, at(1))).toBeNull();

    const later = at(WATCH_PARTY_LEASE_MS / 60_000 + 1);
    const second = await repo.claim(guildId, later);
    expect(second).not.toBeNull();
    expect(await repo.update(first, { state: 'creating', eventId: null }, later)).toBe(false);
    expect(await repo.release(first, { lastError: 'stale' }, later)).toBe(false);
    expect(await repo.update(second!, { state: 'created', eventId: '900', generation: 1, episodeIndex: 0, startAt: at(60), endAt: at(180) }, later)).toBe(true);
    expect(await repo.release(second!, { syncAt: null }, later)).toBe(true);
    expect(await repo.forGuild(guildId)).toMatchObject({ state: 'created', eventId: '900', lastError: null, leaseUntil: null, syncAt: null });
  });

  it('GIVEN rows with sync times THEN due lists the free ones that fell due, soonest first, and requestSync only brings a time forward', async () => {
    const [g1, g2, g3] = [newGuild(), newGuild(), newGuild()];
    for (const g of [g1, g2, g3]) await repo.configure(g, { kind: 'voice', channelId: '42' }, at(0));
    for (const [g, minutes] of [[g1, 30], [g2, 10], [g3, 90]] as const) {
      const claimed = (await repo.claim(g, at(0)))!;
      await repo.release(claimed, { syncAt: at(minutes) }, at(0));
    }
    const mine = (ids: string[]) => ids.filter((id) => [g1, g2, g3].includes(id));
    expect(mine(await repo.due(at(45)))).toEqual([g2, g1]);
    await repo.requestSync(g3, at(120));
    expect(mine(await repo.due(at(100)))).toEqual([g2, g1, g3]);
    await repo.requestSync(g3, at(5));
    expect(mine(await repo.due(at(6)))).toEqual([g3]);
    await repo.claim(g2, at(46));
    expect(mine(await repo.due(at(47)))).toEqual([g3, g1]);
  });

  it('GIVEN events turned off THEN the row stays (so its event can be removed) until the keeper removes it', async () => {
    const guildId = newGuild();
    expect(await repo.configure(guildId, null, at(0))).toBe(false);
    await repo.configure(guildId, { kind: 'stage', channelId: '43' }, at(0));
    expect(await repo.forGuild(guildId)).toMatchObject({ enabled: true, placeKind: 'stage', placeChannelId: '43', state: 'none' });
    expect(await repo.configure(guildId, null, at(1))).toBe(true);
    const claimed = (await repo.claim(guildId, at(1)))!;
    expect(claimed).toMatchObject({ enabled: false, syncAt: at(1) });
    await repo.update(claimed, NO_EVENT, at(1));
    await repo.remove(claimed);
    expect(await repo.forGuild(guildId)).toBeNull();
  });
});
