// The extension interface: one object per match or target, as iptables'
// libxt_*.c modules (struct xtables_match / xtables_target). An extension
// declares its long options, parses each one into the rule's stored form
// (RuleMatch.options, canonical, see src/sim/netfilter), checks the whole
// after the command line (final_check), and prints the stored form back as
// -L shows it (print) and as -S / iptables-save write it (save).
//
// To add one: a file in extensions/ exporting an ExtDef, and its name in
// extensions/index.ts. What the kernel refuses at commit time (the hooks a
// target may sit in, ...) is not here but in src/sim/netfilter (checkentry).
import type { MatchView, NfFamily, RuleView } from '../../sim/netfilter';
import type { Rule, RuleMatch } from '../../sim/types';
import type { Getopt } from './getopt';
import type { NameDb } from './names';
import { PARAMETER_PROBLEM, xtError } from './xtables';

export interface ExtOpt {
  name: string;
  hasArg: 0 | 1;
  /** the key the option is stored under (synonyms share one) */
  key: string;
  invert?: boolean;
  mand?: boolean;
  multi?: boolean;
}

export interface ParseEnv {
  db: NameDb;
  /** 4 for iptables, 6 for ip6tables */
  family: NfFamily;
  rule: Rule;
  argv: string[];
  getopt: Getopt;
  /** warnings an extension prints while parsing (stderr, the command goes on) */
  warnings: string[];
}

export interface PrintEnv {
  db: NameDb;
  numeric: boolean;
}

export interface ExtDef {
  name: string;
  kind: 'match' | 'target';
  opts: ExtOpt[];
  help?: string;
  /** One option: `arg` is its value ('' for an option without one; getopt reports a missing value before this is called). */
  parse(env: ParseEnv, x: RuleMatch, opt: ExtOpt, arg: string, invert: boolean): void;
  final?(env: ParseEnv, x: RuleMatch, seen: Set<string>): void;
  print(env: PrintEnv, x: MatchView, rule: RuleView): string;
  save(x: MatchView, rule: RuleView, db: NameDb): string;
}

/** An extension loaded by a command line (-m NAME, -j NAME, or -p's implicit match), with what it parsed so far. */
export interface LoadedExt {
  def: ExtDef;
  data: RuleMatch;
  seen: Set<string>;
}

/** The checks libxtables makes before an extension sees an option (XTTYPE flags: once, invertible). */
export function onceCheck(ext: ExtDef, opt: ExtOpt, l: LoadedExt, invert: boolean): void {
  if (!opt.multi && l.seen.has(opt.key)) xtError(PARAMETER_PROBLEM, `${ext.name}: option "--${opt.name}" can only be used once.\n`);
  if (invert && !opt.invert) xtError(PARAMETER_PROBLEM, `${ext.name}: option "--${opt.name}" cannot be inverted.\n`);
}
