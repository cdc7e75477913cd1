// kubectl's JSONPath (k8s.io/client-go/util/jsonpath) over an object as JSON: text and {expressions};
// fields (.a, ['a']), indexes and slices ([0], [-1], [0:2], [*]), recursive descent (..name), filters
// ([?(@.a=="x")], [?(@.a)], <, >, <=, >=, !=), {range ...}{end}, quoted literals ({"\n"}), @.
// Results print as kubectl does: strings raw, other scalars as Go prints them, maps and lists as compact JSON
// (map keys sorted); the results of one expression are separated by spaces.

type J = unknown;

export class JsonPathError extends Error {}

type Node =
  | { t: 'text'; s: string }
  | { t: 'expr'; path: Step[] }
  | { t: 'lit'; s: string }
  | { t: 'range'; path: Step[]; body: Node[] };

type Step =
  | { t: 'root' }
  | { t: 'cur' }
  | { t: 'field'; name: string }
  | { t: 'recursive'; name: string | null }
  | { t: 'index'; start: number | null; end: number | null; step: number | null; single: boolean }
  | { t: 'wild' }
  | { t: 'filter'; left: Step[]; op: string | null; right: string | number | Step[] | null };

function unquote(s: string): string {
  return s.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"' })[c] ?? c);
}

/** Parse a path like `.a.b[0][*]..c` into steps. */
function parsePath(src: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const s = src.trim();
  if (s.startsWith('$')) {
    steps.push({ t: 'root' });
    i = 1;
  } else if (s.startsWith('@')) {
    steps.push({ t: 'cur' });
    i = 1;
  }
  while (i < s.length) {
    const c = s[i]!;
    if (c === '.' && s[i + 1] === '.') {
      i += 2;
      const m = /^[\w-]*/.exec(s.slice(i))![0];
      i += m.length;
      steps.push({ t: 'recursive', name: m || null });
    } else if (c === '.') {
      i++;
      if (s[i] === '*') {
        i++;
        steps.push({ t: 'wild' });
        continue;
      }
      // a field name ends at an unescaped '.', '[' or space (`config\.conf` is the key "config.conf")
      const m = /^(?:\\.|[^.[\]\s\\])*/.exec(s.slice(i))![0];
      i += m.length;
      if (m) steps.push({ t: 'field', name: m.replace(/\\(.)/g, '$1') });
    } else if (c === '[') {
      let depth = 0;
      let j = i;
      for (; j < s.length; j++) {
        if (s[j] === '[') depth++;
        else if (s[j] === ']' && --depth === 0) break;
      }
      if (j >= s.length) throw new JsonPathError(`unterminated array`);
      const inner = s.slice(i + 1, j).trim();
      i = j + 1;
      if (inner === '*') steps.push({ t: 'wild' });
      else if (/^'.*'$|^".*"$/.test(inner)) {
        for (const part of inner.split(/\s*,\s*/)) steps.push({ t: 'field', name: part.slice(1, -1) });
      } else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push(parseFilter(inner.slice(2, -1)));
      else {
        const m = /^(-?\d+)?(?:(:)(-?\d+)?(?::(-?\d+))?)?$/.exec(inner);
        if (!m) throw new JsonPathError(`invalid array index ${inner}`);
        const num = (x: string | undefined) => (x === undefined ? null : Number(x));
        steps.push({ t: 'index', start: num(m[1]), end: num(m[3]), step: num(m[4]), single: !m[2] });
      }
    } else if (/\s/.test(c)) i++;
    else {
      const m = /^[^.[\]\s]+/.exec(s.slice(i))![0];
      i += m.length;
      steps.push({ t: 'field', name: m });
    }
  }
  return steps;
}

function parseFilter(src: string): Step {
  const m = /^(.*?)\s*(==|!=|<=|>=|<|>|=~)\s*(.*)$/.exec(src);
  if (!m) return { t: 'filter', left: parsePath(src), op: null, right: null };
  const r = m[3]!.trim();
  let right: string | number | Step[];
  if (/^'.*'$|^".*"$/.test(r)) right = r.slice(1, -1);
  else if (/^-?\d+(\.\d+)?$/.test(r)) right = Number(r);
  else right = parsePath(r);
  return { t: 'filter', left: parsePath(m[1]!), op: m[2]!, right };
}

export function parseTemplate(tpl: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  let i = 0;
  while (i < tpl.length) {
    const open = tpl.indexOf('{', i);
    if (open < 0) {
      stack[stack.length - 1]!.push({ t: 'text', s: tpl.slice(i) });
      break;
    }
    if (open > i) stack[stack.length - 1]!.push({ t: 'text', s: tpl.slice(i, open) });
    // find the matching close, skipping quoted strings
    let j = open + 1;
    let q: string | null = null;
    for (; j < tpl.length; j++) {
      const c = tpl[j]!;
      if (q) {
        if (c === '\\') j++;
        else if (c === q) q = null;
      } else if (c === '"' || c === "'") q = c;
      else if (c === '}') break;
    }
    if (j >= tpl.length) throw new JsonPathError(`unclosed action`);
    const inner = tpl.slice(open + 1, j).trim();
    i = j + 1;
    const cur = stack[stack.length - 1]!;
    if (/^".*"$/s.test(inner)) cur.push({ t: 'lit', s: unquote(inner.slice(1, -1)) });
    else if (inner.startsWith('range ') || inner === 'range') {
      const node: Node = { t: 'range', path: parsePath(inner.slice(5)), body: [] };
      cur.push(node);
      stack.push(node.body);
    } else if (inner === 'end') {
      if (stack.length === 1) throw new JsonPathError(`not in range, nothing to end`);
      stack.pop();
    } else cur.push({ t: 'expr', path: parsePath(inner) });
  }
  if (stack.length > 1) throw new JsonPathError(`unclosed range`);
  return root;
}

const isObj = (v: J): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);

function walk(values: J[], steps: Step[], root: J, allowMissing: boolean): J[] {
  let cur = values;
  for (const st of steps) {
    const next: J[] = [];
    for (const v of cur) {
      switch (st.t) {
        case 'root':
          next.push(root);
          break;
        case 'cur':
          next.push(v);
          break;
        case 'field':
          if (isObj(v) && st.name in v) next.push(v[st.name]);
          else if (!allowMissing && (isObj(v) || v === undefined)) throw new JsonPathError(`${st.name} is not found`);
          break;
        case 'wild':
          if (Array.isArray(v)) next.push(...v);
          else if (isObj(v)) next.push(...Object.keys(v).sort().map((k) => v[k]));
          break;
        case 'recursive': {
          const visit = (x: J) => {
            if (st.name === null) next.push(x);
            else if (isObj(x) && st.name in x) next.push(x[st.name]);
            if (Array.isArray(x)) x.forEach(visit);
            else if (isObj(x)) Object.keys(x).sort().forEach((k) => visit(x[k]));
          };
          visit(v);
          break;
        }
        case 'index': {
          if (!Array.isArray(v)) break;
          const n = v.length;
          if (st.single) {
            let k = st.start ?? 0;
            if (k < 0) k += n;
            if (k < 0 || k >= n) throw new JsonPathError(`array index out of bounds: index ${st.start}, length ${n}`);
            next.push(v[k]);
          } else {
            let a = st.start ?? 0;
            let b = st.end ?? n;
            if (a < 0) a += n;
            if (b < 0) b += n;
            a = Math.max(0, Math.min(n, a));
            b = Math.max(0, Math.min(n, b));
            const step = st.step ?? 1;
            for (let k = a; k < b; k += step) next.push(v[k]);
          }
          break;
        }
        case 'filter': {
          const items = Array.isArray(v) ? v : [v];
          for (const it of items) {
            const left = walk([it], st.left.length && st.left[0]!.t === 'cur' ? st.left.slice(1) : st.left, root, true);
            if (st.op === null) {
              if (left.length && left[0] !== undefined && left[0] !== null && left[0] !== false) next.push(it);
              continue;
            }
            const rights = Array.isArray(st.right) ? walk([it], st.right[0]?.t === 'cur' ? st.right.slice(1) : st.right, root, true) : [st.right];
            const l = left[0];
            const r = rights[0];
            if (l === undefined) continue;
            let okv = false;
            switch (st.op) {
              case '==':
                okv = String(l) === String(r);
                break;
              case '!=':
                okv = String(l) !== String(r);
                break;
              case '<':
                okv = Number(l) < Number(r);
                break;
              case '>':
                okv = Number(l) > Number(r);
                break;
              case '<=':
                okv = Number(l) <= Number(r);
                break;
              case '>=':
                okv = Number(l) >= Number(r);
                break;
              case '=~':
                okv = new RegExp(String(r)).test(String(l));
                break;
            }
            if (okv) next.push(it);
          }
          break;
        }
      }
    }
    cur = next;
  }
  return cur;
}

/** Go's JSON of a value: compact, map keys sorted, HTML characters escaped. */
export function goJson(v: J): string {
  const sortDeep = (x: J): J => (Array.isArray(x) ? x.map(sortDeep) : isObj(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortDeep(x[k])])) : x);
  return (JSON.stringify(sortDeep(v)) ?? 'null').replace(/[<>&]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

export function textOf(v: J): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return goJson(v);
  return String(v);
}

/** Evaluate a parsed template over `data`; results of one expression are joined with spaces. */
export function execute(nodes: Node[], data: J, allowMissing = false, cur: J = data): string {
  let out = '';
  for (const n of nodes) {
    if (n.t === 'text' || n.t === 'lit') out += n.s;
    else if (n.t === 'expr') {
      const steps = n.path[0]?.t === 'root' ? n.path.slice(1) : n.path;
      const start = n.path[0]?.t === 'root' ? data : cur;
      out += walk([start], steps, data, allowMissing).map(textOf).join(' ');
    } else {
      const steps = n.path[0]?.t === 'root' ? n.path.slice(1) : n.path;
      for (const item of walk([n.path[0]?.t === 'root' ? data : cur], steps, data, allowMissing)) {
        const items = Array.isArray(item) ? item : [item];
        for (const it of items) out += execute(n.body, data, allowMissing, it);
      }
    }
  }
  return out;
}

/** Values of one relaxed path (custom-columns: `.metadata.name`, `metadata.name` or `{.metadata.name}`). */
export function evalRelaxed(expr: string, data: J): J[] {
  let e = expr.trim();
  if (e.startsWith('{') && e.endsWith('}')) e = e.slice(1, -1);
  if (!e.startsWith('.') && !e.startsWith('$') && !e.startsWith('@')) e = '.' + e;
  return walk([data], parsePath(e).filter((s) => s.t !== 'root'), data, true);
}

/** The values every expression of a template yields, in order (jsonpath-as-json). */
export function collect(nodes: Node[], data: J, out: unknown[], cur: J = data): void {
  for (const n of nodes) {
    if (n.t === 'expr') {
      const steps = n.path[0]?.t === 'root' ? n.path.slice(1) : n.path;
      out.push(...walk([n.path[0]?.t === 'root' ? data : cur], steps, data, true));
    } else if (n.t === 'range') {
      const steps = n.path[0]?.t === 'root' ? n.path.slice(1) : n.path;
      for (const item of walk([n.path[0]?.t === 'root' ? data : cur], steps, data, true)) {
        for (const it of Array.isArray(item) ? item : [item]) collect(n.body, data, out, it);
      }
    }
  }
}
