// The shape a saved world must have to be restored (a terminal's save in the browser's storage is untrusted:
// edited, truncated or written by an older build). Checked when a session is restored from a save, not on the
// kernel's own copies (World.clone). Fields not named here pass through unchecked. A save in the compact form
// (compact.ts, version 2) is checked as the state it stands for, but its namespaces are checked in their saved
// form, without expanding them (a world of 5,000 namespaces restores in milliseconds): a field a saved record
// leaves out stands for its usual value (valid by construction) unless the record's "~" lists it as absent, and a
// namespace's sysctls are a difference whose values are strings (or null: the key is gone). The verdict is the
// one the expanded state would get (world-schema.test.ts compares both on damaged saves).
import { z } from './zod';
import { expandState, SAVED_USUAL } from './compact';

const num = z.number().finite();
const str = z.string();

const link = z.looseObject({ ifindex: z.number().int().positive(), name: str, kind: str, mtu: num, mac: str, adminUp: z.boolean(), stats: z.looseObject({}) });
const netns = z.looseObject({
  id: str,
  host: str,
  name: str.nullable(),
  links: z.array(link),
  nextIfindex: z.number().int(),
  addrs: z.array(z.looseObject({ ifindex: z.number().int(), local: str, dadFailed: z.boolean().optional() })),
  routes: z.array(z.looseObject({})),
  neigh: z.array(z.looseObject({})),
  sysctl: z.record(str, str),
  netfilter: z.looseObject({}),
  sockets: z.array(z.looseObject({})),
  rules: z.array(z.looseObject({})),
  fibTables: z.array(str),
  nsids: z.record(str, num),
});
// ------------------------------------------------------------ a namespace in its saved form (compact.ts)

/** a saved record that leaves out a field required here: only valid when the field stands for its usual value */
const noneGone = (usual: readonly string[], required: readonly string[]) => {
  const keys = required.filter((k) => usual.includes(k));
  return (r: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const gone = r['~'];
    if (!Array.isArray(gone)) return;
    for (const k of keys) if (!Object.hasOwn(r, k) && gone.includes(k)) ctx.addIssue({ code: 'custom', path: [k], message: 'Invalid input: required, absent' });
  };
};

const savedLink = z
  .looseObject({ ifindex: z.number().int().positive(), name: str, kind: str, mtu: num.optional(), mac: str, adminUp: z.boolean().optional(), stats: z.looseObject({}).optional() })
  .superRefine(noneGone(SAVED_USUAL.link, ['mtu', 'adminUp', 'stats']));

const sysctlRecord = z.record(str, str);
/** a namespace's sysctls as saved: {"*": every key} (kept whole), or the keys that differ (null: gone) */
const savedSysctl = z.looseObject({}).superRefine((o, ctx) => {
  if (Object.hasOwn(o, '*')) {
    const r = sysctlRecord.safeParse(o['*']);
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ ...i, code: 'custom', path: ['*', ...i.path] } as never);
    return;
  }
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v !== null && typeof v !== 'string') ctx.addIssue({ code: 'custom', path: [k], message: `Invalid input: expected string, received ${typeof v}` });
  }
});

const savedNetns = z
  .looseObject({
    ...netns.shape,
    links: z.array(savedLink),
    neigh: netns.shape.neigh.optional(),
    sysctl: savedSysctl,
    netfilter: netns.shape.netfilter.optional(),
    sockets: netns.shape.sockets.optional(),
    rules: netns.shape.rules.optional(),
    nsids: netns.shape.nsids.optional(),
  })
  .superRefine(noneGone(SAVED_USUAL.netns, ['neigh', 'netfilter', 'sockets', 'rules', 'nsids']));

const host = z.looseObject({
  id: str,
  hostname: str,
  rootNs: str,
  netns: z.record(str, str),
  files: z.record(str, z.looseObject({ type: z.enum(['file', 'dir', 'symlink']) })),
  processes: z.array(z.looseObject({ pid: z.number().int() })),
  nextPid: z.number().int(),
});

/** the world's state; `ns`: the shape of a namespace (whole, or as saved) */
const stateSchema = (ns: typeof netns | typeof savedNetns) => z
  .looseObject({
    version: z.literal(1),
    seed: num,
    clock: num,
    rng: num,
    hosts: z.record(str, host),
    namespaces: z.record(str, ns),
    segments: z.record(str, z.looseObject({ ports: z.array(z.looseObject({})), fdb: z.array(z.looseObject({})) })),
    nextNsSerial: num,
    nextSocketId: num,
    serial: num,
  })
  .superRefine((w, ctx) => {
    for (const [id, h] of Object.entries(w.hosts)) {
      if (!Object.hasOwn(w.namespaces, h.rootNs)) ctx.addIssue({ code: 'custom', path: ['hosts', id, 'rootNs'], message: `no namespace ${h.rootNs}` });
      for (const [name, ns] of Object.entries(h.netns)) if (!Object.hasOwn(w.namespaces, ns)) ctx.addIssue({ code: 'custom', path: ['hosts', id, 'netns', name], message: `no namespace ${ns}` });
    }
    for (const [id, ns] of Object.entries(w.namespaces)) if (!Object.hasOwn(w.hosts, ns.host)) ctx.addIssue({ code: 'custom', path: ['namespaces', id, 'host'], message: `no host ${ns.host}` });
  });

export const worldStateSchema = stateSchema(netns);
/** a version 2 save with its hosts expanded and its namespaces as saved */
const savedStateSchema = stateSchema(savedNetns);

/** The first problem of a saved world's JSON text, or null when it can be restored. */
export function worldProblem(json: string): string | null {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    return `not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  return worldDataProblem(data);
}

/** worldProblem of the parsed text. `expand`: check a version 2 save's namespaces expanded (the slow way, for tests). */
export function worldDataProblem(data: unknown, opts: { expand?: boolean } = {}): string | null {
  const saved = !opts.expand && typeof data === 'object' && data !== null && (data as { version?: unknown }).version === 2;
  // the saved form (version 2) stands for the whole state: its hosts are expanded (a few records), its namespaces
  // are checked as saved (what they expand to is valid exactly when the saved form passes savedNetns)
  const state = expandState(data, { namespaces: !saved });
  const r = (saved ? savedStateSchema : worldStateSchema).safeParse(state);
  if (r.success) return null;
  const i = r.error.issues[0]!;
  return `${i.path.join('.') || 'world'}: ${i.message}`;
}
