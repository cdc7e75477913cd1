// getopt_long as iptables-save and iptables-restore read their command lines:
// short options (clustered, a value stuck or in the next word), long ones
// (abbreviated, `--name=value`), and the words that are not options.
export type CliItem =
  | { kind: 'opt'; c: string; arg: string | null }
  | { kind: 'word'; word: string }
  /** getopt's complaint (printed, then the tool's usage hint) */
  | { kind: 'error'; text: string };

/** The items of a command line in order; `long` maps long names to letters, `withArg` lists the letters that take a value. */
export function* scanCli(prog: string, args: string[], long: Record<string, string>, withArg: string): Generator<CliItem> {
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    let inline: string | null = null;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (eq >= 0) inline = a.slice(eq + 1);
      const hits = Object.keys(long).filter((k) => k.startsWith(name));
      const exact = Object.hasOwn(long, name) ? name : hits.length === 1 ? hits[0]! : null;
      if (!exact) {
        yield { kind: 'error', text: `${prog}: unrecognized option '${a}'\n` };
        return;
      }
      a = `-${long[exact]}`;
    } else if (!a.startsWith('-') || a === '-') {
      yield { kind: 'word', word: a };
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      let arg: string | null = null;
      if (withArg.includes(c)) {
        if (inline !== null) arg = inline;
        else if (j + 1 < a.length) arg = a.slice(j + 1);
        else if (i + 1 < args.length) arg = args[++i]!;
        else {
          yield { kind: 'error', text: `${prog}: option requires an argument -- '${c}'\n` };
          return;
        }
        j = a.length;
      }
      yield { kind: 'opt', c, arg };
    }
  }
}
