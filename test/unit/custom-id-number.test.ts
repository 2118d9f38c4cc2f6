// Numbers in button custom ids are read back only in the form the bot writes them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customIdNumber } from '../../src/discord/format.js';
import { customIds, parseCustomId } from '../../src/discord/trivia-render.js';

describe('customIdNumber', () => {
  it('GIVEN the ids the bot writes THEN they read back as themselves', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(customIdNumber(String(n))).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 4 }), (round, index) => {
        expect(parseCustomId(customIds.pick(round, index))).toMatchObject({ roundId: round, index });
      }),
    );
  });

  it.each([' 1', '1 ', '01', '1e0', '0x1', '+1', '-1', '1.0', '', 'NaN', 'Infinity', '99999999999999999999'])('GIVEN %j THEN it is not a number the bot wrote', (text) => {
    expect(customIdNumber(text)).toBeNaN();
  });

  it('GIVEN nothing at that place in the id THEN NaN', () => {
    expect(customIdNumber(undefined)).toBeNaN();
    expect(parseCustomId('trivia:pick')).toMatchObject({ roundId: Number.NaN, index: Number.NaN });
  });
});
