// The current fingerprint of an input: what a path holds now, in the terms it was recorded in.
import { lstatSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import type { Input, InputSpec } from '../observe/index.js';
import { sha256, type FileHasher } from './hash.js';

function typeOf(st: Stats): string {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'fifo';
  return 'socket';
}

function existence(path: string, recordedType: string | undefined): string {
  try {
    // throwing for every absent path costs more than the stat itself
    const st = recordedType === 'symlink' ? lstatSync(path, { throwIfNoEntry: false }) : statSync(path, { throwIfNoEntry: false });
    if (!st) return 'absent';
    return recordedType ? `type:${typeOf(st)}` : 'exists';
  } catch {
    return 'absent'; // ENOTDIR, EACCES on the way: the path cannot be reached, as when recorded
  }
}

export function namesFingerprint(names: string[]): string {
  return `names:${sha256(names.join('\0'))}`;
}

/** What spec's path holds now. */
export function currentValue(spec: InputSpec, hasher: FileHasher): string {
  switch (spec.kind) {
    case 'content': {
      const h = hasher.hash(spec.path);
      return h ? `sha256:${h}` : existence(spec.path, undefined);
    }
    case 'absent': case 'exists':
      return existence(spec.path, spec.kind === 'exists' ? spec.type : undefined);
    case 'listing':
      try {
        return namesFingerprint(readdirSync(spec.path).sort());
      } catch {
        return 'absent';
      }
    case 'link':
      try {
        return `link:${readlinkSync(spec.path)}`;
      } catch {
        return existence(spec.path, undefined);
      }
  }
}

/** spec with the value it must keep, under the path it is stored as. */
export function toInput(spec: InputSpec, value: string, storedPath: string = spec.path): Input {
  const input: Input = { path: storedPath, kind: spec.kind, value };
  if (spec.kind === 'exists' && spec.type) input.type = spec.type;
  if (spec.kind === 'listing') input.names = spec.names;
  return input;
}
