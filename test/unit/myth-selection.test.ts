import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Myth } from '../../src/content/index.js';
import { findMythByClaim, isHiddenBySpoilerGuard, pickMyth } from '../../src/myth/selection.js';
import { seededRandom } from '../helpers/random.js';

function myth(id: string, title: string, spoils = '7x25'): Myth {
  return { id, title, claim: `${title}?`, verdict: 'myth', believers: 'believed it', explanation: 'Because.', source: { episode: spoils, scene: 'Test' }, spoils };
}

const myths = [
  myth('sisko-died', 'Sisko died'),
  myth('section-31', 'Section 31 won the war'),
  myth('jadzia-montage', 'Jadzia is in the farewell montage'),
  myth('early', 'Kira was in the pilot', '1x01'),
  myth('late-season', 'Weyoun has clones', '7x20'),
];
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 26, 19, minutes));

describe('isHiddenBySpoilerGuard', () => {
  it('GIVEN no guard (undefined) THEN nothing is hidden', () => {
    expect(myths.some((m) => isHiddenBySpoilerGuard(m, undefined))).toBe(false);
  });

  it('GIVEN a rewatch with no episode posted yet (null) THEN everything is hidden', () => {
    expect(myths.every((m) => isHiddenBySpoilerGuard(m, null))).toBe(true);
  });

  it('GIVEN a rewatch at 7x20 THEN myths spoiling up to 7x20 show and the finale stays hidden', () => {
    expect(isHiddenBySpoilerGuard(myth('a', 'A', '1x01'), '7x20')).toBe(false);
    expect(isHiddenBySpoilerGuard(myth('b', 'B', '7x20'), '7x20')).toBe(false);
    expect(isHiddenBySpoilerGuard(myth('c', 'C', '7x25'), '7x20')).toBe(true);
    // Season order, not text order: 2x01 comes after 1x26.
    expect(isHiddenBySpoilerGuard(myth('d', 'D', '2x01'), '1x26')).toBe(true);
  });
});

describe('pickMyth', () => {
  it('GIVEN no myths THEN null', () => {
    expect(pickMyth([], new Map(), Math.random)).toBeNull();
  });

  it('GIVEN some myths never posted here THEN only those are picked, each of them sometimes', () => {
    const seen = new Map([
      ['sisko-died', at(1)],
      ['section-31', at(2)],
    ]);
    const random = seededRandom(7);
    const picked = new Set(Array.from({ length: 200 }, () => pickMyth(myths, seen, random)!.id));
    expect([...picked].sort()).toEqual(['early', 'jadzia-montage', 'late-season']);
  });

  it('GIVEN every myth was posted THEN the most recently posted ones never come straight back', () => {
    const seen = new Map(myths.map((m, i) => [m.id, at(i)] as const)); // sisko-died oldest ... late-season newest
    const random = seededRandom(11);
    const picked = new Set(Array.from({ length: 200 }, () => pickMyth(myths, seen, random)!.id));
    expect([...picked].sort()).toEqual(['jadzia-montage', 'section-31', 'sisko-died']);
  });

  it('GIVEN one myth THEN it is picked even when just posted', () => {
    expect(pickMyth([myths[0]!], new Map([['sisko-died', at(5)]]), () => 0.99)?.id).toBe('sisko-died');
  });

  it('GIVEN any history and any random source THEN the pick is one of the myths and never the latest (with 2+ myths)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }), { minLength: 5, maxLength: 5 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (minutes, r) => {
          const seen = new Map(myths.flatMap((m, i) => (minutes[i] === undefined ? [] : [[m.id, at(minutes[i]!)] as const])));
          const picked = pickMyth(myths, seen, () => r)!;
          expect(myths).toContain(picked);
          if (seen.size === myths.length) {
            const latest = Math.max(...[...seen.values()].map((d) => d.getTime()));
            const latestIds = [...seen].filter(([, d]) => d.getTime() === latest).map(([id]) => id);
            if (latestIds.length === 1) expect(picked.id).not.toBe(latestIds[0]);
          } else {
            expect(seen.has(picked.id)).toBe(false);
          }
        },
      ),
    );
  });
});

describe('findMythByClaim', () => {
  it('GIVEN the id autocomplete submits THEN that myth', () => {
    expect(findMythByClaim('section-31', myths)).toEqual({ kind: 'found', myth: myths[1] });
  });

  it('GIVEN a title typed with other case and punctuation THEN that myth', () => {
    expect(findMythByClaim('  sisko DIED! ', myths)).toMatchObject({ kind: 'found', myth: { id: 'sisko-died' } });
  });

  it('GIVEN a partial title with a typo that narrows to one myth THEN that myth', () => {
    expect(findMythByClaim('jadzia montgae', myths)).toMatchObject({ kind: 'found', myth: { id: 'jadzia-montage' } });
  });

  it('GIVEN a query matching several titles THEN ambiguous, with those titles', () => {
    const match = findMythByClaim('s', myths);
    expect(match.kind).toBe('ambiguous');
    expect(match.kind === 'ambiguous' && match.titles).toEqual(expect.arrayContaining(['Sisko died', 'Section 31 won the war']));
  });

  it('GIVEN text matching no title THEN none, with the closest titles as suggestions', () => {
    const match = findMythByClaim('Garak was a tailor all along', myths);
    expect(match.kind).toBe('none');
    expect(match.kind === 'none' && match.suggestions).toHaveLength(3);
  });

  it('GIVEN a substring inside a word THEN no match (word starts only)', () => {
    expect(findMythByClaim('isko', myths).kind).toBe('none');
  });
});
