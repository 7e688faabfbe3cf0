/**
 * Counts of writes per key in this process. A copy read before a count moved is stale: a writer bumps the count
 * before and again after its write, so a read that ran in between is never kept.
 */
export class WriteCounts {
  private readonly counts = new Map<string, number>();

  of(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  bump(...keys: string[]): void {
    for (const k of keys) this.counts.set(k, this.of(k) + 1);
  }
}

/**
 * Values read from the database kept briefly in memory, per key: served while younger than `ttlMs` and while no
 * write in this process touched the key (another instance's write is seen within `ttlMs`). At most `max` keys.
 */
export class ReadCache<V> {
  private readonly entries = new Map<string, { at: number; writes: number; value: V }>();

  constructor(
    private readonly writes: WriteCounts,
    private readonly ttlMs: number,
    private readonly max = 1000,
  ) {}

  async read(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.writes === this.writes.of(key) && now - hit.at < this.ttlMs) return hit.value;
    const writes = this.writes.of(key); // taken before the read: a write landing during it makes this entry stale
    const value = await load();
    if (this.entries.size > this.max) this.entries.clear();
    this.entries.set(key, { at: now, writes, value });
    return value;
  }
}
