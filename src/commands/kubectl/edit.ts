// kubectl edit: the objects as YAML in a temporary file under kubectl's header comment, opened with
// $KUBE_EDITOR or $EDITOR (vi by default) through the shell; the changes are sent as a patch ("edited"). An
// unchanged file cancels; a syntax error or an object the server finds invalid reopens the file with the
// reasons at the top; reopening without a change gives up and keeps the file.
import { parseAllDocuments } from 'yaml';
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import { StatusError, type Api, type KObject, type ResourceInfo } from '../../k8s/api';
import { call, forPrint, qualifiedName, sortedCopy } from './client';
import { targetsOf } from './get';
import { UsageError } from './generators';
import { outputSpec, printStructured, CREATE_FORMATS } from './printers';
import { fieldValidation } from './create';

type Any = Record<string, any>;

const HEADER = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

interface Reason {
  head: string;
  other: string[];
}

function header(reasons: Reason[]): string {
  let h = HEADER;
  for (const r of reasons) {
    h += r.other.length ? `# ${r.head}:\n` : `# ${r.head}\n`;
    for (const o of r.other) h += `# * ${o}\n`;
    h += '#\n';
  }
  return h;
}

const stripComments = (s: string) => s.split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n');

/** A JSON merge patch from `a` to `b` (objects merged key by key, lists and values replaced). */
function mergeDiff(a: unknown, b: unknown): Any {
  const out: Any = {};
  const x = (a ?? {}) as Any;
  const y = (b ?? {}) as Any;
  for (const k of Object.keys(x)) if (!(k in y)) out[k] = null;
  for (const k of Object.keys(y)) {
    const u = x[k];
    const v = y[k];
    const obj = (o: unknown) => o !== null && typeof o === 'object' && !Array.isArray(o);
    if (obj(u) && obj(v)) {
      const d = mergeDiff(u, v);
      if (Object.keys(d).length) out[k] = d;
    } else if (JSON.stringify(sortedCopy(u)) !== JSON.stringify(sortedCopy(v))) out[k] = v;
  }
  return out;
}

/** Why the edited text has no group-version-kind to validate against (null when it has one). */
function validationFailure(text: string): string | null {
  let v: unknown;
  try {
    const docs = parseAllDocuments(stripComments(text));
    const d = docs[0];
    if (d && 'errors' in d && d.errors.length) return `error converting YAML to JSON: yaml: ${d.errors[0]!.message.split('\n')[0]}`;
    v = d ? d.toJSON() : null;
  } catch (e) {
    return (e as Error).message;
  }
  const o = (v ?? {}) as Any;
  if (typeof o.kind !== 'string' || !o.kind) return `Object 'Kind' is missing in '${JSON.stringify(v ?? null)}'`;
  if (typeof o.apiVersion !== 'string' || !o.apiVersion) return `Object 'apiVersion' is missing in '${JSON.stringify(v)}'`;
  return null;
}

interface Item {
  info: ResourceInfo;
  obj: KObject;
}

function fetchItems(ctx: Ctx, api: Api): Item[] {
  const targets = targetsOf(api, ctx.args);
  if (!targets.length) throw new UsageError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  const items: Item[] = [];
  for (const t of targets) {
    const ns = t.info.namespaced ? ctx.namespace : null;
    if (t.names.length) for (const n of t.names) items.push({ info: t.info, obj: call(() => api.get(t.info.resource, ns, n)) });
    else for (const obj of call(() => api.list(t.info.resource, ns, { labelSelector: ctx.flags.str('selector') || undefined }).items)) items.push({ info: t.info, obj });
  }
  return items;
}

export async function runEdit(ctx: Ctx, api: Api): Promise<CmdResult> {
  const { io, sys } = ctx;
  const items = fetchItems(ctx, api);
  const out: Array<[1 | 2, string]> = [];
  if (!items.length) return ordered([[2, `error: no objects passed to edit\n`]], 1);
  const yaml = outputSpec('yaml', '', CREATE_FORMATS);
  const shown = items.length === 1 ? sortedCopy(forPrint(items[0]!.obj)) : { apiVersion: 'v1', items: items.map((i) => sortedCopy(forPrint(i.obj))), kind: 'List', metadata: {} };
  const editor = io.env.KUBE_EDITOR || io.env.EDITOR || 'vi';
  let original = '';
  let edited = '';
  let reasons: Reason[] = [];
  let containsError = false;
  for (let round = 0; round < 20; round++) {
    const file = `/tmp/kubectl-edit-${Math.floor(api.random() * 4294967296)}.yaml`;
    const body = header(reasons) + (containsError ? stripComments(edited) : printStructured(shown as Any, yaml));
    if (!containsError) original = body;
    sys.writeFile(file, body);
    const r = await io.exec(`${editor} ${file}`);
    if (r.exitCode !== 0) return ordered([...out, [2, `error: there was a problem with the editor "${editor}"\n`]], 1);
    const previous = edited;
    edited = sys.readFile(file) ?? '';
    const keep = () => [2, `A copy of your changes has been stored to "${file}"\n`] as [2, string];
    if (containsError && stripComments(previous) === stripComments(edited)) return ordered([...out, keep(), [2, 'error: Edit cancelled, no valid changes were saved.\n']], 1);
    if (stripComments(original) === stripComments(edited)) {
      await io.exec(`rm -f ${file}`);
      return ordered([...out, [2, 'Edit cancelled, no changes made.\n']], 0);
    }
    // --validate (strict by default): kubectl's validator first needs the edited file's group-version-kind
    // (the server validates the fields); a file that does not parse, or has none, fails here
    const failed = fieldValidation(ctx) ? validationFailure(edited) : null;
    if (failed) {
      const first = items[0]!;
      const resource = first.info.group ? `${first.info.resource}.${first.info.group}` : first.info.resource;
      out.push([2, `error: ${resource} "${first.obj.metadata.name}" is invalid\n`]);
      reasons = [{ head: `${resource} "${first.obj.metadata.name}" was not valid`, other: [`<nil>: Invalid value: "The edited file failed validation": ${failed}`] }];
      containsError = true;
      continue;
    }
    if (!edited.split('\n').some((l) => l.trim() !== '')) return ordered([...out, [2, 'Edit cancelled, saved file was empty.\n']], 0);
    let docs: Any[];
    try {
      docs = [];
      for (const d of parseAllDocuments(edited)) {
        if ('errors' in d && d.errors.length) throw new Error(d.errors[0]!.message.split('\n')[0]);
        const v = d.toJSON() as Any | null;
        if (v?.kind === 'List' && Array.isArray(v.items)) docs.push(...v.items);
        else if (v) docs.push(v);
      }
    } catch (e) {
      containsError = true;
      reasons = [{ head: `The edited file had a syntax error: error converting YAML to JSON: yaml: ${(e as Error).message}`, other: [] }];
      continue;
    }
    containsError = false;
    reasons = [];
    let invalid = false;
    for (const doc of docs) {
      const orig = items.find((i) => i.obj.metadata.uid === doc.metadata?.uid);
      if (!orig) return ordered([...out, keep(), [2, `error: no original object found for ${JSON.stringify(doc)}\n`]], 1);
      const name = qualifiedName(orig.info, orig.obj.metadata.name!);
      const patch = mergeDiff(sortedCopy(forPrint(orig.obj)), doc);
      if (!Object.keys(patch).length) {
        out.push([1, `${name} skipped\n`]);
        continue;
      }
      if ('apiVersion' in patch || 'kind' in patch || (patch.metadata && 'name' in patch.metadata)) return ordered([...out, keep(), [2, 'error: At least one of apiVersion, kind and name was changed\n']], 1);
      const resource = orig.info.group ? `${orig.info.resource}.${orig.info.group}` : orig.info.resource;
      try {
        api.patch(orig.info.resource, orig.obj.metadata.namespace ?? null, orig.obj.metadata.name!, 'merge', patch, { fieldManager: 'kubectl-edit' });
        out.push([1, `${name} edited\n`]);
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        const s = e.status as Any;
        if (s.reason === 'Invalid') {
          invalid = true;
          reasons.push({ head: `${resource} "${orig.obj.metadata.name}" was not valid`, other: (s.details?.causes ?? []).map((c: Any) => `${c.field}: ${c.message}`) });
          out.push([2, `error: ${resource} "${orig.obj.metadata.name}" is invalid\n`]);
        } else if (s.reason === 'NotFound') {
          return ordered([...out, [2, `error: ${resource} "${orig.obj.metadata.name}" could not be found on the server\n`], [2, `The edits you made on deleted resources have been saved to "${file}"\n`]], 1);
        } else {
          return ordered([...out, [2, `error: ${resource} "${orig.obj.metadata.name}" could not be patched: ${s.message}\n`], [2, `You can run \`kubectl replace -f ${file}\` to try this update again.\n`]], 1);
        }
      }
    }
    if (!invalid) {
      await io.exec(`rm -f ${file}`);
      return ordered(out, 0);
    }
    containsError = true;
  }
  return ordered(out, 1);
}
