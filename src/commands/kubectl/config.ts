// kubectl config view|current-context|get-contexts|use-context|set-context over the kubeconfig file
// ($KUBECONFIG, else ~/.kube/config) of the simulated host.
import { parse } from 'yaml';
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import { UsageError } from './generators';
import { tabwrite } from './printers';
import { toYaml } from './yaml';
import { CREATE_FORMATS, outputSpec, printStructured } from './printers';
import { noServer } from './server';

export interface KubeConfig {
  apiVersion?: string;
  kind?: string;
  preferences?: Record<string, unknown>;
  clusters?: Array<{ name: string; cluster: Record<string, unknown> }> | null;
  contexts?: Array<{ name: string; context: { cluster?: string; user?: string; namespace?: string } }> | null;
  users?: Array<{ name: string; user: Record<string, unknown> }> | null;
  'current-context'?: string;
}

export function kubeconfigPath(ctx: Ctx): string {
  if (ctx.flags.str('kubeconfig')) return ctx.flags.str('kubeconfig');
  const env = ctx.io.env.KUBECONFIG;
  if (env) return env.split(':')[0]!;
  return `${ctx.io.env.HOME ?? '/root'}/.kube/config`;
}

const parsed = new Map<string, KubeConfig>();

/** The kubeconfig (parsed once per text: every kubectl command reads it). Callers get their own copy. */
export function loadKubeconfig(ctx: Ctx): KubeConfig | null {
  const text = ctx.sys.readFile(kubeconfigPath(ctx));
  if (text === null) return null;
  let c = parsed.get(text);
  if (!c) {
    try {
      const v = parse(text) as KubeConfig | null;
      c = v && typeof v === 'object' ? v : {};
    } catch {
      c = {};
    }
    if (parsed.size > 8) parsed.clear();
    parsed.set(text, c);
  }
  return structuredClone(c);
}

/** The context in use: --context, else current-context. */
export function currentContext(ctx: Ctx, cfg: KubeConfig | null): { name: string; cluster?: string; user?: string; namespace?: string } | null {
  const name = ctx.flags.str('context') || cfg?.['current-context'] || '';
  const c = cfg?.contexts?.find((x) => x.name === name);
  return c ? { name, ...c.context } : null;
}

const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const ordered_ = (o: Record<string, unknown>, order: string[]) => {
  const out: Record<string, unknown> = {};
  for (const k of order) if (o[k] !== undefined) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out;
};
const CLUSTER_ORDER = ['server', 'tls-server-name', 'insecure-skip-tls-verify', 'certificate-authority', 'certificate-authority-data', 'proxy-url', 'disable-compression', 'extensions'];
const USER_ORDER = ['client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'as', 'as-uid', 'as-groups', 'as-user-extra', 'username', 'password', 'auth-provider', 'exec', 'extensions'];

/** The kubeconfig as `kubectl config view` shows it: clientcmd's v1 Config (lists sorted by name, secrets redacted). */
function viewDoc(cfg: KubeConfig | null, ctx: Ctx): Record<string, unknown> {
  const c = cfg ?? {};
  const minify = ctx.flags.bool('minify');
  const raw = ctx.flags.bool('raw');
  const redact = (u: Record<string, unknown>) => {
    if (raw) return u;
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(u)) o[k] = /-data$/.test(k) ? 'DATA+OMITTED' : /^(token|password)$/.test(k) ? 'REDACTED' : v;
    return o;
  };
  const cur = c['current-context'] ?? '';
  const curCtx = c.contexts?.find((x) => x.name === cur);
  const pick = <T extends { name: string }>(xs: T[] | null | undefined, keep: (x: T) => boolean) => (xs ? byName(minify ? xs.filter(keep) : xs) : null);
  const clusters = pick(c.clusters, (x) => x.name === curCtx?.context.cluster);
  const users = pick(c.users, (x) => x.name === curCtx?.context.user);
  const contexts = pick(c.contexts, (x) => x.name === cur);
  return {
    kind: 'Config',
    apiVersion: 'v1',
    preferences: c.preferences ?? {},
    clusters: clusters ? clusters.map((x) => ({ name: x.name, cluster: ordered_(redact(x.cluster ?? {}), CLUSTER_ORDER) })) : null,
    users: users ? users.map((x) => ({ name: x.name, user: ordered_(redact(x.user ?? {}), USER_ORDER) })) : null,
    contexts: contexts ? contexts.map((x) => ({ name: x.name, context: ordered_(x.context ?? {}, ['cluster', 'user', 'namespace']) })) : null,
    'current-context': cur,
  };
}

export async function runConfig(ctx: Ctx): Promise<CmdResult> {
  const cfg = loadKubeconfig(ctx);
  const out = (s: string) => ordered([[1, s]], 0);
  switch (ctx.path) {
    case 'config view': {
      const spec = outputSpec(ctx.flags.str('output') || 'yaml', ctx.flags.str('template'), CREATE_FORMATS);
      return out(printStructured(viewDoc(cfg, ctx), spec));
    }
    case 'config current-context': {
      const cur = cfg?.['current-context'];
      if (!cur) throw new UsageError('current-context is not set');
      return out(cur + '\n');
    }
    case 'config get-contexts': {
      const cur = cfg?.['current-context'] ?? '';
      const all = cfg?.contexts ?? [];
      const wanted = ctx.args;
      const missing = wanted.filter((w) => !all.some((c) => c.name === w));
      const list = byName(wanted.length ? all.filter((c) => wanted.includes(c.name)) : all);
      if (ctx.flags.str('output') === 'name') return out(list.map((c) => c.name + '\n').join(''));
      const rows = [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']];
      for (const c of list) rows.push([c.name === cur ? '*' : '', c.name, c.context.cluster ?? '', c.context.user ?? '', c.context.namespace ?? '']);
      const table = ctx.flags.bool('no-headers') ? tabwrite(rows.slice(1)) : tabwrite(rows);
      if (missing.length) return ordered([[1, table], [2, missing.map((m) => `error: context ${m} not found\n`).join('')]], 1);
      return out(table);
    }
    case 'config use-context': {
      const name = ctx.args[0];
      if (!name) {
        const { helpText } = await import('./help');
        return ordered([[2, (helpText(ctx.path, ctx.sys.tty, ctx.sys.columns) ?? '') + 'error: Unexpected args: []\n']], 1);
      }
      if (!cfg?.contexts?.some((c) => c.name === name)) throw new UsageError(`no context exists with the name: "${name ?? ''}"`);
      cfg['current-context'] = name;
      save(ctx, cfg);
      return out(`Switched to context "${name}".\n`);
    }
    case 'config set-context': {
      const c = cfg ?? { apiVersion: 'v1', kind: 'Config', clusters: [], contexts: [], users: [], preferences: {} };
      let name = ctx.args[0];
      if (ctx.flags.bool('current')) {
        if (name) throw new UsageError("you cannot specify both a context name and --current");
        name = c['current-context'];
        if (!name) throw new UsageError('no current context is set');
      }
      if (!name) throw new UsageError('you must specify a non-empty context name or --current');
      c.contexts ??= [];
      let entry = c.contexts.find((x) => x.name === name);
      const existed = !!entry;
      if (!entry) {
        entry = { name, context: {} };
        c.contexts.push(entry);
      }
      for (const k of ['cluster', 'user', 'namespace'] as const) if (ctx.flags.has(k)) entry.context[k] = ctx.flags.str(k);
      save(ctx, c);
      return out(`Context "${name}" ${existed ? 'modified' : 'created'}.\n`);
    }
  }
  return noServer(ctx);
}

function save(ctx: Ctx, cfg: KubeConfig): void {
  ctx.sys.writeFile(kubeconfigPath(ctx), toYaml(cfg));
}
