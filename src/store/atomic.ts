// Files written whole or not at all: a temporary name in the same directory, then a rename, so
// that concurrent runs and a crash at any point leave only complete files.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const madeDirs = new Set<string>();

export function atomicWrite(path: string, data: Buffer | string): void {
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true }); // a full disk leaves no half file behind
    throw e;
  }
}
