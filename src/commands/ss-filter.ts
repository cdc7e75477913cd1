// ss's filter expressions (misc/ssfilter.y): sport/dport comparisons, src/dst
// host[:port] conditions, and/or/not, parsed into an Expr and evaluated per socket.
import { prefixContains } from '../sim/ip';
import type { Sys } from './types';
import { hostByName, servicesText } from './net-tools/lib';
import { unmapV4 } from '../sim/sockets';
import type { Socket } from '../sim/types';

import { SsExit, USAGE } from './ss-usage';

export type Expr =
  | { k: 'and' | 'or'; a: Expr; b: Expr }
  | { k: 'not'; a: Expr }
  | { k: 'port'; which: 'sport' | 'dport'; op: 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge'; port: number }
  | { k: 'host'; which: 'src' | 'dst'; addr: string | null; plen: number; port: number | null };

export const OPS: Record<string, 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge'> = {
  '=': 'eq', '==': 'eq', eq: 'eq', '!=': 'ne', ne: 'ne', neq: 'ne', '<': 'lt', lt: 'lt', '>': 'gt', gt: 'gt', '<=': 'le', le: 'le', leq: 'le', '>=': 'ge', ge: 'ge', geq: 'ge',
};

export function bison(): never {
  throw new SsExit({ stdout: '', stderr: `ss: bison bellows (while parsing filter): "syntax error!" Sorry.\n${USAGE}`, exitCode: 255 });
}

export function parsePort(sys: Sys, text: string, proto: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  if (text === '*') return 0;
  for (const p of ['tcp', 'udp', proto]) {
    const n = servicePort(sys, text, p);
    if (n !== null) return n;
  }
  throw new SsExit({ stdout: '', stderr: `Error: "${text}" does not look like a port.\nCannot parse dst/src address.\n`, exitCode: 1 });
}

export function servicePort(sys: Sys, name: string, proto: string): number | null {
  for (const raw of servicesText(sys).split('\n')) {
    const w = raw.replace(/#.*/, '').trim().split(/\s+/);
    const m = /^(\d+)\/(\w+)$/.exec(w[1] ?? '');
    if (m && m[2] === proto && (w[0] === name || w.slice(2).includes(name))) return Number(m[1]);
  }
  return null;
}

export function parseHostCond(sys: Sys, which: 'src' | 'dst', text: string): Expr {
  let addrPart = text;
  let port: number | null = null;
  const bad = (): never => {
    throw new SsExit({ stdout: '', stderr: `Error: an inet prefix is expected rather than "${text}".\nCannot parse dst/src address.\n`, exitCode: 1 });
  };
  const br = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  if (br) {
    addrPart = br[1]!;
    if (br[2] !== undefined) port = parsePort(sys, br[2], 'tcp');
  } else {
    const i = text.lastIndexOf(':');
    if (i >= 0 && text.indexOf(':') === i) {
      addrPart = text.slice(0, i);
      port = parsePort(sys, text.slice(i + 1), 'tcp');
    }
  }
  if (addrPart === '' || addrPart === '*') return { k: 'host', which, addr: null, plen: 0, port };
  const [a, l] = addrPart.split('/');
  const v4 = /^\d+\.\d+\.\d+\.\d+$/.test(a!);
  const v6 = !v4 && a!.includes(':');
  if (!v4 && !v6) {
    const byName = hostByName(sys, a!);
    if (byName === null) bad();
    return { k: 'host', which, addr: byName, plen: 32, port };
  }
  const max = v4 ? 32 : 128;
  const plen = l === undefined ? max : Number(l);
  if (!Number.isInteger(plen) || plen < 0 || plen > max) bad();
  return { k: 'host', which, addr: a!, plen, port };
}

export function parseFilter(sys: Sys, words: string[]): Expr | null {
  // tokens: words split further on parentheses
  const toks: string[] = [];
  for (const w of words) {
    for (const t of w.split(/([()])/)) if (t.trim()) toks.push(...t.trim().split(/\s+/));
  }
  if (toks.length === 0) return null;
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const orExpr = (): Expr => {
    let a = andExpr();
    while (peek() === 'or' || peek() === '||' || peek() === '|') {
      i++;
      a = { k: 'or', a, b: andExpr() };
    }
    return a;
  };
  const andExpr = (): Expr => {
    let a = unary();
    for (;;) {
      const p = peek();
      if (p === 'and' || p === '&&' || p === '&') {
        i++;
        a = { k: 'and', a, b: unary() };
      } else if (p !== undefined && p !== ')' && p !== 'or' && p !== '||' && p !== '|') {
        a = { k: 'and', a, b: unary() };
      } else return a;
    }
  };
  const unary = (): Expr => {
    const t = toks[i++];
    if (t === undefined) bison();
    if (t === 'not' || t === '!') return { k: 'not', a: unary() };
    if (t === '(') {
      const e = orExpr();
      if (toks[i++] !== ')') bison();
      return e;
    }
    if (t === 'sport' || t === 'dport') {
      let op: 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge' = 'eq';
      if (toks[i] !== undefined && OPS[toks[i]!]) op = OPS[toks[i++]!]!;
      const v = toks[i++];
      if (v === undefined) bison();
      const m = /^(?:.*):(.*)$/.exec(v);
      return { k: 'port', which: t, op, port: parsePort(sys, m ? m[1]! : v, 'tcp') };
    }
    if (t === 'src' || t === 'dst') {
      if (toks[i] !== undefined && (toks[i] === '=' || toks[i] === '==' || toks[i] === 'eq')) i++;
      const v = toks[i++];
      if (v === undefined) bison();
      return parseHostCond(sys, t, v);
    }
    if (t === ')') bison();
    return parseHostCond(sys, 'dst', t);
  };
  const e = orExpr();
  if (i < toks.length) bison();
  return e;
}

export function hostMatch(sockAddr: string, want: string, plen: number): boolean {
  const s4 = /^\d+\.\d+\.\d+\.\d+$/.test(sockAddr) ? sockAddr : unmapV4(sockAddr);
  const w4 = /^\d+\.\d+\.\d+\.\d+$/.test(want);
  if (w4) {
    if (s4 === null) return false;
    return prefixContains(want, plen, s4, 4);
  }
  return sockAddr === want;
}

export function evalExpr(e: Expr, s: Socket): boolean {
  switch (e.k) {
    case 'and':
      return evalExpr(e.a, s) && evalExpr(e.b, s);
    case 'or':
      return evalExpr(e.a, s) || evalExpr(e.b, s);
    case 'not':
      return !evalExpr(e.a, s);
    case 'port': {
      const p = e.which === 'sport' ? s.localPort : s.remotePort;
      switch (e.op) {
        case 'eq':
          return p === e.port;
        case 'ne':
          return p !== e.port;
        case 'lt':
          return p < e.port;
        case 'gt':
          return p > e.port;
        case 'le':
          return p <= e.port;
        case 'ge':
          return p >= e.port;
      }
      return false;
    }
    case 'host': {
      const addr = e.which === 'src' ? s.localAddr : s.remoteAddr;
      const port = e.which === 'src' ? s.localPort : s.remotePort;
      if (e.port !== null && e.port !== port) return false;
      return e.addr === null || hostMatch(addr, e.addr, e.plen);
    }
  }
}

