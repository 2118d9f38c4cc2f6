/** Discord snowflakes: 42 bits of milliseconds since the Discord epoch, then worker/process/increment bits. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000n;

export class SnowflakeFactory {
  private increment = 0n;
  private lastMs = 0n;

  constructor(private readonly now: () => number = Date.now) {}

  next(): string {
    let ms = BigInt(this.now()) - DISCORD_EPOCH_MS;
    if (ms < this.lastMs) ms = this.lastMs;
    if (ms === this.lastMs) {
      this.increment = (this.increment + 1n) & 0xfffn;
      // 4096 ids in one millisecond: borrow the next millisecond so ids stay unique and ordered
      if (this.increment === 0n) ms += 1n;
    } else {
      this.increment = 0n;
    }
    this.lastMs = ms;
    return ((ms << 22n) | (1n << 17n) | (1n << 12n) | this.increment).toString();
  }
}

export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}

/** The shard a guild belongs to, as Discord computes it. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
