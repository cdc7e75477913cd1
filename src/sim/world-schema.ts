// The shape a saved world must have to be restored (a terminal's save in the browser's storage is untrusted:
// edited, truncated or written by an older build). Checked when a session is restored from a save, not on the
// kernel's own copies (World.clone). Fields not named here pass through unchecked. A save in the compact form
// (compact.ts, version 2) is checked once expanded: what is checked is what the kernel will run on.
import { z } from './zod';
import { expandState } from './compact';

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
const host = z.looseObject({
  id: str,
  hostname: str,
  rootNs: str,
  netns: z.record(str, str),
  files: z.record(str, z.looseObject({ type: z.enum(['file', 'dir', 'symlink']) })),
  processes: z.array(z.looseObject({ pid: z.number().int() })),
  nextPid: z.number().int(),
});

export const worldStateSchema = z
  .looseObject({
    version: z.literal(1),
    seed: num,
    clock: num,
    rng: num,
    hosts: z.record(str, host),
    namespaces: z.record(str, netns),
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

/** The first problem of a saved world's JSON text, or null when it can be restored. */
export function worldProblem(json: string): string | null {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    return `not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  // the saved form (version 2) stands for the whole state: the shape checked is the state the kernel will run on
  data = expandState(data);
  const r = worldStateSchema.safeParse(data);
  if (r.success) return null;
  const i = r.error.issues[0]!;
  return `${i.path.join('.') || 'world'}: ${i.message}`;
}
