// Helpers shared by the controllers.
import type { Api } from '../api/store';
import { ALPHANUMS, rfc3339 } from '../api/store';
import type { KObject } from '../api/types';
import { infoForKind } from '../api/registry';
import { jsonClone } from '../api/clone';

export const clone = jsonClone;

/** FNV-1a 32-bit of a string. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each character of the text mapped onto the vowel-free alphabet. */
export function safeEncode(s: string): string {
  let out = '';
  for (const ch of s) out += ALPHANUMS[ch.charCodeAt(0) % ALPHANUMS.length];
  return out;
}

/** JSON with keys sorted (a canonical form of a template for hashing). */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The pod-template-hash of a template, as controller.ComputeHash shapes it:
 * FNV-32a, its decimal text safe-encoded (so 8 to 10 characters of
 * bcdfghjklmnpqrstvwxz2456789). The real one hashes Go's dump of the
 * PodTemplateSpec struct; this one hashes the template's canonical JSON, so
 * the value differs from a real cluster's for the same template.
 */
export function templateHash(template: unknown, collisionCount?: number): string {
  let s = canonical(template);
  if (collisionCount !== undefined) s += `#${collisionCount}`;
  return safeEncode(String(fnv32a(s)));
}

export function controllerRef(o: KObject): { uid: string; kind: string; name: string } | null {
  const r = o.metadata.ownerReferences?.find((x) => x.controller);
  return r ? { uid: r.uid, kind: r.kind, name: r.name } : null;
}

export function ownerRefTo(owner: KObject): any {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

export function isTerminating(o: KObject): boolean {
  return !!o.metadata.deletionTimestamp;
}

export function podReady(p: any): boolean {
  return (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

export function podActive(p: any): boolean {
  return !isTerminating(p) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
}

/** Set a condition in a list (lastTransitionTime changes only when the status does). Returns the new list. */
export function setCondition(list: any[] | undefined, c: { type: string; status: string; reason?: string; message?: string }, now: number, extra: Record<string, unknown> = {}): any[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((x) => x.type === c.type);
  const old = i >= 0 ? out[i] : null;
  const ltt = old && old.status === c.status ? old.lastTransitionTime : rfc3339(now);
  const next: any = { ...extra, type: c.type, status: c.status, lastTransitionTime: ltt };
  if (c.reason !== undefined) next.reason = c.reason;
  if (c.message !== undefined) next.message = c.message;
  if (i >= 0) out[i] = next;
  else out.push(next);
  return out;
}

function resourceOf(o: KObject): string {
  return infoForKind(o.apiVersion ?? '', o.kind ?? '')?.resource ?? '';
}

/** Write an object's status if it differs from the stored one (no write, no resourceVersion bump, otherwise). */
export function writeStatus(api: Api, obj: KObject, status: unknown): void {
  const text = JSON.stringify(status);
  if (JSON.stringify((obj as any).status) === text) return;
  if (text === undefined) api.updateStatus({ ...obj, status, metadata: { ...obj.metadata, resourceVersion: undefined } });
  else api.setStatus(resourceOf(obj), obj.metadata.namespace ?? null, obj.metadata.name!, JSON.parse(text));
}

/** Resolve an IntOrString percentage against a total (round up or down). */
export function intOrPercent(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v ?? '0'));
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}
