// kubectl explain: kubectl 1.33 renders the server's OpenAPI v3 document of the resource's group version
// through its plaintext template (k8s.io/kubectl/pkg/explain/v2). This is that rendering, step for step,
// over the same documents the simulated apiserver serves (src/k8s/openapi), so the real kubectl pointed at
// `npm run api` and this one print the same text (fixtures/kubectl/27-explain).
import type { Ctx } from './index';
import { loadChunk } from '../../sim/chunks';
import { ordered, type CmdResult } from '../types';
import type { Api, ResourceInfo } from '../../k8s/api';
import { RESOURCES } from '../../k8s/api';
import { groupVersionDocument, loadOpenApi, documentedGroupVersions, type Json } from '../../k8s/openapi/openapi';

class ExplainError extends Error {}

/** go-wordwrap 1.0.1's WrapString (through kubectl's term.NewWordWrapWriter): lengths in bytes. */
export function wordWrap(s: string, lim: number): string {
  const bytes = (x: string) => new TextEncoder().encode(x).length;
  let buf = '';
  let current = 0;
  let word = '';
  let space = '';
  for (const ch of s) {
    if (ch === '\n') {
      if (word.length === 0) {
        if (current + bytes(space) > lim) current = 0;
        else {
          current += bytes(space);
          buf += space;
        }
        space = '';
      } else {
        current += bytes(space) + bytes(word);
        buf += space + word;
        space = '';
        word = '';
      }
      buf += ch;
      current = 0;
    } else if (/\s/u.test(ch) && ch !== '\u00a0') {
      if (space.length === 0 || word.length > 0) {
        current += bytes(space) + bytes(word);
        buf += space + word;
        space = '';
        word = '';
      }
      space += ch;
    } else {
      word += ch;
      if (current + bytes(space) + bytes(word) > lim && bytes(word) < lim) {
        buf += '\n';
        current = 0;
        space = '';
      }
    }
  }
  if (word.length === 0) {
    if (current + bytes(space) <= lim) buf += space;
  } else buf += space + word;
  return buf;
}

const indent = (n: number, s: string) => {
  const pad = ' '.repeat(n);
  return pad + s.replace(/\n/g, '\n' + pad);
};

/** Go template truthiness of a decoded JSON value. */
const truthy = (v: unknown): boolean => {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
};

const isMapAP = (ap: unknown) => truthy(ap) && typeof ap !== 'boolean';

function resolveRef(ref: unknown, doc: Json): Json | null {
  if (typeof ref !== 'string' || !ref.startsWith('#')) return null;
  let cur: unknown = doc;
  for (const k of ref.slice(1).split('/')) {
    if (!k) continue;
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return null;
    cur = (cur as Json)[k];
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return null;
  }
  return cur as Json;
}

function typeGuess(s: Json, doc: Json): string {
  if (truthy(s.items)) return '[]' + typeGuess(s.items, doc);
  if (isMapAP(s.additionalProperties)) return 'map[string]' + typeGuess(s.additionalProperties, doc);
  if (truthy(s.allOf) && !truthy(s.properties) && s.allOf.length === 1) return typeGuess(s.allOf[0], doc);
  if (truthy(s.$ref)) {
    const ref = String(s.$ref);
    const target = resolveRef(ref, doc);
    if (!target || !truthy(target.type) || target.type === 'object') return ref.split('/').at(-1)!.split('.').at(-1) || 'Object';
    return String(target.type);
  }
  if (s.type === 'object') return 'Object';
  return truthy(s.type) ? String(s.type) : 'Object';
}

function extractEnum(s: Json, long: boolean, limit: number, indentAmount = 0): string {
  if (!truthy(s.enum)) return '';
  let out = long ? 'ENUM:' : '\n' + ' '.repeat(indentAmount) + 'enum: ';
  (s.enum as unknown[]).some((el, i) => {
    if (limit > -1 && i >= limit) {
      out += ', ....';
      return true;
    }
    if (i > 0 && !long) out += ', ';
    else if (long) out += '\n    ';
    out += el === '' ? '""' : String(el);
    return false;
  });
  return out;
}

function description(s: Json, doc: Json): string {
  const r = resolveRef(s.$ref, doc) ?? s;
  let out = '';
  if (truthy(r.description)) out += r.description + '\n';
  for (const a of (r.allOf ?? []) as Json[]) out += description(a, doc);
  if (truthy(r.items)) out += description(r.items, doc);
  if (isMapAP(r.additionalProperties)) out += description(r.additionalProperties, doc);
  return out;
}

const sortedKeys = (o: unknown) => (o && typeof o === 'object' ? Object.keys(o).sort() : []);

function fieldDetail(name: string, parent: Json, short: boolean, level: number, doc: Json): string {
  const ind = level * 2;
  const fs = parent.properties[name] as Json;
  let out = indent(ind, name) + '\t<' + typeGuess(fs, doc) + '>';
  if (Array.isArray(parent.required) && parent.required.includes(name)) out += ' -required-';
  out += extractEnum(fs, false, 4, ind) + '\n';
  if (!short) {
    out += indent(ind + 2, wordWrap(truthy(fs.description) ? fs.description : '<no description>', 78 - ind)) + '\n';
    out += '\n';
  }
  return out;
}

function fieldList(s: Json, level: number, history: Record<string, true>, recursive: boolean, doc: Json): string {
  const ref = truthy(s.$ref) ? String(s.$ref) : '';
  if (ref && history[ref]) return '';
  const next = { ...history, [ref]: true as const };
  const r = resolveRef(ref, doc) ?? s;
  let out = '';
  for (const k of sortedKeys(r.properties)) {
    out += fieldDetail(k, r, recursive, level, doc);
    if (recursive) out += fieldList(r.properties[k], level + 1, next, recursive, doc);
  }
  for (const a of (r.allOf ?? []) as Json[]) out += fieldList(a, level, next, recursive, doc);
  if (truthy(r.items)) out += fieldList(r.items, level, next, recursive, doc);
  if (isMapAP(r.additionalProperties)) out += fieldList(r.additionalProperties, level, next, recursive, doc);
  return out;
}

function output(s: Json, history: Record<string, true>, path: string[], recursive: boolean, doc: Json): string {
  const ref = truthy(s.$ref) ? String(s.$ref) : '';
  const next = { ...history, [ref]: true as const };
  const r = resolveRef(ref, doc) ?? s;
  if (!path.length) {
    let out = 'DESCRIPTION:\n' + indent(4, wordWrap(description(r, doc) || '<empty>', 76)) + '\n';
    const fl = fieldList(r, 1, {}, recursive, doc);
    if (fl) out += 'FIELDS:\n' + fl;
    return out;
  }
  if (ref && history[ref]) return '';
  const first = path[0]!;
  if (truthy(r.properties) && truthy(r.properties[first])) {
    const sub = r.properties[first] as Json;
    let out = '';
    if (path.length === 1) out += `FIELD: ${first} <${typeGuess(sub, doc)}>\n` + extractEnum(sub, true, -1) + '\n\n';
    return out + output(sub, {}, path.slice(1), recursive, doc);
  }
  if (truthy(r.items)) return output(r.items, next, path, recursive, doc);
  if (isMapAP(r.additionalProperties)) return output(r.additionalProperties, next, path, recursive, doc);
  for (const a of (r.allOf ?? []) as Json[]) {
    const o = output(a, next, path, recursive, doc);
    if (o) return o;
  }
  return '';
}

const goMap = (gvk: Json) => `map[group:${gvk.group} kind:${gvk.kind} version:${gvk.version}]`;

/** The plaintext template over a group version's document. */
export function renderExplain(doc: Json, gvr: { group: string; version: string; resource: string }, fieldPath: string[], recursive: boolean): string {
  const prefix = gvr.group ? `/apis/${gvr.group}` : '/api';
  const base = `${prefix}/${gvr.version}`;
  let gvk: Json | undefined;
  for (const p of [`${base}/${gvr.resource}`, `${base}/${gvr.resource}/{name}`, `${base}/namespaces/{namespace}/${gvr.resource}`, `${base}/namespaces/{namespace}/${gvr.resource}/{name}`]) {
    const el = doc.paths?.[p];
    if (!truthy(el)) continue;
    for (const m of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = el[m];
      if (!truthy(op)) continue;
      gvk = op['x-kubernetes-group-version-kind'];
      if (truthy(gvk)) break;
    }
  }
  if (!truthy(gvk)) throw new ExplainError(`error: GVR (${gvr.group}/${gvr.version}, Resource=${gvr.resource}) not found in OpenAPI schema`);
  let out = '';
  if (gvk!.group) out += `GROUP:      ${gvk!.group}\n`;
  out += `KIND:       ${gvk!.kind}\nVERSION:    ${gvk!.version}\n\n`;
  let body = '';
  let found = false;
  for (const k of sortedKeys(doc.components?.schemas)) {
    const s = doc.components.schemas[k] as Json;
    const list = s['x-kubernetes-group-version-kind'];
    if (!Array.isArray(list) || !list.some((g: Json) => g.group === gvk!.group && g.kind === gvk!.kind && g.version === gvk!.version && Object.keys(g).length === 3)) continue;
    found = true;
    body = output(s, {}, fieldPath, recursive, doc);
    if (!body) return out + '\u0000' + `error: field "${fieldPath.at(-1)}" does not exist`;
    break;
  }
  if (!found) return out + '\u0000' + `error: GVK ${goMap(gvk!)} not found in OpenAPI schema`;
  return out + body + '\n';
}

/** explain's SplitAndParseResourceRequest: the resource (the first word) and the field path. */
function parseRequest(api: Api, input: string): { info: ResourceInfo; path: string[] } {
  const served = new Set(api.resources().map((r) => r.resource));
  const find = (typed: string): ResourceInfo | undefined => {
    const t = typed.toLowerCase();
    const dot = t.indexOf('.');
    const name = dot < 0 ? t : t.slice(0, dot);
    const group = dot < 0 ? null : t.slice(dot + 1);
    return RESOURCES.filter((x) => served.has(x.resource)).find((x) => (x.resource === name || x.singular === name || x.kind.toLowerCase() === name || x.shortNames.includes(name)) && (group === null || x.group === group));
  };
  const parts = input.replace(/\.$/, '').split('.');
  const info = find(parts[0]!);
  if (!info) throw new ExplainError(`the server doesn't have a resource type "${parts[0]}"`);
  return { info, path: parts.slice(1) };
}

export async function runExplain(ctx: Ctx, api: Api): Promise<CmdResult> {
  const fail = (msg: string) => ordered([...ctx.out, [2, msg.endsWith('\n') ? msg : msg + '\n']], 1);
  const format = ctx.flags.str('output') || 'plaintext';
  if (ctx.args.length > 1) return fail('error: We accept only this format: explain RESOURCE');
  const apiVersion = ctx.flags.str('api-version');
  try {
    const { info, path } = parseRequest(api, ctx.args[0]!);
    let group = info.group;
    let version = info.version;
    if (format === 'plaintext-openapiv2') return fail(`error: failed to download openapi: the server could not find the requested resource`);
    if (format !== 'plaintext') return fail(`error: unrecognized format: ${format}`);
    if (apiVersion) {
      const slash = apiVersion.indexOf('/');
      if (apiVersion.split('/').length > 2) return fail(`error: unexpected GroupVersion string: ${apiVersion}`);
      [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
    }
    const data = await loadChunk('kubectl explain', loadOpenApi);
    const gvs = new Map<string, ResourceInfo[]>();
    for (const r of api.resources()) {
      const gv = r.group ? `${r.group}/${r.version}` : r.version;
      if (!gvs.has(gv)) gvs.set(gv, []);
      gvs.get(gv)!.push(r);
    }
    const gv = group ? `${group}/${version}` : version;
    if (!documentedGroupVersions(data, gvs).includes(gv)) return fail(`error: couldn't find resource for "${gv}, Resource=${info.resource}"`);
    const { doc } = groupVersionDocument(data, gv, gvs.get(gv)!, api.config.version);
    const text = renderExplain(doc, { group, version, resource: info.resource }, path, ctx.flags.bool('recursive'));
    const cut = text.indexOf('\u0000');
    if (cut < 0) return ordered([...ctx.out, [1, text]], 0);
    return ordered([...ctx.out, [1, text.slice(0, cut)], [2, text.slice(cut + 1) + '\n']], 1);
  } catch (e) {
    if (e instanceof ExplainError) return fail(e.message);
    throw e;
  }
}
