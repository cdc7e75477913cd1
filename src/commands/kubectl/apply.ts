// kubectl apply -f (files, directories, `-` for stdin) and create -f: manifests read with a real YAML parser,
// objects mapped to resources, then created (apply records the last-applied-configuration annotation) or,
// for apply, patched with the three-way merge of the last applied configuration, the new one and the live
// object ("configured", or "unchanged" when nothing would change).
import { parseAllDocuments } from 'yaml';
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import { infoForKind, type Api, type KObject, type ResourceInfo } from '../../k8s/api';
import { call, qualifiedName, ServerError, sortedCopy } from './client';
import { UsageError, type Obj } from './generators';
import { CREATE_FORMATS, outputSpec, printStructured } from './printers';
import { dryRunOf, fieldValidation, validateFields } from './create';
import { loadChunk } from '../../sim/chunks';
import { loadOpenApi } from '../../k8s/openapi/openapi';

type Any = Record<string, any>;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

interface Source {
  name: string;
  objects: Any[];
}

export async function readSources(ctx: Ctx, files: string[], recursive: boolean): Promise<Source[]> {
  const out: Source[] = [];
  const abs = (p: string) => (p.startsWith('/') ? p : `${ctx.io.cwd.replace(/\/$/, '')}/${p}`);
  const parse = (name: string, text: string) => {
    const objects: Any[] = [];
    try {
      for (const doc of parseAllDocuments(text)) {
        if ('errors' in doc && doc.errors.length) throw new Error(doc.errors[0]!.message);
        const v = doc.toJSON() as Any | null;
        if (v === null || v === undefined) continue;
        if (v.kind === 'List' && Array.isArray(v.items)) objects.push(...v.items);
        else objects.push(v);
      }
    } catch (e) {
      throw new UsageError(`error parsing ${name}: error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    out.push({ name, objects });
  };
  const visit = async (p: string, top: boolean) => {
    if (p === '-') return parse('STDIN', ctx.io.stdin);
    const text = ctx.sys.readFile(abs(p));
    if (text !== null) return parse(p, text);
    const ls = await ctx.io.exec(`ls -1A ${JSON.stringify(abs(p))} 2>/dev/null`);
    if (ls.exitCode !== 0 || (!top && !recursive)) {
      if (top) throw new UsageError(`the path "${p}" does not exist`);
      return;
    }
    for (const entry of ls.stdout.split('\n').filter(Boolean).sort()) {
      const child = `${p.replace(/\/$/, '')}/${entry}`;
      if (/\.(ya?ml|json)$/.test(entry)) await visit(child, false);
      else if (recursive && ctx.sys.readFile(abs(child)) === null) await visit(child, false);
    }
  };
  for (const f of files) await visit(f, true);
  return out;
}

const isObj = (v: unknown): v is Any => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(sortedCopy(a)) === JSON.stringify(sortedCopy(b));

/** Does the live value already hold everything the configuration says (server defaults aside)? Lists of
 * objects compare element by element, as the strategic merge by their merge keys would find them equal. */
function covers(m: unknown, c: unknown): boolean {
  if (Array.isArray(m)) return Array.isArray(c) && m.length === c.length && m.every((x, i) => covers(x, c[i]));
  if (isObj(m)) return isObj(c) && Object.keys(m).every((k) => covers(m[k], c[k]));
  return m === c || (typeof m === 'number' && String(m) === c);
}

/** The merge patch of a three-way apply: fields of `modified` that differ from `current`, and null for fields
 * the last applied configuration had that `modified` dropped. Lists are replaced whole. */
export function threeWay(original: unknown, modified: unknown, current: unknown): Any {
  const patch: Any = {};
  const o = isObj(original) ? original : {};
  const m = isObj(modified) ? modified : {};
  const c = isObj(current) ? current : {};
  for (const k of Object.keys(m)) {
    if (isObj(m[k]) && isObj(c[k])) {
      const sub = threeWay(o[k], m[k], c[k]);
      if (Object.keys(sub).length) patch[k] = sub;
    } else if (!covers(m[k], c[k])) patch[k] = m[k];
  }
  for (const k of Object.keys(o)) if (!(k in m) && k in c) patch[k] = null;
  return patch;
}

/** The object with its last-applied-configuration annotation, as kubectl's GetModifiedConfiguration writes it:
 * the object as sent (the builder has set its namespace), with an annotations map that lacks only that one. */
function annotated(obj: Any, ns: string | null): Any {
  const clean = JSON.parse(JSON.stringify(obj)) as Any;
  clean.metadata ??= {};
  clean.metadata.annotations ??= {};
  delete clean.metadata.annotations[LAST_APPLIED];
  if (ns !== null) clean.metadata.namespace = ns;
  const text = JSON.stringify(sortedCopy(clean)) + '\n';
  const out = JSON.parse(JSON.stringify(obj)) as Any;
  out.metadata ??= {};
  if (ns !== null) out.metadata.namespace = ns;
  out.metadata.annotations = { ...(out.metadata.annotations ?? {}), [LAST_APPLIED]: text };
  return out;
}

/**
 * An object read from `file` mapped to its resource and namespace (the resource builder's mapping and
 * namespace enforcement), or null after pushing the error kubectl prints for it.
 */
export function mapObject(ctx: Ctx, api: Api, raw: Any, file: string, errs: string[]): { info: ResourceInfo; ns: string | null } | null {
  const info = infoForKind(String(raw.apiVersion ?? ''), String(raw.kind ?? ''));
  if (!info || !api.served(info)) {
    const [g, v] = String(raw.apiVersion ?? '').includes('/') ? String(raw.apiVersion).split('/') : ['', String(raw.apiVersion ?? '')];
    errs.push(`error: resource mapping not found for name: "${String(raw.metadata?.name ?? '')}" namespace: "${raw.metadata?.namespace ?? ''}" from "${file}": no matches for kind "${raw.kind}" in version "${g ? g + '/' : ''}${v}"\nensure CRDs are installed first\n`);
    return null;
  }
  const objNs = raw.metadata?.namespace as string | undefined;
  if (info.namespaced && ctx.enforceNamespace && objNs && objNs !== ctx.namespace) {
    errs.push(`error: the namespace from the provided object "${objNs}" does not match the namespace "${ctx.namespace}". You must pass '--namespace=${objNs}' to perform this operation.\n`);
    return null;
  }
  return { info, ns: info.namespaced ? (objNs ?? ctx.namespace) : null };
}

export async function runApplyOrCreate(ctx: Ctx, api: Api, verb: 'apply' | 'create'): Promise<CmdResult> {
  const f = ctx.flags;
  const files = f.list('filename', true);
  if (!files.length) throw new UsageError(verb === 'apply' ? 'must specify one of -f and -k' : 'must specify one of -f and -k', verb === 'create');
  const dry = dryRunOf(ctx);
  const spec = outputSpec(f.str('output'), f.str('template'), CREATE_FORMATS);
  const sources = await readSources(ctx, files, f.bool('recursive'));
  if (!sources.some((s) => s.objects.length)) throw new UsageError(verb === 'apply' ? 'no objects passed to apply' : 'no objects passed to create');
  const out: Array<[1 | 2, string]> = [];
  const errs: string[] = [];
  const printed: Obj[] = [];
  const validation = dry === 'client' ? null : fieldValidation(ctx);
  // the server decodes every body into the kind's types, whatever the validation
  if (dry !== 'client') await loadChunk('kubectl', loadOpenApi);
  for (const src of sources) {
    for (const raw of src.objects) {
      const name = String(raw.metadata?.name ?? '');
      if (!raw.kind) {
        errs.push(`error: error validating "${src.name}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false\n`);
        continue;
      }
      const mapped = mapObject(ctx, api, raw, src.name, errs);
      if (!mapped) continue;
      const { info, ns } = mapped;
      const qn = qualifiedName(info, name);
      const suffix = dry === 'client' ? ' (dry run)' : dry === 'server' ? ' (server dry run)' : '';
      let creating = false;
      try {
        const live = name ? api.tryGet(info.resource, ns, name) : null;
        if (verb === 'create' || !live) {
          creating = true;
          const body = withoutResourceVersion(verb === 'apply' || f.bool('save-config') ? annotated(raw, ns) : raw);
          // the apiserver decodes the body (strict field validation) before it looks for the object
          if (dry !== 'client') out.push(...validateFields(ctx, validation, body));
          if (verb === 'create' && live) throw new ServerError(`Error from server (AlreadyExists): error when creating "${src.name}": ${info.group ? info.resource + '.' + info.group : info.resource} "${name}" already exists\n`);
          if (dry === 'client') {
            printed.push(body);
            if (spec.kind === 'default') out.push([1, `${qn} created${suffix}\n`]);
            continue;
          }
          const created = call(() => api.create(body, { ...(ns ? { namespace: ns } : {}), dryRun: dry === 'server', fieldManager: verb === 'apply' ? 'kubectl-client-side-apply' : 'kubectl-create' }));
          printed.push(sortedCopy(created) as Obj);
          if (spec.kind === 'default') out.push([1, `${qn} created${suffix}\n`]);
          continue;
        }
        const lastText = (live.metadata.annotations as Record<string, string> | undefined)?.[LAST_APPLIED];
        const original = lastText ? JSON.parse(lastText) : {};
        const modified = annotated(raw, ns);
        const patch = threeWay(original, modified, live);
        if (patch.metadata?.annotations && Object.keys(patch.metadata.annotations).length === 1 && LAST_APPLIED in patch.metadata.annotations && Object.keys(patch).length === 1 && Object.keys(patch.metadata).length === 1 && same(JSON.parse(patch.metadata.annotations[LAST_APPLIED]), original)) {
          delete patch.metadata;
        }
        if (!Object.keys(patch).length) {
          printed.push(sortedCopy(live) as Obj);
          if (spec.kind === 'default') out.push([1, `${qn} unchanged${suffix}\n`]);
          continue;
        }
        if (!lastText) out.push([2, `Warning: resource ${info.resource} /${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`.replace(' /', '/')]);
        if (dry === 'client') {
          printed.push(sortedCopy(live) as Obj);
          if (spec.kind === 'default') out.push([1, `${qn} configured${suffix}\n`]);
          continue;
        }
        let next: KObject;
        try {
          next = call(() => api.patch(info.resource, ns, name, 'merge', patch, { dryRun: dry === 'server', fieldManager: 'kubectl-client-side-apply' }));
        } catch (e) {
          // kubectl's patcher wraps the server's error twice: "patching", then "applying patch" with the patch and the object
          if (!(e instanceof ServerError)) throw e;
          const gv = info.group ? `${info.group}/${info.version}` : `/${info.version}`;
          const where = `Resource: "${gv}, Resource=${info.resource}", GroupVersionKind: "${gv}, Kind=${info.kind}"\nName: "${name}", Namespace: "${ns ?? ''}"`;
          throw new ServerError(e.message.replace(/^(Error from server \(\w+\): )/, `$1error when applying patch:\n${JSON.stringify(sortedCopy(patch))}\nto:\n${where}\nfor: "${src.name}": error when patching "${src.name}": `));
        }
        printed.push(sortedCopy(next) as Obj);
        if (spec.kind === 'default') out.push([1, `${qn} configured${suffix}\n`]);
      } catch (e) {
        if (e instanceof ServerError) {
          const m = e.message.replace(/^Error from server \((\w+)\): (?!error when)/, `Error from server ($1): error when ${verb === 'apply' && !creating ? (e.message.includes('(NotFound)') ? 'retrieving current configuration of' : 'applying patch') : 'creating'} "${src.name}": `);
          errs.push(m);
        } else throw e;
      }
    }
  }
  if (spec.kind !== 'default') {
    if (printed.length === 1) out.push([1, printStructured(printed[0]!, spec)]);
    else if (printed.length) out.push([1, printStructured({ apiVersion: 'v1', items: printed, kind: 'List', metadata: { resourceVersion: '' } }, spec)]);
  }
  for (const e of errs) out.push([2, e]);
  return ordered(out, errs.length ? 1 : 0);
}

/** kubectl's resource helper clears the resourceVersion of an object it creates (Create with modify). */
function withoutResourceVersion(o: Obj): Obj {
  const meta = o.metadata as Record<string, unknown> | undefined;
  if (meta?.resourceVersion === undefined) return o;
  const { resourceVersion: _, ...metadata } = meta;
  return { ...o, metadata } as Obj;
}

export const runApply = (ctx: Ctx, api: Api) => runApplyOrCreate(ctx, api, 'apply');

export function keepKObject(o: KObject): KObject {
  return o;
}
