// The world's table of network namespaces, kept so that saving after a command costs what the command touched,
// not what the world holds (issue 19: 5,000 namespaces; issue 17: 1,000-namespace snapshot and restore).
//
// `world.state.namespaces` is a Proxy over the plain table. Every namespace the kernel, a tool or a check reaches
// through it (read, written, added, deleted) is marked; World.snapshot() encodes again only the marked ones and
// reuses the saved text of the others. A namespace restored from a save stays in its saved form until something
// reaches it (then it is expanded, compact.ts), so restoring a big world parses it and little more.
//
// A host's own namespace saves its netfilter tables as the first host namespace's difference (compact.ts
// shareNetfilter): when that one's tables change, the others are saved again (from their saved form if not reached);
// a restored table reads such differences back first, while the first one is still as saved.
//
// The contract this relies on: a Netns object is changed only while it was reached through the table since the
// last snapshot (code does not keep a namespace object from one command to the next). World.checkSnapshots
// (tests and the fuzzer) compares every incremental snapshot with a whole one and throws on a difference.
import type { Netns, NsId } from './types';
import { baseNsId, compactNetns, expandNetns, resolveNetfilter, savedNsText, shareNetfilter, trackSysctls } from './compact';

export class NsTable {
  /** the plain table (values: Netns, or the saved form of a namespace not reached yet) */
  readonly raw: Record<NsId, Netns>;
  /** what code sees as world.state.namespaces */
  readonly view: Record<NsId, Netns>;
  /** reached since the last snapshot */
  private touched = new Set<string>();
  /** still in their saved form */
  private lazy = new Set<string>();
  /** the saved text of each namespace as of the last snapshot */
  private texts = new Map<string, string>();
  /** namespaces encoded by snapshots so far (what a snapshot costs, for tests) */
  encoded = 0;
  /** the last text savedText() gave (null: something changed since) */
  private joined: string | null = null;

  /** the namespace whose netfilter the other host namespaces' is saved against, and its saved netfilter's text */
  private base: { id: string | null; nfText: string | undefined; nf: unknown } = { id: null, nfText: undefined, nf: undefined };

  constructor(table: Record<NsId, unknown>, saved: boolean) {
    this.raw = table as Record<NsId, Netns>;
    // a saved netfilter that is another namespace's difference is read back now, while that one is as saved
    if (saved) {
      const resolved: [string, unknown][] = [];
      for (const id of Object.keys(table)) {
        const c = resolveNetfilter(table, table[id]);
        if (c !== table[id]) resolved.push([id, c]);
      }
      for (const [id, c] of resolved) table[id] = c;
    }
    for (const id of Object.keys(table)) (saved ? this.lazy : this.touched).add(id);
    const reach = (id: string | symbol): void => {
      if (typeof id !== 'string') return;
      if (this.lazy.has(id)) {
        this.lazy.delete(id);
        this.raw[id] = expandNetns(this.raw[id]) as Netns;
      }
      this.touched.add(id);
    };
    this.view = new Proxy(this.raw, {
      get: (t, k, r) => {
        if (typeof k === 'string' && Object.hasOwn(t, k)) reach(k);
        return Reflect.get(t, k, r);
      },
      getOwnPropertyDescriptor: (t, k) => {
        reach(k);
        return Reflect.getOwnPropertyDescriptor(t, k);
      },
      set: (t, k, v) => {
        reach(k);
        this.lazy.delete(k as string);
        // (an assignment: defineProperty on a table of thousands is several times slower; `__proto__` is defined)
        if (typeof k === 'string' && k !== '__proto__') {
          t[k] = v as Netns;
          return true;
        }
        return Reflect.defineProperty(t, k, { value: v, writable: true, enumerable: true, configurable: true });
      },
      defineProperty: (t, k, d) => {
        reach(k);
        this.lazy.delete(k as string);
        return Reflect.defineProperty(t, k, d);
      },
      deleteProperty: (t, k) => {
        reach(k);
        return Reflect.deleteProperty(t, k);
      },
    });
  }

  /**
   * A namespace to READ without marking it (a walk over a bridge's thousand ports reads as many namespaces and
   * changes none of them): nothing may be changed in it; a namespace still in its saved form is expanded (and
   * marked). Code that then changes it reaches it through the table first (world.ns(id)).
   */
  peek(id: string): Netns | undefined {
    if (this.lazy.size && this.lazy.has(id)) return this.view[id];
    return Object.hasOwn(this.raw, id) ? this.raw[id] : undefined;
  }

  /**
   * `"namespaces"`'s saved text: the marked namespaces encoded again, the others as they were saved. `changed`:
   * the text differs from the last one (a namespace saves differently, or one was added or deleted).
   */
  savedText(): { text: string; changed: boolean } {
    let changed = this.joined === null;
    // the host namespaces' netfilter is saved against the first one's (compact.ts shareNetfilter): when that one's
    // changes (or another becomes the first), they are saved again
    const baseId = baseNsId(this.raw);
    const compact = new Map<string, unknown>();
    const saved = (id: string): unknown => {
      let c = compact.get(id);
      if (c === undefined) {
        const ns = this.raw[id]!;
        if (this.lazy.has(id)) c = ns;
        else {
          trackSysctls(ns); // (from now on its sysctls' difference is kept until they are written)
          c = compactNetns(ns);
          this.encoded++;
        }
        compact.set(id, c);
      }
      return c;
    };
    if (baseId !== null && (this.touched.has(baseId) || baseId !== this.base.id)) {
      const nf = (saved(baseId) as { netfilter?: unknown }).netfilter;
      const nfText = JSON.stringify(nf);
      if (baseId !== this.base.id || nfText !== this.base.nfText) {
        this.base = { id: baseId, nfText, nf };
        for (const id of Object.keys(this.raw)) if ((this.raw[id] as { name?: unknown }).name === null) this.touched.add(id);
      }
    } else if (baseId === null) this.base = { id: null, nfText: undefined, nf: undefined };
    for (const id of this.touched) {
      const ns = Object.hasOwn(this.raw, id) ? this.raw[id] : undefined;
      const old = this.texts.get(id);
      if (ns === undefined) {
        if (old !== undefined || this.lazy.delete(id)) changed = true;
        this.texts.delete(id);
        continue;
      }
      const text = savedNsText(shareNetfilter(saved(id), this.base.id, this.base.nf));
      if (text !== old) changed = true;
      this.texts.set(id, text);
    }
    this.touched.clear();
    if (!changed && this.joined !== null) return { text: this.joined, changed: false };
    const parts: string[] = [];
    for (const id of Object.keys(this.raw)) {
      let text = this.texts.get(id);
      if (text === undefined) {
        // a namespace in its saved form, never reached: its text is that form
        text = savedNsText(shareNetfilter(saved(id), this.base.id, this.base.nf));
        this.texts.set(id, text);
      }
      parts.push(`${JSON.stringify(id)}:${text}`);
    }
    this.joined = `{${parts.join(',')}}`;
    return { text: this.joined, changed: true };
  }

  /** every namespace expanded, without marking any (for a whole copy, or a whole snapshot to check against) */
  plain(): Record<NsId, Netns> {
    const out: Record<NsId, Netns> = {};
    for (const id of Object.keys(this.raw)) {
      if (this.lazy.delete(id)) this.raw[id] = expandNetns(this.raw[id]) as Netns;
      Object.defineProperty(out, id, { value: this.raw[id], writable: true, enumerable: true, configurable: true });
    }
    return out;
  }
}
