import { describe, expect, it } from 'vitest';
import { OneAtATime } from '../../src/util/one-at-a-time.js';

describe('OneAtATime', () => {
  it('GIVEN work asked for while other work runs THEN it waits its turn and still runs, even after a failure', async () => {
    const serial = new OneAtATime();
    const order: string[] = [];
    let release!: () => void;
    const first = serial.run(async () => {
      order.push('first starts');
      await new Promise<void>((r) => (release = r));
      order.push('first ends');
      throw new Error('first failed');
    });
    const second = serial.run(async () => {
      order.push('second runs');
      return 2;
    });
    expect(serial.busy).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['first starts']);
    release();
    await expect(first).rejects.toThrow('first failed');
    expect(await second).toBe(2);
    expect(order).toEqual(['first starts', 'first ends', 'second runs']);
    await serial.idle();
    expect(serial.busy).toBe(false);
  });
});
