// NetworkPolicy validation with kube-apiserver's field paths and texts
// (pkg/apis/networking/validation: ValidateNetworkPolicySpec, ...Port,
// ...Peer, ValidateIPBlock). Called by src/k8s/api/validation.ts after
// defaulting, as the apiserver does.
import { fieldError, type FieldError } from '../api/errors';

const PORT_RANGE = 'must be between 1 and 65535, inclusive';
const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** validation.IsValidPortName */
export function portNameErrors(s: string): string[] {
  const out: string[] = [];
  if (s.length > 15) out.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(s)) out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(s)) out.push('must contain at least one letter (a-z)');
  if (s.includes('--')) out.push('must not contain consecutive hyphens');
  if (s.length > 0 && (s.startsWith('-') || s.endsWith('-'))) out.push('must not begin or end with a hyphen');
  return out;
}

const validPort = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;

/** A CIDR as netutils.ParseCIDRSloppy reads it: [network int, prefix length], or null. IPv4 only here. */
export function parseCidr4(s: unknown): [number, number] | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  if (!m) return null;
  const o = m.slice(1, 5).map(Number);
  const len = Number(m[5]);
  if (o.some((x) => x > 255) || len > 32) return null;
  const ip = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  return [(ip & mask) >>> 0, len];
}

function isV6Cidr(s: unknown): boolean {
  return typeof s === 'string' && /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(s) && s.includes(':') && Number(s.split('/')[1]) <= 128;
}

function validatePolicyPort(p: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.protocol !== undefined && p.protocol !== null && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(fieldError.notSupported(`${path}.protocol`, p.protocol, ['TCP', 'UDP', 'SCTP']));
  if (p.port !== undefined && p.port !== null) {
    if (typeof p.port === 'number') {
      if (!validPort(p.port)) errs.push(fieldError.invalid(`${path}.port`, p.port, PORT_RANGE));
      if (p.endPort !== undefined && p.endPort !== null) {
        if (p.endPort < p.port) errs.push(fieldError.invalid(`${path}.endPort`, p.port, 'must be greater than or equal to `port`'));
        if (!validPort(p.endPort)) errs.push(fieldError.invalid(`${path}.endPort`, p.endPort, PORT_RANGE));
      }
    } else {
      if (p.endPort !== undefined && p.endPort !== null) errs.push(fieldError.invalid(`${path}.endPort`, p.endPort, 'may not be specified when `port` is non-numeric'));
      for (const m of portNameErrors(String(p.port))) errs.push(fieldError.invalid(`${path}.port`, String(p.port), m));
    }
  } else if (p.endPort !== undefined && p.endPort !== null) {
    errs.push(fieldError.invalid(`${path}.endPort`, p.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function validateIpBlock(b: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!b.cidr) return [fieldError.required(`${path}.cidr`, '')];
  const cidr = parseCidr4(b.cidr);
  if (!cidr) {
    if (!isV6Cidr(b.cidr)) errs.push(fieldError.invalid(`${path}.cidr`, b.cidr, CIDR_MSG));
    return errs;
  }
  (b.except ?? []).forEach((e: unknown, i: number) => {
    const p = `${path}.except[${i}]`;
    const ex = parseCidr4(e);
    if (!ex) {
      if (!isV6Cidr(e)) errs.push(fieldError.invalid(p, e, CIDR_MSG));
      else errs.push(fieldError.invalid(p, e, 'must be a strict subset of `cidr`'));
      return;
    }
    const mask = cidr[1] === 0 ? 0 : (~0 << (32 - cidr[1])) >>> 0;
    const inside = ((ex[0] & mask) >>> 0) === cidr[0];
    if (!inside || cidr[1] >= ex[1]) errs.push(fieldError.invalid(p, e, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

function validatePeer(peer: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer?.podSelector) n++;
  if (peer?.namespaceSelector) n++;
  if (peer?.ipBlock) {
    n++;
    errs.push(...validateIpBlock(peer.ipBlock, `${path}.ipBlock`));
  }
  if (n === 0) errs.push(fieldError.required(path, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock) errs.push(fieldError.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** ValidateNetworkPolicySpec (the label selectors' own checks are the caller's). */
export function validateNetworkPolicySpec(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    (spec?.[dir] ?? []).forEach((rule: any, i: number) => {
      const rp = `spec.${dir}[${i}]`;
      (rule?.ports ?? []).forEach((p: any, j: number) => errs.push(...validatePolicyPort(p ?? {}, `${rp}.ports[${j}]`)));
      (rule?.[peers] ?? []).forEach((p: any, j: number) => errs.push(...validatePeer(p ?? {}, `${rp}.${peers}[${j}]`)));
    });
  }
  const types: unknown[] = spec?.policyTypes ?? [];
  if (types.length > 2) {
    errs.push({ type: 'Invalid', field: 'spec.policyTypes', rawValue: `[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`, detail: 'may not specify more than two policyTypes' });
    return errs;
  }
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(fieldError.notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  return errs;
}
