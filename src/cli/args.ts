// A small, strict parser: every option is declared, unknown ones are errors that name the fix.

export class UsageError extends Error {}

export interface OptionSpec {
  /** takes a value (--out FILE) rather than being a switch */
  value: boolean;
  /** may be given several times; every value is kept */
  repeat?: boolean;
}

export interface Parsed {
  options: Map<string, string | true>;
  /** every value of the repeatable options, in order */
  lists: Map<string, string[]>;
  command: string[];
}

/** Parses `[options] -- CMD [ARGS...]`; the command starts at "--" or at the first non-option. */
export function parseArgs(args: string[], specs: Record<string, OptionSpec>, usage: string): Parsed {
  const options = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') { i++; break; }
    if (!arg.startsWith('--')) break;
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name}\n${usage}`);
    if (!spec.value) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value\n${usage}`);
      options.set(name, true);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value\n${usage}`);
    options.set(name, value);
    if (spec.repeat) lists.set(name, [...(lists.get(name) ?? []), value]);
  }
  return { options, lists, command: args.slice(i) };
}
