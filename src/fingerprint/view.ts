// What the file system holds, remembered for one run: a path's fingerprint is computed once and
// reused until the traced command changes the path. Every change the command makes reaches us
// as an access before any later exec asks, and a file opened for writing may still be growing,
// so such a path is "volatile" for the rest of the run: looked at afresh every time.
import { dirname } from 'node:path';
import type { InputSpec } from '../observe/index.js';
import type { Access } from '../trace/index.js';
import type { FileHasher } from './hash.js';
import { currentValue } from './inputs.js';

/** the access kinds that change the file system */
export const CHANGE_OPS: ReadonlySet<string> = new Set(['write', 'create', 'truncate', 'rename', 'delete', 'mkdir', 'rmdir', 'symlink', 'link', 'chmod', 'utime', 'mknod']);

export class FsView {
  private readonly memo = new Map<string, string>();
  private readonly volatile = new Set<string>();

  constructor(readonly hasher: FileHasher) {}

  value(spec: InputSpec): string {
    if (this.volatile.has(spec.path)) return currentValue(spec, this.hasher);
    const key = `${spec.kind}\0${spec.kind === 'exists' ? spec.type ?? '' : ''}\0${spec.path}`;
    let v = this.memo.get(key);
    if (v === undefined) {
      v = currentValue(spec, this.hasher);
      this.memo.set(key, v);
    }
    return v;
  }

  /** value(), hashing a file's content off the event loop when it is not known yet. */
  async valueAsync(spec: InputSpec): Promise<string> {
    if (spec.kind !== 'content') return this.value(spec);
    const key = `content\0\0${spec.path}`;
    const volatile = this.volatile.has(spec.path);
    const known = volatile ? undefined : this.memo.get(key);
    if (known !== undefined) return known;
    const digest = await this.hasher.hashAsync(spec.path);
    // not a readable regular file: whatever it is, as value() would say
    const v = digest ? `sha256:${digest}` : currentValue(spec, this.hasher);
    if (!volatile && !this.volatile.has(spec.path)) this.memo.set(key, v);
    return v;
  }

  /** A path the command (or a restore) changed. */
  changed(path: string): void {
    this.volatile.add(path);
    this.volatile.add(dirname(path)); // its directory's listing
  }

  observe(access: Access): void {
    if (!CHANGE_OPS.has(access.op) || !access.path) return;
    this.changed(access.path);
    if (typeof access.to === 'string') this.changed(access.to);
  }
}
