// The blobs a run's hits fetched last, checked against their hash once: a hit's stream is needed
// again when its parent is folded (its chunks may be the parent's output, or carry a context
// value through a pipe), and a pipeline over many files replays one such blob per stage. Reading
// and hashing each again cost a changed-input pipeline run more than its restores did.
import type { Store } from '../store/index.js';

/** Kept up to a budget of bytes, the oldest let go first; a blob over a quarter of it is not kept. */
export class RecentBlobs {
  private readonly kept = new Map<string, Buffer>();
  private bytes = 0;

  constructor(private readonly store: Pick<Store, 'getBlob'>, private readonly budget = 64 * 1024 * 1024) {}

  async getBlob(hash: string): Promise<Buffer | null> {
    const known = this.kept.get(hash);
    if (known) {
      // most recently used last: Map keeps insertion order
      this.kept.delete(hash);
      this.kept.set(hash, known);
      return known;
    }
    const data = await this.store.getBlob(hash);
    if (data && data.length <= this.budget / 4) this.keep(hash, data);
    return data;
  }

  private keep(hash: string, data: Buffer): void {
    this.kept.set(hash, data);
    this.bytes += data.length;
    for (const [old, buf] of this.kept) {
      if (this.bytes <= this.budget) break;
      this.kept.delete(old);
      this.bytes -= buf.length;
    }
  }
}
