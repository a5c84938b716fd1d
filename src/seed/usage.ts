/** Thrown by a module's `seedCommand` for options it cannot use; the CLI prints the message and exits 2. */
export class SeedUsageError extends Error {
  override name = "SeedUsageError";
}

/** Parses `--name value`, `--name=value` and `--flag` options against a fixed list; anything else is a SeedUsageError. */
export function parseSeedOptions(
  rawArgv: readonly string[],
  spec: { numbers?: readonly string[]; strings?: readonly string[]; flags?: readonly string[] },
  usage: string,
) {
  const numbers: Record<string, number> = {};
  const strings: Record<string, string> = {};
  const flags = new Set<string>();
  const argv = rawArgv.flatMap((arg) => (/^--[a-z-]+=/.test(arg) ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg]));
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--help") throw new SeedUsageError(usage);
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    if (name && spec.flags?.includes(name)) {
      flags.add(name);
    } else if (name && (spec.numbers?.includes(name) || spec.strings?.includes(name))) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new SeedUsageError(`${arg} needs a value\n${usage}`);
      i += 1;
      if (spec.numbers?.includes(name)) {
        if (!/^\d+$/.test(value)) throw new SeedUsageError(`${arg} must be a non-negative integer, got ${JSON.stringify(value)}\n${usage}`);
        numbers[name] = Number(value);
      } else strings[name] = value;
    } else {
      throw new SeedUsageError(`unknown option ${JSON.stringify(arg)}\n${usage}`);
    }
  }
  return { numbers, strings, flags };
}
