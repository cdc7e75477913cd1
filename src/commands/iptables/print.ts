// The -L listing of iptables (print_header / print_firewall of
// iptables-nft): chain headers with policy and counters or references, one
// line per rule with the K/M/G counter units, names or numbers, the
// interfaces with -v, and each match's and target's own text; and the -v
// echo of a rule a command adds or deletes.
import { chainReferences, listChains, type ChainView, type NfTableName, type RuleView } from '../../sim/netfilter';
import type { Netns } from '../../sim/types';
import type { Sys } from '../types';
import type { PrintEnv } from './extension';
import { IPV4, type XtFamily } from './family';
import { matchDef, standardTarget, targetDef } from './extensions/index';
import { lookupAddrName, protoToName, ruleProtoNum, type NameDb } from './names';

export const FMT = {
  NUMERIC: 0x0001,
  NOCOUNTS: 0x0002,
  KILOMEGAGIGA: 0x0004,
  OPTIONS: 0x0008,
  NOTABLE: 0x0010,
  NOTARGET: 0x0020,
  VIA: 0x0040,
  NONEWLINE: 0x0080,
  LINENUMBERS: 0x0100,
};

function padEnd(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function padStart(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

function printNum(n: number, format: number): string {
  if (!(format & FMT.KILOMEGAGIGA)) return `${padStart(String(n), 8)} `;
  if (n <= 99999) return `${padStart(String(n), 5)} `;
  let v = Math.floor((n + 500) / 1000);
  if (v <= 9999) return `${padStart(String(v), 4)}K `;
  v = Math.floor((v + 500) / 1000);
  if (v <= 9999) return `${padStart(String(v), 4)}M `;
  v = Math.floor((v + 500) / 1000);
  if (v <= 9999) return `${padStart(String(v), 4)}G `;
  v = Math.floor((v + 500) / 1000);
  return `${padStart(String(v), 4)}T `;
}

function printHeader(format: number, chain: ChainView, refs: number): string {
  let s = `Chain ${chain.name}`;
  if (chain.builtin) {
    s += ` (policy ${chain.policy ?? 'ACCEPT'}`;
    // iptables-nft: a base chain has counters (policy hits) only after -Z or -P; else 0
    if (!(format & FMT.NOCOUNTS)) s += ` ${printNum(chain.packets, format | FMT.NOTABLE).trimStart()}packets, ${printNum(chain.bytes, format | FMT.NOTABLE).trimStart()}bytes`;
    s += ')\n';
  } else s += ` (${refs} references)\n`;
  if (format & FMT.LINENUMBERS) s += 'num  ';
  if (!(format & FMT.NOCOUNTS)) s += format & FMT.KILOMEGAGIGA ? ' pkts bytes ' : `${padStart('pkts', 8)} ${padStart('bytes', 10)} `;
  s += 'target    ';
  s += ' prot ';
  s += 'opt';
  if (format & FMT.VIA) s += ' in     out    ';
  s += ` ${padEnd('source', 19)} `;
  s += ` ${padEnd('destination', 19)} `;
  return `${s}\n`;
}

export interface AddrNamer {
  (addr: string): string;
}

function addrToString(fam: XtFamily, cidr: string | null, format: number, namer: AddrNamer): string {
  const c = cidr ?? fam.any;
  const [a, lenText] = c.split('/');
  const len = lenText ?? String(fam.hostLen);
  if (len === '0' && !(format & FMT.NUMERIC)) return 'anywhere';
  const name = format & FMT.NUMERIC ? a! : namer(a!);
  return len === String(fam.hostLen) ? name : `${name}/${len}`;
}

function ruleTargetName(r: RuleView): string {
  // NOTRACK is CT under an alias: the listing's target column names the real target
  if (r.target === 'NOTRACK') return 'CT';
  return r.target ?? '';
}

function printMatchesAndTarget(env: PrintEnv, r: RuleView, fam: XtFamily): string {
  let s = '';
  for (const m of r.matches) {
    const def = matchDef(m.name, fam.family);
    if (def) s += def.print(env, m, r);
  }
  const tdef = r.target !== null ? targetDef(r.target, fam.family) : null;
  if (tdef && tdef !== standardTarget) s += tdef.print(env, { name: r.target!, options: r.targetOptions }, r);
  return s;
}

/** One rule as -L prints it (or, with NOTABLE, as `-v -A` echoes it). */
export function printRule(db: NameDb, r: RuleView, num: number, format: number, namer: AddrNamer, fam: XtFamily = IPV4): string {
  const nt = (format & FMT.NOTABLE) !== 0;
  let s = '';
  if (format & FMT.LINENUMBERS) s += nt ? `${num} ` : padEnd(String(num), 4) + ' ';
  if (!(format & FMT.NOCOUNTS)) s += printNum(r.packets, format) + printNum(r.bytes, format);
  s += nt ? `${ruleTargetName(r)} ` : padEnd(ruleTargetName(r), 9) + ' ';
  s += r.protocolInvert ? '!' : ' ';
  const pnum = ruleProtoNum(r);
  const pname = protoToName(db, pnum, !!(format & FMT.NUMERIC));
  if ((format & (FMT.NUMERIC | FMT.NOTABLE)) === FMT.NUMERIC || !pname) s += nt ? `${pnum} ` : padEnd(String(pnum), 4) + ' ';
  else s += nt ? `${pname} ` : padEnd(pname, 4) + ' ';
  // print_fragment
  if (nt) s += 'opt ';
  s += (r.fragment === false ? '!' : '-') + (r.fragment !== null ? 'f' : '-') + ' ';
  if (format & FMT.VIA) {
    const any = format & FMT.NUMERIC ? '*' : 'any';
    const inName = (r.inIfaceInvert ? '!' : '') + (r.inIface ?? any);
    const outName = (r.outIfaceInvert ? '!' : '') + (r.outIface ?? any);
    s += nt ? `in ${inName} out ${outName} ` : ` ${padEnd(inName, 6)} ${padEnd(outName, 6)} `;
  }
  s += r.sourceInvert ? '!' : ' ';
  const src = addrToString(fam, r.source, format, namer);
  s += nt ? `${src} ` : padEnd(src, 19) + ' ';
  s += r.destinationInvert ? '!' : ' ';
  const dst = addrToString(fam, r.destination, format, namer);
  s += nt ? `-> ${dst}` : padEnd(dst, 19) + ' ';
  if (nt) s += '  ';
  if (r.goto) s += '[goto] ';
  s += printMatchesAndTarget({ db, numeric: !!(format & FMT.NUMERIC) }, r, fam);
  return `${s}\n`;
}

/** FMT_PRINT_RULE: how -v echoes a rule it adds, inserts, deletes or checks. */
export function echoRule(db: NameDb, r: RuleView, fam: XtFamily = IPV4): string {
  return printRule(db, r, 0, FMT.NOCOUNTS | FMT.OPTIONS | FMT.VIA | FMT.NUMERIC | FMT.NOTABLE, (a) => a, fam);
}

export function listEntries(sys: Sys, db: NameDb, ns: Netns, table: NfTableName, chain: string | null, rulenum: number, format: number, fam: XtFamily = IPV4): string {
  const namer: AddrNamer = (a) => lookupAddrName(sys, a) ?? a;
  const all = listChains(ns, table, fam.family);
  const chains = chain === null ? all : all.filter((c) => c.name === chain);
  let out = '';
  let found = false;
  for (const c of chains) {
    if (rulenum) {
      const r = c.rules[rulenum - 1];
      if (r) out += printRule(db, r, rulenum, format, namer, fam);
      continue;
    }
    if (found) out += '\n';
    found = true;
    out += printHeader(format, c, chainReferences(ns, table, c.name, fam.family));
    c.rules.forEach((r, i) => {
      out += printRule(db, r, i + 1, format, namer, fam);
    });
  }
  return out;
}
