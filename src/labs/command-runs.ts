// Quiz helpers (re-exported by ./checks.ts): what a command question's lines
// printed, and its result (`fail` with the tools' own error when there is one,
// `pass`). Expected values never come from these outputs: a question computes
// them from the world (./checks.ts).

/** One command line as the grader ran it. */
export interface CommandRun {
  line: string;
  output: string;
  exitCode: number;
}

/** Non-empty output lines of a run, trailing spaces removed. */
export function outputLines(run: CommandRun | undefined): string[] {
  if (!run) return [];
  return run.output
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l !== '');
}

/** The last line the learner ran, or undefined. */
export function lastRun(runs: CommandRun[]): CommandRun | undefined {
  return runs[runs.length - 1];
}

/** Everything the learner's lines printed, concatenated. */
export function allOutput(runs: CommandRun[]): string {
  return runs.map((r) => r.output).join('');
}

/** The last run's output when it is exactly one non-empty line, trimmed; else null. */
export function singleLine(runs: CommandRun[]): string | null {
  const lines = outputLines(lastRun(runs));
  return lines.length === 1 ? lines[0]!.trim() : null;
}

/**
 * Known error texts of the real tools and what they mean for the learner. The
 * first one found in the outputs gives the hint: the kernel's own error is the
 * best clue (e.g. a gateway that is not on a connected network).
 */
const ERROR_HINTS: { re: RegExp; hint: (m: RegExpExecArray) => string }[] = [
  { re: /execution exceeded execution deadline|too many (commands|loop iterations)/, hint: () => 'One of your commands did not finish and was stopped: commands that never end on their own (like `ping` without `-c COUNT`) cannot be graded.' },
  { re: /Nexthop has invalid gateway|SIOCADDRT: Network is unreachable|RTNETLINK answers: Network is unreachable/, hint: () => "Your route's gateway is not on a connected network: the gateway must be an address inside a subnet of one of this host's interfaces." },
  { re: /unknown option "--dport"|unknown option "--sport"/, hint: () => 'iptables only knows `--dport` after a protocol: put `-p tcp` (or `-p udp`) before it.' },
  { re: /Cannot find device "([^"]+)"|Device "([^"]+)" does not exist/, hint: (m) => `There is no interface called \`${m[1] ?? m[2]}\` here: list the interfaces with \`ip link\`.` },
  { re: /Cannot open network namespace "([^"]+)"/, hint: (m) => `There is no network namespace called \`${m[1]}\`: create it with \`ip netns add ${m[1]}\`, or check \`ip netns list\`.` },
  { re: /RTNETLINK answers: File exists/, hint: () => 'The kernel already has that (same address or same route): look at it with `ip addr` or `ip route`, and delete or replace it if it is wrong.' },
  { re: /any valid prefix is expected|Invalid prefix|inet address is expected|host not found/, hint: () => 'One of the addresses is not valid: write it as four numbers from 0 to 255, with /PREFIX where a network is meant.' },
  { re: /Couldn't load target `([^']+)'/, hint: (m) => `iptables has no target called \`${m[1]}\`: check its spelling (targets are upper case, e.g. DNAT, MASQUERADE).` },
  { re: /Chain '([^']+)' does not exist|Couldn't load match|can't initialize iptables table/, hint: () => 'iptables did not understand that: check the table (`-t nat`), the chain name (upper case) and the options.' },
  { re: /(?:^|\n)(?:bash: )?(?:line \d+: )?([^\s:]+): command not found/, hint: (m) => `\`${m[1]}\`: command not found. Check the spelling of the command.` },
  { re: /Object "([^"]+)" is unknown, try "ip help"/, hint: (m) => `\`ip ${m[1]}\` is not an ip object: the objects are link, addr, route, neigh, netns...` },
];

/** A hint drawn from an error one of the learner's lines printed, or null. */
export function errorHint(runs: CommandRun[]): string | null {
  for (const r of runs) {
    for (const h of ERROR_HINTS) {
      const m = h.re.exec(r.output);
      if (m) return h.hint(m);
    }
  }
  return null;
}

/** Fail with the tools' own error when there is one, else with the question's hint. */
export function fail(runs: CommandRun[], hint: string): { ok: false; hint: string } {
  const fromError = errorHint(runs);
  return { ok: false, hint: fromError ?? hint };
}

export const pass = (message?: string): { ok: true; message?: string } => (message ? { ok: true, message } : { ok: true });
