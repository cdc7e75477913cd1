import { describe, expect, it } from 'vitest';
import { toYaml, yamlKeyLess } from './yaml';
import { findCommand, flagsOf, FlagError, parseFlags, suggestionsFor } from './flags';
import { layoutHelp, wrapString } from './help';
import { execute, parseTemplate } from './jsonpath';
import { outputSpec, printStructured, tabwrite, CREATE_FORMATS } from './printers';
import { kubectl } from './index';
import { World } from '../../sim/world';
import type { Sys } from '../types';

describe('kubectl -o yaml (go-yaml v2 emitter)', () => {
  it('sorts keys, quotes what YAML 1.1 would not read back as the same string, folds long plain text', () => {
    const y = toYaml({ b: 'yes', a: { n: '1.5', list: [{ y: 'x: y', x: '' }], empty: {}, none: [] }, long: 'word '.repeat(20).trim() });
    expect(y).toBe(
      'a:\n  empty: {}\n  list:\n  - x: ""\n    "y": \'x: y\'\n  "n": "1.5"\n  none: []\nb: "yes"\n' +
        'long: word word word word word word word word word word word word word word word word\n  word word word word\n',
    );
  });
  it('uses literal blocks for multi-line strings and double quotes for tabs', () => {
    expect(toYaml({ a: 'x\ny', b: 'x\n', c: 't\tx' })).toBe('a: |-\n  x\n  y\nb: |\n  x\nc: "t\\tx"\n');
  });
  it('orders keys as go-yaml does: digits by value, a non-letter before a letter', () => {
    expect(yamlKeyLess('a2', 'a10')).toBe(true);
    expect(yamlKeyLess('a_b', 'aa')).toBe(true);
    expect(yamlKeyLess('app', 'app.kubernetes.io/name')).toBe(true);
  });
});

describe('kubectl command line (cobra, pflag)', () => {
  it('finds the command path past global flags and aliases', () => {
    expect(findCommand(['-n', 'x', 'create', 'svc', 'clusterip', 'web']).path).toBe('create service clusterip');
    expect(findCommand(['creat', 'deployment']).stray).toBe('creat');
  });
  it('reads flags with pflag errors', () => {
    const specs = flagsOf('create deployment');
    expect(() => parseFlags(['--replicas=abc'], specs)).toThrow('invalid argument "abc" for "-r, --replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax');
    expect(() => parseFlags(['-x'], specs)).toThrow(FlagError);
    expect(() => parseFlags(['-n'], specs)).toThrow("flag needs an argument: 'n' in -n");
    const p = parseFlags(['web', '-owide', '--image', 'nginx', '--dry-run', '--', 'sleep', '1'], specs);
    expect(p.args).toEqual(['web', 'sleep', '1']);
    expect(p.dash).toBe(1);
    expect(p.values.get('dry-run')).toEqual(['unchanged']);
    expect(p.values.get('output')).toEqual(['wide']);
  });
  it('suggests commands within two edits or by prefix', () => {
    expect(suggestionsFor('gets', ['set', 'get', 'delete'])).toEqual(['set', 'get']);
  });
});

describe('kubectl help layout', () => {
  it('wraps as go-wordwrap does, at the limit and only at spaces', () => {
    expect(wrapString('aaa bbb ccc', 7)).toBe('aaa bbb\nccc');
    expect(wrapString('averyveryverylongword x', 5)).toBe('averyveryverylongword\nx');
  });
  it('wraps a flag usage at the limit minus 10 with a tab', () => {
    const text = 'Options:\n    --x=false:\n\t' + 'word '.repeat(20).trim() + '\n';
    expect(layoutHelp(text, 80).split('\n')[2]).toBe('\t' + 'word '.repeat(14).trim());
  });
});

describe('kubectl printers', () => {
  const obj = { kind: 'Service', apiVersion: 'v1', metadata: { name: 'web' }, spec: { ports: [{ port: 80, name: 'a' }, { port: 443, name: 'b' }] } };
  it('jsonpath: ranges, indexes, literals, maps as JSON', () => {
    expect(execute(parseTemplate('{range .spec.ports[*]}{.name}={.port}{"\\n"}{end}'), obj)).toBe('a=80\nb=443\n');
    expect(execute(parseTemplate('{.spec.ports[-1].port} {.metadata}'), obj)).toBe('443 {"name":"web"}');
    expect(execute(parseTemplate('{.spec.ports[?(@.port==443)].name}'), obj)).toBe('b');
  });
  it('name, custom-columns and the printer errors', () => {
    expect(printStructured(obj, outputSpec('name', '', CREATE_FORMATS))).toBe('service/web\n');
    expect(() => outputSpec('wide', '', CREATE_FORMATS)).toThrow('unable to match a printer suitable for the output format "wide"');
    expect(tabwrite([['NAME', 'AGE'], ['kubernetes', '2d']])).toBe('NAME         AGE\nkubernetes   2d\n');
  });
});

describe('kubectl without a cluster', () => {
  const w = World.create();
  w.addHost('h');
  const sys: Sys = { world: w, host: 'h', ns: 'ns1', tty: true, columns: 80, withNs: (_n, fn) => fn(), readFile: () => null, writeFile: () => {}, onHost: (_h, fn) => fn(), login: () => {} };
  const io = { stdin: '', cwd: '/root', env: { HOME: '/root' }, exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }), signal: null };
  const run = (line: string) => kubectl.run(line.split(' '), io, sys);
  it('the misleading errors of the old kubectl are gone', async () => {
    expect((await run('run x --image=nginx')).stderr).not.toContain('unknown shorthand');
    const h = await run('--help');
    expect(h.exitCode).toBe(0);
    expect(h.stdout).toContain('kubectl controls the Kubernetes cluster manager.');
    const y = await run('create deployment web --image=nginx --dry-run=client -o yaml');
    expect(y.exitCode).toBe(0);
    expect(y.stdout).toContain('kind: Deployment\n');
  });
});
