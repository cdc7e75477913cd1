// The layers of netlab, enforced by dependency-cruiser (`npm run lint:deps`,
// and src/layers.test.ts in `npm test`). Lowest first; a module may import its
// own layer and the layers below it, never one above. scripts/ (the npm
// scripts) and the root config files may import anything; nothing imports
// scripts/. Tests (*.test.ts and their *.test-util.ts helpers) may use a layer
// above the code they test as a harness (a tool's test drives it through a
// Session); the rules hold for everything that ships.
export const TEST_FILES = '[.]test([.-]util)?[.]ts$';

export const LAYERS = [
  ['sim', '^src/sim/'],
  ['k8s', '^src/k8s/'],
  ['commands', '^src/commands/'],
  ['shell', '^src/shell/'],
  ['labs', '^src/labs/'],
  ['ui', '^(src/components/|src/pages/|src/content[.]config[.]ts$|content/|e2e/)'],
];

const forbidden = [
  ...LAYERS.slice(0, -1).map(([name, path], i) => ({
    name: `no-upward-from-${name}`,
    comment: `src layer '${name}' imports a layer above it (${LAYERS.slice(i + 1).map(([n]) => n).join(', ')}); pass what it needs in from above instead`,
    severity: 'error',
    from: { path, pathNot: TEST_FILES },
    to: { path: LAYERS.slice(i + 1).map(([, p]) => p) },
  })),
  {
    name: 'no-import-of-scripts',
    comment: 'scripts/ are entry points (npm scripts); nothing else imports them',
    severity: 'error',
    from: { pathNot: '^scripts/' },
    to: { path: '^scripts/' },
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|[.]astro)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js', '.json', '.astro'] },
  },
};
