// The verbs that change objects: delete, label, annotate, scale, set image, expose, run, and the
// discovery-side ones (api-resources, cluster-info).
import { own, setOwn } from '../../sim/own';
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import { StatusError, type Api, type KObject, type ResourceInfo } from '../../k8s/api';
import { parseLabelSelector, type Requirement } from '../../k8s/api/selectors';
import { nextClusterEvent } from '../../k8s/cluster';
import { call, qualifiedName, resourceFor, ServerError, sortedCopy } from './client';
import { targetsOf, type Target } from './get';
import { checkAttachable, attachToRun } from './attach';
import { runAttaches } from './precheck';
import { UsageError, meta, type Obj } from './generators';
import { CREATE_FORMATS, outputSpec, printStructured, tabwrite } from './printers';
import { dryRunOf, saveConfig } from './create';
import { currentContext, loadKubeconfig } from './config';
import { deleteFromFiles } from './replace';
import { jsonPatch, mergePatch, strategicMergePatch, type JsonPatchOp } from '../../k8s/api/patch';
import { loadChunk } from '../../sim/chunks';
import { loadOpenApi } from '../../k8s/openapi/openapi';
import { pruneUnknownFields } from '../../k8s/openapi/validate';

type Any = Record<string, any>;

/** The objects named by the arguments (or selected by -l / --all). */
function objectsOf(ctx: Ctx, api: Api, t: Target, opts: { all?: boolean; selector?: string }): KObject[] {
  const ns = t.info.namespaced ? (ctx.flags.bool('all-namespaces') ? null : ctx.namespace) : null;
  if (t.names.length) return t.names.map((n) => call(() => api.get(t.info.resource, ns, n)));
  if (opts.selector !== undefined || opts.all) return call(() => api.list(t.info.resource, ns, { labelSelector: opts.selector || undefined }).items);
  return [];
}

const suffix = (dry: string) => (dry === 'client' ? ' (dry run)' : dry === 'server' ? ' (server dry run)' : '');

/** Move the world's clock to the cluster's next event until `done` (kubectl waiting on the server), at most `limitMs`. */
export function waitFor(ctx: Ctx, api: Api, done: () => boolean, limitMs = 120_000): boolean {
  const w = ctx.sys.world;
  const end = w.now() + limitMs;
  for (let i = 0; i < 1000 && !done(); i++) {
    const next = nextClusterEvent(w);
    if (next === null || next > end) return done();
    if (next > w.now()) w.advance(next - w.now());
    api.list('namespaces', null);
  }
  return done();
}

export async function runDelete(ctx: Ctx, api: Api): Promise<CmdResult> {
  const fromFiles = await deleteFromFiles(ctx, api);
  if (fromFiles) return fromFiles;
  const f = ctx.flags;
  const dry = dryRunOf(ctx);
  const all = f.bool('all');
  const selector = f.str('selector');
  const targets = targetsOf(api, ctx.args);
  if (!targets.length) throw new UsageError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  if (targets.every((t) => !t.names.length) && !all && !selector && !f.str('field-selector')) {
    throw new UsageError('resource(s) were provided, but no name was specified');
  }
  const out: Array<[1 | 2, string]> = [];
  const errs: string[] = [];
  const grace = f.bool('now') ? 1 : f.int('grace-period');
  const force = f.bool('force');
  if (force && grace === 0) out.push([2, 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n']);
  let found = 0;
  const pending: Array<() => boolean> = [];
  for (const t of targets) {
    const ns = t.info.namespaced ? (f.bool('all-namespaces') ? null : ctx.namespace) : null;
    let objs: KObject[];
    if (t.names.length) {
      objs = [];
      for (const n of t.names) {
        const o = api.tryGet(t.info.resource, ns, n);
        if (o) objs.push(o);
        else if (!f.bool('ignore-not-found')) errs.push(`Error from server (NotFound): ${t.info.group ? t.info.resource + '.' + t.info.group : t.info.resource} "${n}" not found\n`);
      }
    } else objs = call(() => api.list(t.info.resource, ns, { labelSelector: selector || undefined, fieldSelector: f.str('field-selector') || undefined }).items);
    for (const o of objs) {
      found++;
      const name = o.metadata.name!;
      const onlyPending = o.metadata.deletionTimestamp !== undefined;
      call(() => api.delete(t.info.resource, o.metadata.namespace ?? null, name, { dryRun: dry !== 'none', ...(grace >= 0 ? { gracePeriodSeconds: force && grace === 0 ? 0 : grace } : {}), propagationPolicy: f.str('cascade') === 'orphan' ? 'Orphan' : f.str('cascade') === 'foreground' ? 'Foreground' : 'Background' }));
      void onlyPending;
      const kind = `${t.info.singular}${t.info.group ? '.' + t.info.group : ''}`;
      out.push([1, `${kind} "${name}" ${force && grace === 0 ? 'force deleted' : 'deleted'}${suffix(dry)}\n`]);
      if (dry === 'none' && f.bool('wait')) pending.push(() => !api.peek(t.info.resource, o.metadata.namespace ?? null, name));
    }
  }
  if (!found && !errs.length) out.push([2, 'No resources found\n']);
  if (pending.length) waitFor(ctx, api, () => pending.every((p) => p()), (f.str('timeout') === '0s' ? 7 * 24 * 3600 : 3600) * 1000);
  for (const e of errs) out.push([2, e]);
  return ordered(out, errs.length ? 1 : 0);
}

function parseKV(args: string[], what: 'label' | 'annotation'): { set: Record<string, string>; remove: string[]; resources: string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const resources: string[] = [];
  for (const a of args) {
    if (a.endsWith('-') && !a.includes('=')) remove.push(a.slice(0, -1));
    else if (a.includes('=')) {
      const i = a.indexOf('=');
      const k = a.slice(0, i);
      const v = a.slice(i + 1);
      if (what === 'label' && v !== '' && !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)) throw new UsageError(`invalid label value: "${a}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`);
      setOwn(set, k, v);
    } else resources.push(a);
  }
  return { set, remove, resources };
}

async function runMeta(ctx: Ctx, api: Api, what: 'label' | 'annotation'): Promise<CmdResult> {
  const f = ctx.flags;
  const dry = dryRunOf(ctx);
  const { set, remove, resources } = parseKV(ctx.args, what);
  const spec = outputSpec(f.str('output'), f.str('template'), CREATE_FORMATS);
  if (!Object.keys(set).length && !remove.length && !f.bool('list')) throw new UsageError(`at least one ${what} update is required`);
  const targets = targetsOf(api, resources);
  if (!targets.length) throw new UsageError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  const out: Array<[1 | 2, string]> = [];
  const field = what === 'label' ? 'labels' : 'annotations';
  const verb = what === 'label' ? 'labeled' : 'annotated';
  for (const t of targets) {
    const objs = objectsOf(ctx, api, t, { all: f.bool('all'), selector: f.str('selector') || (f.bool('all') ? '' : undefined) });
    for (const o of objs) {
      const cur = { ...((o.metadata[field] as Record<string, string>) ?? {}) };
      for (const [k, v] of Object.entries(set)) {
        if (Object.hasOwn(cur, k) && cur[k] !== v && !f.bool('overwrite')) throw new UsageError(`'${k}' already has a value (${cur[k]}), and --overwrite is false`);
      }
      let changed = false;
      for (const [k, v] of Object.entries(set)) {
        if (own(cur, k) !== v) changed = true;
        setOwn(cur, k, v);
      }
      for (const k of remove) {
        if (Object.hasOwn(cur, k)) {
          changed = true;
          delete cur[k];
        }
      }
      let result: KObject = o;
      if (changed) {
        const patch = { metadata: { [field]: { ...Object.fromEntries(Object.entries(set)), ...Object.fromEntries(remove.map((k) => [k, null])) } } };
        result = call(() => api.patch(t.info.resource, o.metadata.namespace ?? null, o.metadata.name!, 'merge', patch, { dryRun: dry !== 'none' }));
      }
      if (spec.kind !== 'default') {
        out.push([1, printStructured(sortedCopy(result) as Obj, spec)]);
        continue;
      }
      // kubectl: a change that leaves fewer labels, without --overwrite, reads "unlabeled"
      const before = Object.keys((o.metadata[field] as Record<string, string>) ?? {}).length;
      const msg = !changed ? `not ${verb}` : what === 'label' && !f.bool('overwrite') && Object.keys(cur).length < before ? 'unlabeled' : verb;
      out.push([1, `${qualifiedName(t.info, o.metadata.name!)} ${msg}${suffix(dry)}\n`]);
    }
  }
  return ordered(out, 0);
}

export const runLabel = (ctx: Ctx, api: Api) => runMeta(ctx, api, 'label');
export const runAnnotate = (ctx: Ctx, api: Api) => runMeta(ctx, api, 'annotation');

export async function runScale(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  const dry = dryRunOf(ctx);
  const replicas = f.int('replicas');
  if (replicas < 0) throw new UsageError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const targets = targetsOf(api, ctx.args);
  if (!targets.length) throw new UsageError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  const out: Array<[1 | 2, string]> = [];
  for (const t of targets) {
    if (!['deployments', 'replicasets', 'statefulsets', 'replicationcontrollers'].includes(t.info.resource)) {
      throw new ServerError(`error: no objects passed to scale ${t.info.group ? t.info.resource + '.' + t.info.group : t.info.resource} "${t.names[0] ?? ''}" is not scalable\n`);
    }
    for (const o of objectsOf(ctx, api, t, { all: f.bool('all'), selector: f.str('selector') || undefined })) {
      const cur = f.int('current-replicas');
      if (cur >= 0 && (o as Any).spec?.replicas !== cur) throw new ServerError(`error: Expected replicas to be ${cur}, was ${(o as Any).spec?.replicas}\n`);
      call(() => api.patch(t.info.resource, o.metadata.namespace ?? null, o.metadata.name!, 'merge', { spec: { replicas } }, { dryRun: dry !== 'none' }));
      out.push([1, `${qualifiedName(t.info, o.metadata.name!)} scaled${suffix(dry)}\n`]);
    }
  }
  return ordered(out, 0);
}

export async function runSetImage(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  const dry = dryRunOf(ctx);
  const pairs: Record<string, string> = {};
  const res: string[] = [];
  for (const a of ctx.args) {
    if (a.includes('=')) pairs[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
    else res.push(a);
  }
  if (!Object.keys(pairs).length) throw new UsageError('at least one image update is required');
  const targets = targetsOf(api, res);
  const out: Array<[1 | 2, string]> = [];
  for (const t of targets) {
    for (const o of objectsOf(ctx, api, t, { all: f.bool('all'), selector: f.str('selector') || undefined })) {
      const spec = t.info.resource === 'pods' ? (o as Any).spec : (o as Any).spec?.template?.spec;
      const containers: Any[] = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
      let changed = false;
      for (const [name, image] of Object.entries(pairs)) {
        const hits = name === '*' ? containers : containers.filter((c) => c.name === name);
        if (!hits.length) throw new UsageError(`unable to find container named "${name}"`);
        for (const c of hits) {
          if (c.image !== image) changed = true;
          c.image = image;
        }
      }
      if (changed) call(() => api.update(o, { dryRun: dry !== 'none' }));
      out.push([1, `${qualifiedName(t.info, o.metadata.name!)} image updated${suffix(dry)}\n`]);
    }
  }
  return ordered(out, 0);
}

/** kubectl set selector: a Service's spec.selector replaced by the given equality-based selector. */
export async function runSetSelector(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  const dry = dryRunOf(ctx);
  const spec = outputSpec(f.str('output'), f.str('template'), CREATE_FORMATS);
  if (!ctx.args.length) throw new UsageError('one selector is required');
  const text = ctx.args[ctx.args.length - 1]!;
  // metav1.ParseToLabelSelector: labels.Parse (requirements sorted by key), then matchLabels / matchExpressions
  let reqs: Requirement[];
  try {
    reqs = parseLabelSelector(text);
  } catch (e) {
    const m = e instanceof StatusError ? e.status.message : String(e);
    throw new UsageError(`couldn't parse the selector string "${text}": ${/expected: ',' or 'end of string'$/.test(m) ? m.replace(/^unable to parse requirement: /, '') : m}`);
  }
  reqs = [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const matchLabels: Record<string, string> = {};
  const exprs: string[] = [];
  for (const r of reqs) {
    if (r.op === '=') matchLabels[r.key] = r.values[0] ?? '';
    else if (r.op === '!=') throw new UsageError(`"!=" is not a valid label selector operator`);
    else exprs.push(`{${r.key} ${r.op === 'in' ? 'In' : r.op === 'notin' ? 'NotIn' : r.op === 'exists' ? 'Exists' : 'DoesNotExist'} [${[...r.values].sort().join(' ')}]}`);
  }
  const targets = targetsOf(api, ctx.args.slice(0, -1));
  if (!targets.length) throw new UsageError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  if (targets.some((t) => !t.names.length) && !f.bool('all')) throw new UsageError('resource(s) were provided, but no name was specified');
  const out: Array<[1 | 2, string]> = [];
  const printed: Obj[] = [];
  for (const t of targets) {
    for (const o of objectsOf(ctx, api, t, { all: f.bool('all') })) {
      if (t.info.resource !== 'services') throw new UsageError('setting a selector is only supported for Services');
      if (exprs.length) throw new UsageError(`match expression [${exprs.join(' ')}] not supported on this object`);
      const next = o as Any;
      next.spec = { ...(next.spec ?? {}), selector: matchLabels };
      if (f.str('resource-version')) next.metadata.resourceVersion = f.str('resource-version');
      const saved = dry === 'client' ? next : (call(() => api.update(next as KObject, { dryRun: dry === 'server' })) as Any);
      if (spec.kind === 'default') out.push([1, `${qualifiedName(t.info, o.metadata.name!)} selector updated${suffix(dry)}\n`]);
      else printed.push(sortedCopy(saved) as Obj);
    }
  }
  if (printed.length === 1) out.push([1, printStructured(printed[0]!, spec)]);
  else if (printed.length) out.push([1, printStructured({ apiVersion: 'v1', items: printed, kind: 'List', metadata: { resourceVersion: '' } }, spec)]);
  return ordered(out, 0);
}

/** The selector and ports `kubectl expose` reads from an object. */
function exposeSource(o: Any, info: ResourceInfo): { selector: Record<string, string>; ports: Any[] } {
  let selector: Record<string, string> | undefined;
  let podSpec: Any | undefined;
  switch (info.resource) {
    case 'pods':
      selector = o.metadata.labels;
      podSpec = o.spec;
      break;
    case 'services':
      selector = o.spec?.selector;
      return { selector: selector ?? {}, ports: (o.spec?.ports ?? []).map((p: Any) => ({ port: p.port, protocol: p.protocol, targetPort: p.targetPort })) };
    case 'deployments':
    case 'replicasets':
    case 'daemonsets': {
      const sel = o.spec?.selector;
      if (sel?.matchExpressions?.length) throw new UsageError(`couldn't convert expressions - "${sel.matchExpressions.map((e: Any) => `${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`).join(',')}" to map-based selector format`);
      selector = sel?.matchLabels;
      podSpec = o.spec?.template?.spec;
      break;
    }
    default:
      throw new UsageError(`cannot expose a ${info.kind}`);
  }
  const ports: Any[] = [];
  for (const c of podSpec?.containers ?? []) for (const p of c.ports ?? []) ports.push({ port: p.containerPort, protocol: p.protocol ?? 'TCP', name: p.name });
  return { selector: selector ?? {}, ports };
}

export async function runExpose(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  const dry = dryRunOf(ctx);
  const spec = outputSpec(f.str('output'), f.str('template'), CREATE_FORMATS);
  const targets = targetsOf(api, ctx.args);
  const t = targets[0];
  if (!t || !t.names.length) throw new UsageError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  const o = call(() => api.get(t.info.resource, t.info.namespaced ? ctx.namespace : null, t.names[0]!)) as Any;
  const src = exposeSource(o, t.info);
  const selector = f.str('selector') ? Object.fromEntries(f.str('selector').split(',').map((kv) => kv.split('=') as [string, string])) : src.selector;
  if (!Object.keys(selector).length && t.info.resource !== 'services') throw new UsageError(`couldn't retrieve selectors via --selector flag or introspection: the ${t.info.kind.toLowerCase()} has no labels`);
  const protocol = f.str('protocol') || undefined;
  let ports: Any[];
  if (f.str('port')) {
    ports = f.str('port').split(',').map((p) => ({ port: Number(p) }));
  } else {
    ports = src.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol }));
    if (!ports.length) throw new UsageError("couldn't find port via --port flag or introspection");
  }
  const target = f.str('target-port');
  const svcPorts = ports.map((p, i) => {
    const out: Any = {};
    if (ports.length > 1) out.name = p.name ?? `port-${i + 1}`;
    out.protocol = protocol ?? p.protocol ?? 'TCP';
    out.port = p.port;
    out.targetPort = target ? (/^\d+$/.test(target) ? Number(target) : target) : p.port;
    return out;
  });
  const name = f.str('name') || o.metadata.name;
  const labels = f.str('labels') ? Object.fromEntries(f.str('labels').split(',').map((kv) => kv.split('=') as [string, string])) : { ...(o.metadata.labels ?? {}) };
  const svcSpec: Any = { ports: svcPorts, selector };
  if (f.str('type')) svcSpec.type = f.str('type');
  if (f.str('cluster-ip')) svcSpec.clusterIP = f.str('cluster-ip');
  if (f.str('external-ip')) svcSpec.externalIPs = [f.str('external-ip')];
  if (f.str('load-balancer-ip')) svcSpec.loadBalancerIP = f.str('load-balancer-ip');
  const svc: Obj = { kind: 'Service', apiVersion: 'v1', metadata: meta(name, ctx.enforceNamespace ? ctx.namespace : null, { labels }), spec: svcSpec, status: { loadBalancer: {} } };
  if (f.bool('save-config')) saveConfig(svc);
  if (dry === 'client') return ordered([[1, spec.kind === 'default' ? `service/${name} exposed (dry run)\n` : printStructured(svc, spec)]], 0);
  const created = call(() => api.create(svc, { namespace: ctx.namespace, dryRun: dry === 'server' }));
  return ordered([[1, spec.kind === 'default' ? `service/${name} exposed${suffix(dry)}\n` : printStructured(sortedCopy(created) as Obj, spec)]], 0);
}

/** encoding/json's syntax error for text JSON.parse refused (its scanner's wording). */
export function goJsonSyntaxError(text: string): string {
  let i = 0;
  const ch = () => text[i];
  const q = (c: string | undefined) => (c === undefined ? null : `invalid character '${c === "'" ? "\\'" : c}'`);
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  class Stop extends Error {}
  const fail = (msg: string | null): never => {
    throw new Stop(msg ?? 'unexpected end of JSON input');
  };
  const value = (): void => {
    ws();
    const c = ch();
    if (c === '{') {
      i++;
      ws();
      if (ch() === '}') return void i++;
      for (;;) {
        ws();
        if (ch() !== '"') fail(q(ch()) && `${q(ch())} looking for beginning of object key string`);
        str();
        ws();
        if (ch() !== ':') fail(q(ch()) && `${q(ch())} after object key`);
        i++;
        value();
        ws();
        if (ch() === ',') i++;
        else if (ch() === '}') return void i++;
        else fail(q(ch()) && `${q(ch())} after object key:value pair`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (ch() === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (ch() === ',') i++;
        else if (ch() === ']') return void i++;
        else fail(q(ch()) && `${q(ch())} after array element`);
      }
    }
    if (c === '"') return str();
    const lit = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (lit) return void (i += lit[0].length);
    fail(q(c) && `${q(c)} looking for beginning of value`);
  };
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail(null);
    i++;
  };
  try {
    value();
    ws();
    if (i < text.length) return `${q(ch())} after top-level value`;
    return 'unexpected end of JSON input';
  } catch (e) {
    if (e instanceof Stop) return e.message;
    throw e;
  }
}

/**
 * --overrides: kubectl run patches the generated Pod's JSON (a JSON merge patch by default, or a JSON or a
 * strategic merge patch by --override-type), then decodes it back into a Pod: fields a Pod does not have are
 * dropped.
 */
async function withOverrides(pod: Obj, text: string, type: string): Promise<Obj> {
  if (!['json', 'merge', 'strategic'].includes(type)) throw new UsageError(`invalid override type: ${type}`);
  let patch: unknown;
  try {
    patch = JSON.parse(text);
  } catch {
    throw new UsageError(type === 'merge' ? 'Invalid JSON Patch' : type === 'json' ? goJsonSyntaxError(text) : 'invalid JSON document');
  }
  let out: unknown;
  if (type === 'merge') out = mergePatch(structuredClone(pod), patch);
  else if (type === 'strategic') out = strategicMergePatch(structuredClone(pod), patch);
  else {
    if (!Array.isArray(patch)) throw new UsageError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    out = jsonPatch(structuredClone(pod), patch as JsonPatchOp[]);
  }
  await loadChunk('kubectl', loadOpenApi);
  const pod2 = pruneUnknownFields(out as Obj) as Any;
  // decoded into Go structs: a container's resources (a struct, not a pointer) is always there
  for (const c of [...(pod2.spec?.containers ?? []), ...(pod2.spec?.initContainers ?? [])]) if (c && typeof c === 'object') c.resources ??= {};
  return pod2 as Obj;
}

export async function runRun(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  const dash = f.parsed.dash;
  const names = dash >= 0 ? ctx.args.slice(0, dash) : ctx.args;
  const rest = dash >= 0 ? ctx.args.slice(dash) : [];
  if (names.length < 1) throw new UsageError('NAME is required for run', true);
  const name = names[0]!;
  const extra = names.slice(1);
  const dry = dryRunOf(ctx);
  const spec = outputSpec(f.str('output'), f.str('template'), CREATE_FORMATS);
  // checked before anything is sent (precheck.ts: runChecks)
  const restart = f.str('restart') || 'Always';
  const interactive = f.bool('stdin');
  const attach = runAttaches(ctx);
  const labels = f.str('labels') ? Object.fromEntries(f.str('labels').split(',').map((kv) => kv.split('=') as [string, string])) : { run: name };
  const container: Any = { name, image: f.str('image') };
  const args = [...extra, ...rest];
  if (args.length) container[f.bool('command') ? 'command' : 'args'] = args;
  const env = f.list('env');
  if (env.length) container.env = env.map((e) => ({ name: e.slice(0, e.indexOf('=')), value: e.slice(e.indexOf('=') + 1) }));
  if (f.str('port')) container.ports = [{ containerPort: Number(f.str('port')) }];
  if (f.str('image-pull-policy')) container.imagePullPolicy = f.str('image-pull-policy');
  container.resources = {};
  if (interactive) Object.assign(container, { stdin: true, stdinOnce: !f.bool('leave-stdin-open') });
  if (f.bool('tty')) container.tty = true;
  // in the order of Go's PodSpec (what -o json prints)
  const podSpec: Any = { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' };
  let pod: Obj = { kind: 'Pod', apiVersion: 'v1', metadata: meta(name, ctx.enforceNamespace ? ctx.namespace : null, { labels }), spec: podSpec, status: {} };
  if (f.str('overrides')) pod = await withOverrides(pod, f.str('overrides'), f.str('override-type') || 'merge');
  if (attach) checkAttachable(pod);
  const out: Array<[1 | 2, string]> = [];
  const made: KObject[] = [];
  if (f.bool('expose')) {
    const svc: Obj = { kind: 'Service', apiVersion: 'v1', metadata: meta(name, ctx.enforceNamespace ? ctx.namespace : null), spec: { ports: [{ port: Number(f.str('port')), protocol: 'TCP', targetPort: Number(f.str('port')) }], selector: labels }, status: { loadBalancer: {} } };
    if (dry === 'client') out.push([1, spec.kind === 'default' ? `service/${name} created (dry run)\n` : printStructured(svc, spec)]);
    else {
      made.push(call(() => api.create(svc, { namespace: ctx.namespace, dryRun: dry === 'server' })));
      out.push([1, `service/${name} created${suffix(dry)}\n`]);
    }
  }
  if (dry === 'client') {
    out.push([1, spec.kind === 'default' ? `pod/${name} created (dry run)\n` : printStructured(pod, spec)]);
    return ordered(out, 0);
  }
  const created = call(() => api.create(pod, { namespace: ctx.namespace, dryRun: dry === 'server' }));
  // attached: nothing is printed about the objects, only what the container writes
  if (attach) return attachToRun(ctx, api, created, [created, ...made]);
  out.push([1, spec.kind === 'default' ? `pod/${name} created${suffix(dry)}\n` : printStructured(sortedCopy(created) as Obj, spec)]);
  return ordered(out, 0);
}

export async function runApiResources(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  let list = api.resources();
  if (f.has('namespaced')) list = list.filter((r) => r.namespaced === f.bool('namespaced'));
  if (f.str('api-group') || f.has('api-group')) list = list.filter((r) => r.group === f.str('api-group'));
  const verbs = f.list('verbs', true);
  if (verbs.length) list = list.filter((r) => verbs.every((v) => r.verbs.includes(v)));
  const cats = f.list('categories', true);
  if (cats.length) list = list.filter((r) => cats.some((c) => r.categories.includes(c)));
  const sortBy = f.str('sort-by');
  list = [...list].sort((a, b) => (sortBy === 'kind' ? a.kind.localeCompare(b.kind) : sortBy === 'name' ? a.resource.localeCompare(b.resource) : a.group.localeCompare(b.group) || a.resource.localeCompare(b.resource)));
  const gv = (r: ResourceInfo) => (r.group ? `${r.group}/${r.version}` : r.version);
  const o = f.str('output');
  if (o === 'name') return ordered([[1, list.map((r) => (r.group ? `${r.resource}.${r.group}` : r.resource) + '\n').join('')]], 0);
  const header = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'];
  if (o === 'wide') header.push('VERBS', 'CATEGORIES');
  const rows = list.map((r) => {
    const row = [r.resource, r.shortNames.join(','), gv(r), String(r.namespaced), r.kind];
    if (o === 'wide') row.push(r.verbs.join(','), r.categories.join(','));
    return row;
  });
  return ordered([[1, tabwrite(f.bool('no-headers') ? rows : [header, ...rows])]], 0);
}

export async function runClusterInfo(ctx: Ctx, api: Api): Promise<CmdResult> {
  const cfg = loadKubeconfig(ctx);
  const cur = currentContext(ctx, cfg);
  const server = (cfg?.clusters?.find((c) => c.name === cur?.cluster)?.cluster?.server as string | undefined) ?? 'http://localhost:8080';
  let text = `Kubernetes control plane is running at ${server}\n`;
  for (const s of api.list('services', 'kube-system', { labelSelector: 'kubernetes.io/cluster-service=true' }).items) {
    const name = (s.metadata.labels as Record<string, string> | undefined)?.['kubernetes.io/name'] ?? s.metadata.name;
    const port = (s as Any).spec?.ports?.[0];
    const suffixPort = port?.name ? `:${port.name}` : '';
    text += `${name} is running at ${server}/api/v1/namespaces/kube-system/services/${s.metadata.name}${suffixPort}/proxy\n`;
  }
  text += "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";
  return ordered([[1, text]], 0);
}

export function infoOf(api: Api, typed: string): ResourceInfo {
  return resourceFor(api, typed);
}
