// Files written whole or not at all: a temporary name in the same directory, then a rename, so
// that concurrent runs and a crash at any point leave only complete files.
import { mkdirSync, rename, renameSync, rmSync, writeFile, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const writeFileCb = promisify(writeFile);
const renameCb = promisify(rename);

const madeDirs = new Set<string>();

/** The temporary names tempFor() makes, with the writer's pid: what a killed run leaves behind. */
export const TEMP_NAME = /\.tmp-(\d+)-[0-9a-z]*$/;

function tempFor(path: string): string {
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  return `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
}

export function atomicWrite(path: string, data: Buffer | string): void {
  const tmp = tempFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true }); // a full disk leaves no half file behind
    throw e;
  }
}

/** atomicWrite() with the writing on libuv's threads. */
export async function atomicWriteAsync(path: string, data: Buffer | string): Promise<void> {
  const tmp = tempFor(path);
  try {
    await writeFileCb(tmp, data);
    await renameCb(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
