// gen-k8s-openapi.ts - writes src/k8s/openapi/schemas.json: the Kubernetes v1.33 API schemas the simulated
// apiserver serves as OpenAPI v3 (/openapi/v3) and our `kubectl explain` renders (descriptions, types,
// required fields, enums, group-version-kinds), for the kinds the cluster serves and everything they reach.
//
//   usage: npx tsx scripts/gen-k8s-openapi.ts
//
// Source (facts, read as data): the npm packages kubernetes-models 4.5.1 (generated from Kubernetes
// v1.33's OpenAPI, with its enums: it has Lifecycle.stopSignal, new in 1.33, and not PodSpec.hostnameOverride,
// new in 1.34) and @kubernetes-models/apimachinery 2.2.0 (ObjectMeta, LabelSelector, Time, IntOrString...).
// `npm pack` fetches both into a temporary folder; their TypeScript declarations carry each type's and field's
// description (JSDoc), the field types, optionality (= not required) and string enums (literal unions). The
// packages' code is not used.
//
// Output format (compact; src/k8s/openapi/openapi.ts expands it into OpenAPI v3 documents):
//   { source, schemas: { "<io.k8s...Name>": Schema } }
//   Schema = { d?: description, t?: type, f?: format, gvk?: [group, version, kind], r?: required[], p?: { field: Field } }
//   Field  = { d?: description, ...Type };  Type = { t?: type, ref?: name, e?: enum[], i?: Type (items), a?: Type (map values) }
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { RESOURCES } from '../src/k8s/api/registry';

const MODELS = 'kubernetes-models@4.5.1';
const APIMACHINERY = '@kubernetes-models/apimachinery@2.2.0';
const OUT = resolve(import.meta.dirname, '../src/k8s/openapi/schemas.json');

type Type = { t?: string; ref?: string; e?: string[]; i?: Type; a?: Type; f?: string };
type Field = Type & { d?: string };
type Schema = { d?: string; t?: string; f?: string; gvk?: [string, string, string]; r?: string[]; p?: Record<string, Field> };

const API_VERSION_DESC = 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DESC = 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

function unpack(): { models: string; am: string } {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-openapi-'));
  execFileSync('npm', ['pack', MODELS, APIMACHINERY, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const out: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.tgz'))) {
    const to = join(dir, f.replace(/\.tgz$/, ''));
    mkdirSync(to);
    execFileSync('tar', ['xzf', join(dir, f), '-C', to]);
    out.push(join(to, 'package'));
  }
  const models = out.find((p) => p.includes('kubernetes-models-4'))!;
  const am = out.find((p) => p.includes('apimachinery'))!;
  return { models, am };
}

function walk(dir: string, acc: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (e === '_schemas' || e === 'node_modules') continue;
    if (statSync(p).isDirectory()) walk(p, acc);
    else if (e.endsWith('.d.ts') && e !== 'index.d.ts' && /^[A-Z]/.test(e)) acc.push(p);
  }
  return acc;
}

/** The schema name of a declaration file: its path in the package, as the Kubernetes OpenAPI names it. */
function nameOf(file: string, roots: { models: string; am: string }): string {
  if (file.startsWith(roots.am)) return 'io.k8s.apimachinery.pkg.' + relative(roots.am, file).replace(/\.d\.ts$/, '').split('/').join('.');
  const parts = relative(roots.models, file).replace(/\.d\.ts$/, '').split('/');
  if (parts.length === 2) return `io.k8s.api.core.${parts.join('.')}`;
  const group = parts[0]!.replace(/\.k8s\.io$/, '').replace(/\.apiserver$/, '').replace(/\.authorization$/, '');
  if (parts[0] === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${parts.slice(1).join('.')}`;
  if (parts[0] === 'apiregistration.k8s.io') return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${parts.slice(1).join('.')}`;
  return `io.k8s.api.${group}.${parts.slice(1).join('.')}`;
}

/** A JSDoc comment's text as the description it was generated from. */
function docOf(node: ts.Node, text: string): string | undefined {
  const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? [];
  const r = ranges.filter((c) => text.slice(c.pos, c.pos + 3) === '/**').at(-1);
  if (!r) return undefined;
  const body = text.slice(r.pos + 3, r.end - 2);
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, '').replace(/^\s*$/, ''));
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines.at(-1) === '') lines.pop();
  // the generator escaped a leading "*" and the comment terminator
  return lines.map((l) => l.replace(/\\\*/g, '*').replace(/\*\\\//g, '*/')).join('\n');
}

const schemas: Record<string, Schema> = {};
const roots = unpack();
const files = [...walk(roots.models), ...walk(roots.am)];
const skipped: string[] = [];
for (const file of files) {
  try {
    parseFile(file);
  } catch (e) {
    skipped.push((e as Error).message); // a type outside the served kinds' closure (checked below)
  }
}
function parseFile(file: string): void {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const name = nameOf(file, roots);
  const imports = new Map<string, string>(); // imported identifier → schema name
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !st.importClause?.namedBindings || !ts.isNamedImports(st.importClause.namedBindings)) continue;
    const spec = (st.moduleSpecifier as ts.StringLiteral).text;
    let target: string | null = null;
    if (spec.startsWith('@kubernetes-models/apimachinery/')) target = join(roots.am, spec.slice('@kubernetes-models/apimachinery/'.length)) + '.d.ts';
    else if (spec.startsWith('.')) target = resolve(dirname(file), spec) + '.d.ts';
    if (!target) continue;
    for (const el of st.importClause.namedBindings.elements) imports.set(el.name.text, nameOf(target, roots));
  }
  const typeOf = (n: ts.TypeNode): Type => {
    if (n.kind === ts.SyntaxKind.StringKeyword) return { t: 'string' };
    if (n.kind === ts.SyntaxKind.NumberKeyword) return { t: 'integer' };
    if (n.kind === ts.SyntaxKind.BooleanKeyword) return { t: 'boolean' };
    if (n.kind === ts.SyntaxKind.AnyKeyword || n.kind === ts.SyntaxKind.ObjectKeyword || n.kind === ts.SyntaxKind.UnknownKeyword) return { t: 'object' };
    if (ts.isParenthesizedTypeNode(n)) return typeOf(n.type);
    if (ts.isArrayTypeNode(n)) return { t: 'array', i: typeOf(n.elementType) };
    if (ts.isTypeReferenceNode(n)) {
      const id = n.typeName.getText(sf);
      if (id === 'Array' && n.typeArguments?.length === 1) return { t: 'array', i: typeOf(n.typeArguments[0]!) };
      if (imports.has(id)) return { ref: imports.get(id)! };
      throw new Error(`${file}: unknown type ${id}`);
    }
    if (ts.isLiteralTypeNode(n) && ts.isStringLiteral(n.literal)) return { t: 'string', e: [n.literal.text] };
    if (ts.isUnionTypeNode(n)) {
      const lits = n.types.filter((x) => ts.isLiteralTypeNode(x) && ts.isStringLiteral(x.literal)).map((x) => ((x as ts.LiteralTypeNode).literal as ts.StringLiteral).text);
      if (lits.length === n.types.length) return { t: 'string', e: lits };
      throw new Error(`${file}: union ${n.getText(sf)}`);
    }
    if (ts.isTypeLiteralNode(n)) {
      const idx = n.members.find(ts.isIndexSignatureDeclaration);
      if (idx && n.members.length === 1) return { t: 'object', a: typeOf(idx.type) };
      if (n.members.length === 0) return { t: 'object' };
      // an object inlined where the schema refers to a kind (StatefulSet's volumeClaimTemplates: PersistentVolumeClaim)
      const spec = n.members.find((m) => ts.isPropertySignature(m) && (m.name as ts.StringLiteral).text === 'spec') as ts.PropertySignature | undefined;
      const specRef = spec?.type ? typeOf(spec.type).ref : undefined;
      if (specRef?.endsWith('Spec')) return { ref: specRef.slice(0, -'Spec'.length) };
    }
    throw new Error(`${file}: type ${n.getText(sf)}`);
  };
  for (const st of sf.statements) {
    if (ts.isTypeAliasDeclaration(st) && st.name.text.startsWith('I')) {
      const s: Schema = { t: 'string' };
      const d = docOf(st, text);
      if (d) s.d = d;
      if (name.endsWith('.Time') || name.endsWith('.MicroTime')) s.f = name.endsWith('.Time') ? 'date-time' : 'date-time';
      if (name.endsWith('.IntOrString')) s.f = 'int-or-string';
      schemas[name] = s;
    }
    if (!ts.isInterfaceDeclaration(st)) continue;
    const typeMeta = st.heritageClauses?.some((h) => h.types.some((t) => t.expression.getText(sf) === 'TypeMeta')) ?? false;
    const s: Schema = { t: 'object' };
    const d = docOf(st, text);
    if (d) s.d = d;
    const props: Record<string, Field> = {};
    const required: string[] = [];
    let apiVersion: string | null = null;
    let kind: string | null = null;
    for (const m of st.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const key = (m.name as ts.StringLiteral).text ?? m.name.getText(sf);
      let f: Field;
      if (typeMeta && (key === 'apiVersion' || key === 'kind')) {
        const lit = m.type.getText(sf).replace(/"/g, '');
        if (key === 'apiVersion') apiVersion = lit;
        else kind = lit;
        f = { t: 'string', d: key === 'apiVersion' ? API_VERSION_DESC : KIND_DESC };
      } else {
        f = typeOf(m.type);
        const fd = docOf(m, text);
        if (fd) f.d = fd;
        if (!m.questionToken) required.push(key);
      }
      props[key] = f;
    }
    if (Object.keys(props).length) s.p = props;
    if (required.length) s.r = required.sort();
    if (typeMeta && apiVersion && kind) {
      const [g, v] = apiVersion.includes('/') ? apiVersion.split('/') as [string, string] : ['', apiVersion];
      s.gvk = [g, v, kind];
    }
    schemas[name] = s;
  }
}

// keep the kinds the simulated apiserver serves (discovery lists them) and what they reach
const keep = new Set<string>();
const visit = (n: string) => {
  if (keep.has(n)) return;
  const s = schemas[n];
  if (!s) throw new Error(`missing schema ${n}\n${skipped.join('\n')}`);
  keep.add(n);
  const walkT = (t: Type) => {
    if (t.ref) visit(t.ref);
    if (t.i) walkT(t.i);
    if (t.a) walkT(t.a);
  };
  for (const f of Object.values(s.p ?? {})) walkT(f);
};
for (const r of RESOURCES) {
  const [g, v] = r.group ? [r.group, r.version] : ['', r.version];
  const hit = Object.entries(schemas).find(([, s]) => s.gvk && s.gvk[0] === g && s.gvk[1] === v && s.gvk[2] === r.kind);
  if (hit) visit(hit[0]);
  else console.error(`no schema for ${r.kind} (${g}/${v}): not served in /openapi/v3`);
}
for (const extra of ['io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch']) if (schemas[extra]) visit(extra);
const out: Record<string, Schema> = {};
for (const n of [...keep].sort()) out[n] = schemas[n]!;
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify({ source: `${MODELS} ${APIMACHINERY} (Kubernetes v1.33)`, schemas: out }) + '\n');
console.log(`${OUT}: ${keep.size} schemas, ${statSync(OUT).size} bytes`);
