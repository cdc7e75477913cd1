// Issue 11's size rule: no file in src/ over 800 lines, no function over 120
// lines, measured with the TypeScript compiler's own parser (every function,
// method, arrow and accessor). No exceptions: the last long ones were split in
// December 2026; a data table that grows past the limit moves to a file of its own.
import ts from 'typescript';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAX_FILE = 800;
const MAX_FUNCTION = 120;

function sources(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.ts$/.test(f) && !/\.(test|test-util|d)\.ts$/.test(f)) out.push(p);
  }
  return out;
}

function measure(): { files: Map<string, number>; functions: Map<string, number> } {
  const files = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const f of sources('src')) {
    const text = readFileSync(f, 'utf8');
    files.set(f, text.split('\n').length);
    const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) && 'body' in n && n.body) {
        const len = sf.getLineAndCharacterOfPosition(n.getEnd()).line - sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
        if (len > MAX_FUNCTION) {
          const named = (n as { name?: ts.Node }).name;
          const parent = n.parent;
          const name = named ? named.getText() : ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) ? parent.name.getText() : `<anonymous at ${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}>`;
          functions.set(`${f}:${name}`, len);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { files, functions };
}

describe('size limits (issue 11)', () => {
  const { files, functions } = measure();

  it(`no file in src/ is over ${MAX_FILE} lines`, () => {
    const over = [...files].filter(([, n]) => n > MAX_FILE).map(([f, n]) => `${f} (${n} lines)`);
    expect(over).toEqual([]);
  });

  it(`no function is over ${MAX_FUNCTION} lines`, () => {
    const bad = [...functions].map(([k, n]) => `${k} (${n} lines)`);
    expect(bad).toEqual([]);
  });

  it('the rule sees a long function (the measure is not blind)', () => {
    const body = Array.from({ length: MAX_FUNCTION + 5 }, (_, i) => `  x += ${i};`).join('\n');
    const sf = ts.createSourceFile('t.ts', `function big() {\n  let x = 0;\n${body}\n  return x;\n}\n`, ts.ScriptTarget.Latest, true);
    const fn = sf.statements[0]!;
    const len = sf.getLineAndCharacterOfPosition(fn.getEnd()).line - sf.getLineAndCharacterOfPosition(fn.getStart()).line + 1;
    expect(len).toBeGreaterThan(MAX_FUNCTION);
  });
});
