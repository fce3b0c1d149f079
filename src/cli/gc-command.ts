import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { collectGarbage, defaultStoreDir, parseSize } from '../store/index.js';
import { parseArgs, UsageError } from './args.js';

export const GC_USAGE = 'usage: processcache gc [--store DIR] --max-size SIZE   (SIZE like 500M or 5G)';

/** `processcache gc`: evicts least recently used entries until the store fits in SIZE. */
export function gcMain(args: string[]): number {
  const { options, command } = parseArgs(args, { store: { value: true }, 'max-size': { value: true } }, GC_USAGE);
  if (command.length) throw new UsageError(`gc takes no command\n${GC_USAGE}`);
  const size = options.get('max-size');
  if (typeof size !== 'string') throw new UsageError(`--max-size is required\n${GC_USAGE}`);
  const max = parseSize(size);
  if (max === null) throw new UsageError(`--max-size "${size}" is not a size: write it like 500M, 5G or 1048576`);
  const dir = resolve(String(options.get('store') ?? defaultStoreDir()));
  if (!existsSync(dir)) {
    process.stderr.write(`processcache: no store at ${dir}: nothing to collect\n`);
    return 0;
  }
  const r = collectGarbage(dir, max);
  const mib = (n: number): string => `${(n / 1024 ** 2).toFixed(1)} MiB`;
  const temps = `; ${r.tempsRemoved} temporary file${r.tempsRemoved === 1 ? '' : 's'} left by interrupted runs removed`;
  process.stderr.write(`processcache: removed ${r.entriesRemoved} of ${r.entriesBefore} entries; ${mib(r.bytesBefore)} -> ${mib(r.bytesAfter)}${temps}\n`);
  return 0;
}
