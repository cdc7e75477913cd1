// DNS names and wire sizes: the helpers every part of the DNS model uses
// (names without their trailing dot, compared case-insensitively; TXT
// character-strings; a message's size on the wire with name compression).
// src/sim/dns.ts re-exports them.
import type { DnsMessage, DnsRR } from './dns';

export function stripDot(name: string): string {
  return name === '.' ? '' : name.endsWith('.') && !name.endsWith('\\.') ? name.slice(0, -1) : name;
}

export function lc(name: string): string {
  return stripDot(name).toLowerCase();
}

export function sameName(a: string, b: string): boolean {
  return lc(a) === lc(b);
}

/** Is `name` equal to or below `domain`? (the root contains everything) */
export function inDomain(name: string, domain: string): boolean {
  const n = lc(name);
  const d = lc(domain);
  return d === '' || n === d || n.endsWith('.' + d);
}

/** The character-strings of TXT rdata in presentation format ("a" "b c"). */
export function parseTxtStrings(data: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(data))) out.push((m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'));
  return out;
}

/** One character-string quoted as BIND prints TXT (", \\ escaped; non-printables as \DDD). */
export function quoteTxt(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c < 0x20 || c >= 0x7f) {
      for (const b of new TextEncoder().encode(ch)) out += '\\' + String(b).padStart(3, '0');
    } else out += ch;
  }
  return out + '"';
}

// ------------------------------------------------------------------ wire size

function labels(name: string): string[] {
  const n = stripDot(name);
  return n === '' ? [] : n.split('.');
}

class SizeCounter {
  private seen = new Set<string>();
  size = 12;
  name(name: string, compress: boolean): void {
    const ls = labels(name);
    for (let i = 0; i < ls.length; i++) {
      const suffix = ls.slice(i).join('.').toLowerCase();
      if (compress && this.seen.has(suffix)) {
        this.size += 2;
        this.remember(ls, i);
        return;
      }
      this.size += 1 + ls[i]!.length;
    }
    this.size += 1;
    this.remember(ls, ls.length);
  }
  private remember(ls: string[], upto: number): void {
    for (let i = 0; i < upto; i++) this.seen.add(ls.slice(i).join('.').toLowerCase());
  }
}

function rdataSize(rr: DnsRR, c: SizeCounter, compressRdata: boolean): void {
  const d = rr.data;
  switch (rr.type) {
    case 'A':
      c.size += 4;
      return;
    case 'AAAA':
      c.size += 16;
      return;
    case 'CNAME':
    case 'NS':
    case 'PTR':
    case 'DNAME':
      c.name(d, compressRdata);
      return;
    case 'MX': {
      c.size += 2;
      c.name(d.split(/\s+/)[1] ?? '', compressRdata);
      return;
    }
    case 'SRV': {
      c.size += 6;
      c.name(d.split(/\s+/)[3] ?? '', false);
      return;
    }
    case 'SOA': {
      const p = d.split(/\s+/);
      c.name(p[0] ?? '', compressRdata);
      c.name(p[1] ?? '', compressRdata);
      c.size += 20;
      return;
    }
    case 'TXT':
    case 'SPF': {
      for (const s of parseTxtStrings(d)) c.size += 1 + s.length;
      return;
    }
    default:
      c.size += Math.ceil(d.length / 2);
  }
}

/** Bytes of the message on the wire; `compressRdata` false models servers that compress owner names only (dnsmasq). */
export function messageSize(m: DnsMessage, compressRdata = true): number {
  const c = new SizeCounter();
  for (const q of m.question) {
    c.name(q.name, true);
    c.size += 4;
  }
  for (const rr of [...m.answer, ...m.authority, ...m.additional]) {
    c.name(rr.name, true);
    c.size += 10;
    rdataSize(rr, c, compressRdata);
  }
  if (m.opt) {
    c.size += 11;
    for (const _e of m.opt.ede) c.size += 6 + (_e.text ? _e.text.length : 0);
    if (m.opt.cookie) c.size += 4 + m.opt.cookie.length / 2;
    if (m.opt.nsid !== null) c.size += 4 + m.opt.nsid.length;
  }
  return c.size;
}
