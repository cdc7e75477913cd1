// kubectl patch: a strategic (default), JSON merge or JSON patch (-p or --patch-file, YAML or JSON) sent to
// the server for each named object; "patched", "patched (no change)" when the object came back the same,
// client and server dry runs, -o to print the result.
import { parse as parseYaml } from 'yaml';
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import { jsonPatch, mergePatch, strategicMergePatch, StatusError, type Api, type KObject, type JsonPatchOp } from '../../k8s/api';
import { call, qualifiedName, ServerError, sortedCopy } from './client';
import { targetsOf } from './get';
import { UsageError } from './generators';
import { dryRunOf } from './create';
import { CREATE_FORMATS, outputSpec, printStructured } from './printers';
import { loadChunk } from '../../sim/chunks';
import { loadOpenApi } from '../../k8s/openapi/openapi';

const TYPES = ['json', 'merge', 'strategic'] as const;
type Kind = (typeof TYPES)[number];

function patchBody(ctx: Ctx): { text: string; value: unknown } {
  const f = ctx.flags;
  let text = f.str('patch');
  if (f.str('patch-file')) {
    const path = f.str('patch-file');
    const t = ctx.sys.readFile(path.startsWith('/') ? path : `${ctx.io.cwd.replace(/\/$/, '')}/${path}`);
    if (t === null) throw new UsageError(`unable to read patch file: open ${path}: no such file or directory`);
    text = t;
  }
  if (!text) throw new UsageError('must specify --patch or --patch-file containing the contents of the patch');
  try {
    return { text, value: parseYaml(text) };
  } catch {
    // the text goes to the server as it is, which fails to read it as JSON
    let why = '';
    try {
      JSON.parse(text);
    } catch (e) {
      why = (e as Error).message;
    }
    throw new ServerError(`Error from server (BadRequest): the object provided is unrecognized (must be of type Unknown): couldn't get version/kind; json parse error: ${why}\n`);
  }
}

function applyLocally(o: KObject, kind: Kind, value: unknown): KObject {
  try {
    if (kind === 'json') return jsonPatch(o, value as JsonPatchOp[]) as KObject;
    if (kind === 'merge') return mergePatch(o, value) as KObject;
    return strategicMergePatch(o, value) as KObject;
  } catch (e) {
    if (e instanceof StatusError) throw new ServerError(`error: ${e.status.message}\n`);
    throw e;
  }
}

export async function runPatch(ctx: Ctx, api: Api): Promise<CmdResult> {
  const f = ctx.flags;
  const kind = f.str('type') as Kind;
  if (!TYPES.includes(kind)) throw new UsageError(`--type must be one of [json merge strategic], not "${f.str('type')}"`);
  const { value } = patchBody(ctx);
  if (kind === 'json' && !Array.isArray(value)) throw new ServerError('Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch\n');
  const dry = dryRunOf(ctx);
  const spec = outputSpec(f.str('output'), f.str('template'), CREATE_FORMATS);
  const targets = targetsOf(api, ctx.args);
  if (!targets.length) throw new UsageError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  // the server decodes the patched object into the kind's types (the schema data says which)
  if (dry !== 'client') await loadChunk('kubectl', loadOpenApi);
  const out: Array<[1 | 2, string]> = [];
  for (const t of targets) {
    if (!t.names.length) throw new UsageError('resource(s) were provided, but no name was specified');
    const ns = t.info.namespaced ? ctx.namespace : null;
    for (const name of t.names) {
      const before = call(() => api.get(t.info.resource, ns, name));
      const after = dry === 'client' ? applyLocally(before, kind, value) : call(() => api.patch(t.info.resource, ns, name, kind, value, { dryRun: dry === 'server', fieldManager: 'kubectl-patch' }));
      if (spec.kind !== 'default') {
        out.push([1, printStructured(sortedCopy(after) as KObject, spec)]);
        continue;
      }
      const changed = JSON.stringify(sortedCopy(before)) !== JSON.stringify(sortedCopy(after));
      // kubectl 1.33 does not mark a dry run here
      out.push([1, `${qualifiedName(t.info, name)} patched${changed ? '' : ' (no change)'}\n`]);
    }
  }
  return ordered(out, 0);
}
