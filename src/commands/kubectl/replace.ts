// kubectl replace -f (files, directories, `-`): each object PUT over the live one ("replaced"); with
// --force, the live object deleted (and waited for) and the file's created in its place. kubectl delete -f:
// each object of the files deleted by name. Both report per object and gather the server's errors, as
// kubectl does, prefixed with the file they came from ("error when replacing|deleting "FILE": ...").
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import type { Api, KObject, ResourceInfo } from '../../k8s/api';
import { call, qualifiedName, ServerError, sortedCopy } from './client';
import { UsageError, type Obj } from './generators';
import { CREATE_FORMATS, outputSpec, printStructured } from './printers';
import { dryRunOf, fieldValidation, validateFields, type DryRun } from './create';
import { loadChunk } from '../../sim/chunks';
import { loadOpenApi } from '../../k8s/openapi/openapi';
import { mapObject, readSources } from './apply';
import { waitFor } from './write';

type Any = Record<string, any>;

interface Item {
  file: string;
  raw: Any;
  info: ResourceInfo;
  ns: string | null;
  name: string;
}

const suffix = (dry: DryRun) => (dry === 'client' ? ' (dry run)' : dry === 'server' ? ' (server dry run)' : '');

/** The objects of the files, each mapped to its resource and namespace, or the error kubectl prints for it. */
async function itemsOf(ctx: Ctx, api: Api, errs: string[]): Promise<Item[] | null> {
  const sources = await readSources(ctx, ctx.flags.list('filename', true), ctx.flags.bool('recursive'));
  const items: Item[] = [];
  for (const src of sources) {
    for (const raw of src.objects) {
      const name = String(raw.metadata?.name ?? '');
      const mapped = mapObject(ctx, api, raw, src.name, errs);
      if (!mapped) continue;
      items.push({ file: src.name, raw, ...mapped, name });
    }
  }
  return items;
}

/** A server error as kubectl prints it for an object read from a file: NotFound and the like name the file; Invalid does not. */
function fromFile(e: ServerError, verb: 'replacing' | 'deleting', file: string): string {
  return e.message.replace(/^Error from server \((\w+)\): (?!error when)/, `Error from server ($1): error when ${verb} "${file}": `);
}

/** kubectl delete -f FILE...: returns null when no file was given (the resource/name form handles it). */
export async function deleteFromFiles(ctx: Ctx, api: Api): Promise<CmdResult | null> {
  const f = ctx.flags;
  if (!f.list('filename', true).length) return null;
  if (ctx.args.length) throw new UsageError('when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
  const dry = dryRunOf(ctx);
  const errs: string[] = [];
  const items = (await itemsOf(ctx, api, errs)) ?? [];
  const out: Array<[1 | 2, string]> = [];
  const grace = f.bool('now') ? 1 : f.int('grace-period');
  const force = f.bool('force');
  if (force && grace === 0) out.push([2, 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n']);
  const pending: Array<() => boolean> = [];
  for (const it of items) {
    const kind = `${it.info.singular}${it.info.group ? '.' + it.info.group : ''}`;
    const verb = force && grace === 0 ? 'force deleted' : 'deleted';
    // a client-side dry run does not ask the server: the object is reported whether it exists or not
    if (dry === 'client') {
      out.push([1, `${kind} "${it.name}" ${verb}${suffix(dry)}\n`]);
      continue;
    }
    try {
      call(() => api.delete(it.info.resource, it.ns, it.name, { dryRun: dry === 'server', ...(grace >= 0 ? { gracePeriodSeconds: force && grace === 0 ? 0 : grace } : {}), propagationPolicy: f.str('cascade') === 'orphan' ? 'Orphan' : f.str('cascade') === 'foreground' ? 'Foreground' : 'Background' }));
    } catch (e) {
      if (!(e instanceof ServerError)) throw e;
      if (f.bool('ignore-not-found') && e.message.startsWith('Error from server (NotFound)')) continue;
      errs.push(fromFile(e, 'deleting', it.file));
      continue;
    }
    out.push([1, `${kind} "${it.name}" ${verb}${suffix(dry)}\n`]);
    if (dry === 'none' && f.bool('wait')) pending.push(() => !api.peek(it.info.resource, it.ns, it.name));
  }
  if (pending.length) waitFor(ctx, api, () => pending.every((p) => p()), (f.str('timeout') === '0s' ? 7 * 24 * 3600 : 3600) * 1000);
  for (const e of errs) out.push([2, e]);
  return ordered(out, errs.length ? 1 : 0);
}

/** kubectl replace -f FILE... [--force]. */
export async function runReplace(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  if (!f.list('filename', true).length) throw new UsageError('must specify one of -f and -k');
  const dry = dryRunOf(ctx);
  const spec = outputSpec(f.str('output'), f.str('template'), CREATE_FORMATS);
  const errs: string[] = [];
  const items = (await itemsOf(ctx, api, errs)) ?? [];
  const out: Array<[1 | 2, string]> = [];
  const printed: Obj[] = [];
  const force = f.bool('force');
  const grace = f.int('grace-period');
  const validation = dry === 'client' ? null : fieldValidation(ctx);
  // the server decodes every body into the kind's types, whatever the validation
  if (dry !== 'client') await loadChunk('kubectl', loadOpenApi);
  for (const it of items) {
    const qn = qualifiedName(it.info, it.name);
    const body: Any = { ...it.raw, metadata: { ...(it.raw.metadata ?? {}) } };
    if (it.ns) body.metadata.namespace = it.ns;
    try {
      if (dry === 'client') {
        printed.push(sortedCopy(body) as Obj);
        if (spec.kind === 'default') out.push([1, `${qn} replaced${suffix(dry)}\n`]);
        continue;
      }
      if (force && dry === 'none') {
        // --force: delete what is there (a missing object is fine), wait until it is gone, then create
        const live = api.tryGet(it.info.resource, it.ns, it.name);
        if (live) {
          call(() => api.delete(it.info.resource, it.ns, it.name, grace >= 0 ? { gracePeriodSeconds: grace } : {}));
          out.push([1, `${it.info.singular}${it.info.group ? '.' + it.info.group : ''} "${it.name}" deleted\n`]);
          waitFor(ctx, api, () => !api.peek(it.info.resource, it.ns, it.name), (f.str('timeout') === '0s' ? 7 * 24 * 3600 : 3600) * 1000);
        }
        delete body.metadata.resourceVersion;
        delete body.metadata.uid;
        out.push(...validateFields(ctx, validation, body));
        const created = call(() => api.create(body, it.ns ? { namespace: it.ns } : {})) as KObject;
        printed.push(sortedCopy(created) as Obj);
        if (spec.kind === 'default') out.push([1, `${qn} replaced\n`]);
        continue;
      }
      out.push(...validateFields(ctx, validation, body));
      const next = call(() => api.update(body, { dryRun: dry === 'server' })) as KObject;
      printed.push(sortedCopy(next) as Obj);
      if (spec.kind === 'default') out.push([1, `${qn} replaced${suffix(dry)}\n`]);
    } catch (e) {
      if (!(e instanceof ServerError)) throw e;
      errs.push(fromFile(e, 'replacing', it.file));
    }
  }
  if (spec.kind !== 'default') {
    if (printed.length === 1) out.push([1, printStructured(printed[0]!, spec)]);
    else if (printed.length) out.push([1, printStructured({ apiVersion: 'v1', items: printed, kind: 'List', metadata: { resourceVersion: '' } }, spec)]);
  }
  for (const e of errs) out.push([2, e]);
  return ordered(out, errs.length ? 1 : 0);
}
