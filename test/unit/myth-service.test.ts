// The myth service with a real (in-memory PGlite) repository and a recording announcer in place of Discord.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Myth } from '../../src/content/index.js';
import { MythRepository } from '../../src/db/repositories/myth.js';
import { explainRefusal } from '../../src/discord/refusals.js';
import { Refusal, UserError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { MythService, type MythAnnouncer, type RevealView } from '../../src/myth/myth-service.js';
import { pgliteEngine, type TestDatabase } from '../helpers/databases.js';
import { seededRandom } from '../helpers/random.js';

const T0 = new Date('2026-11-26T19:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
let guildSeq = 0;
/** The service's refusals as the member reads them: worded the way the error boundary words them. */
const worded = <T>(promise: Promise<T>) =>
  promise.catch((error: unknown) => {
    throw error instanceof Refusal ? new UserError(explainRefusal(error)) : error;
  });
const newGuild = () => `1000000000000${String(++guildSeq).padStart(5, '0')}`;

function myth(id: string, spoils = '7x25', verdict: Myth['verdict'] = 'myth'): Myth {
  return { id, title: `Title of ${id}`, claim: `Claim ${id}`, verdict, believers: 'believed it', explanation: 'Because.', source: { episode: spoils, scene: 'Test' }, spoils };
}

class RecordingAnnouncer implements MythAnnouncer {
  shown: { channelId: string; messageId: string | null; view: RevealView }[] = [];
  failFor = new Set<number>();
  async showReveal(channelId: string, messageId: string | null, view: RevealView): Promise<void> {
    if (this.failFor.has(view.postId)) throw new Error('Discord said no');
    this.shown.push({ channelId, messageId, view });
  }
}

describe('MythService', () => {
  let database: TestDatabase;
  let repo: MythRepository;
  const logs: string[] = [];
  const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) }));

  beforeAll(async () => {
    database = await pgliteEngine.open();
    repo = new MythRepository(database.db);
  });
  afterAll(async () => database?.dispose());

  function service(options: { myths?: Myth[]; spoilerGuard?: boolean; watched?: string | null; announcer?: RecordingAnnouncer } = {}) {
    const announcer = options.announcer ?? new RecordingAnnouncer();
    const watchedCalls: string[] = [];
    const svc = new MythService({
      repo,
      myths: options.myths ?? [myth('a'), myth('b'), myth('c'), myth('d')],
      settings: { get: async () => ({ spoilerGuard: options.spoilerGuard ?? true }) },
      watchedThrough: async (guildId) => {
        watchedCalls.push(guildId);
        return options.watched;
      },
      announcer,
      random: seededRandom(3),
      logger,
    });
    return { svc, announcer, watchedCalls };
  }

  const ask = (svc: MythService, guildId: string, claim?: string, now = T0) => worded(svc.ask({ guildId, channelId: '200000000000000001', userId: 'kira', claim, now }));

  it('GIVEN a server that asks again and again THEN it sees every myth before any repeats, and never the latest straight away', async () => {
    const { svc } = service();
    const guild = newGuild();
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push((await ask(svc, guild, undefined, at(i))).myth.id);
    expect([...seen].sort()).toEqual(['a', 'b', 'c', 'd']);
    for (let i = 4; i < 20; i++) {
      const next = (await ask(svc, guild, undefined, at(i))).myth.id;
      expect(next).not.toBe(seen.at(-1));
      seen.push(next);
    }
  });

  it('GIVEN a post THEN it reveals a minute later; the tick passes the freshest message id and reveals once', async () => {
    const { svc, announcer } = service();
    const post = await ask(svc, newGuild(), 'b');
    expect(post.revealAt).toEqual(at(60));
    await svc.attachMessage(post.postId, '300000000000000009');
    await svc.vote({ postId: post.postId, guildId: (await repo.post(post.postId))!.guildId, userId: 'quark', vote: 'myth', now: at(5) });
    const shownForPost = () => announcer.shown.filter((s) => s.view.postId === post.postId);
    await svc.tick(at(59));
    expect(shownForPost()).toHaveLength(0);
    await svc.tick(at(60));
    await svc.tick(at(61));
    expect(shownForPost()).toHaveLength(1);
    expect(shownForPost()[0]).toMatchObject({ messageId: '300000000000000009', view: { revealedBy: null, votes: { myth: 1, fact: 0 } } });
  });

  it('GIVEN the announcer fails for one post THEN it is logged, the post stays revealed, and other due posts still show', async () => {
    const announcer = new RecordingAnnouncer();
    const { svc } = service({ announcer });
    const guild = newGuild();
    const broken = await ask(svc, guild, 'a', at(-120));
    const fine = await ask(svc, guild, 'c', at(-110));
    announcer.failFor.add(broken.postId);
    await svc.tick(at(0));
    expect(announcer.shown.map((s) => s.view.postId)).toContain(fine.postId);
    expect((await repo.post(broken.postId))?.revealedAt).toEqual(at(0));
    expect(logs.join('')).toContain('could not show a myth verdict');
  });

  it('GIVEN a post whose myth has left the content THEN the tick drops it instead of retrying forever', async () => {
    const first = service({ myths: [myth('gone'), myth('kept')] });
    const post = await ask(first.svc, newGuild(), 'gone', at(-300));
    const later = service({ myths: [myth('kept')] });
    await later.svc.tick(at(0));
    expect(await repo.post(post.postId)).toBeNull();
    expect(later.announcer.shown.some((s) => s.view.postId === post.postId)).toBe(false);
  });

  it('GIVEN the Reveal button THEN a plain member is refused, the asker reveals, and a second press finds it out already', async () => {
    const { svc } = service();
    const guild = newGuild();
    const post = await ask(svc, guild, 'd');
    const press = (userId: string, canManageMessages = false) => worded(svc.revealByMember({ postId: post.postId, guildId: guild, messageId: 'post-message', userId, canManageMessages, now: at(10) }));
    await expect(press('nog')).rejects.toThrow(UserError);
    await expect(press('nog')).rejects.toThrow('Manage Messages');
    expect(await press('kira')).toMatchObject({ status: 'revealed', view: { revealedBy: 'kira' } });
    expect(await press('odo', true)).toEqual({ status: 'already-revealed' });
    await expect(worded(svc.revealByMember({ postId: post.postId, guildId: newGuild(), messageId: 'post-message', userId: 'kira', canManageMessages: true, now: at(10) }))).rejects.toThrow('no longer open');
  });

  it('GIVEN a Reveal button on some other message than the post\'s THEN it is refused and the post stays unrevealed', async () => {
    const { svc } = service();
    const guild = newGuild();
    const post = await ask(svc, guild, 'd');
    await svc.attachMessage(post.postId, 'post-message');
    const press = (messageId: string) => worded(svc.revealByMember({ postId: post.postId, guildId: guild, messageId, userId: 'odo', canManageMessages: true, now: at(10) }));
    await expect(press('an-old-message')).rejects.toThrow('no longer open');
    expect((await repo.post(post.postId))?.revealedAt).toBeNull();
    expect(await press('post-message')).toMatchObject({ status: 'revealed' });
  });

  it('GIVEN a vote for a post of another server THEN it is refused as closed', async () => {
    const { svc } = service();
    const post = await ask(svc, newGuild(), 'a');
    expect(await svc.vote({ postId: post.postId, guildId: newGuild(), userId: 'kira', vote: 'fact', now: at(1) })).toEqual({ status: 'closed' });
  });

  it('GIVEN the spoiler guard is off THEN the rewatch progress is not even consulted', async () => {
    const { svc, watchedCalls } = service({ spoilerGuard: false, watched: null });
    expect((await ask(svc, newGuild(), 'a')).myth.id).toBe('a');
    expect(watchedCalls).toEqual([]);
  });

  it('GIVEN a rewatch at 7x20 THEN only myths up to 7x20 are picked; a named finale myth is refused with the reason; autocomplete leaves it out and the list marks it', async () => {
    const myths = [myth('early', '7x20'), myth('finale', '7x25')];
    const { svc } = service({ myths, watched: '7x20' });
    const guild = newGuild();
    for (let i = 0; i < 3; i++) expect((await ask(svc, guild, undefined, at(i))).myth.id).toBe('early');
    await expect(ask(svc, guild, 'finale')).rejects.toThrow("That myth is hidden by the spoiler guard: it spoils 7x25 and this server's rewatch has reached 7x20");
    // Its title would spoil: autocomplete does not offer it.
    expect(await svc.choices(guild, 'title')).toEqual([{ id: 'early', title: 'Title of early' }]);
    expect((await svc.list(guild)).map((e) => e.hiddenUntil)).toEqual([null, '7x25']);
  });

  it('GIVEN unknown or ambiguous claim text THEN a UserError naming the closest titles or the candidates', async () => {
    const { svc } = service();
    await expect(ask(svc, newGuild(), 'Garak')).rejects.toThrow(/^No myth matches that\. Did you mean: \*\*Title of /);
    await expect(ask(svc, newGuild(), 'title')).rejects.toThrow(/^Several myths match that/);
  });
});
