// The layer rule (.dependency-cruiser.mjs) over the whole tree, and a proof
// on a tiny fixture tree that an upward import breaks it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import config from '../.dependency-cruiser.mjs';

async function violations(dirs: string[], baseDir: string): Promise<string[]> {
  const out = await cruise(dirs, {
    ...config.options,
    tsConfig: undefined,
    baseDir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  });
  const result = out.output as ICruiseResult;
  expect(result.summary.totalCruised).toBeGreaterThan(4);
  return result.summary.violations.filter((v) => v.rule.severity === 'error').map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('layers', () => {
  it('no module imports a layer above its own', async () => {
    expect(await violations(['src', 'scripts', 'content', 'e2e'], process.cwd())).toEqual([]);
  });

  describe('on a fixture tree', () => {
    const root = mkdtempSync(join(tmpdir(), 'netlab-layers-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('src/sim/kernel.ts', 'export const k = 1;\n');
    write('src/commands/tool.ts', "import { k } from '../sim/kernel';\nexport const t = k;\n");
    write('src/shell/session.ts', "import { t } from '../commands/tool';\nexport const s = t;\n");
    write('src/labs/lab.ts', "import { s } from '../shell/session';\nexport const l = s;\n");
    write('src/components/ui.ts', "import { l } from '../labs/lab';\nexport const u = l;\n");
    write('scripts/run.ts', "import { u } from '../src/components/ui';\nexport const r = u;\n");

    it('passes when every import goes down', async () => {
      expect(await violations(['src', 'scripts'], root)).toEqual([]);
    });

    it('fails on an upward import, naming the rule and both files', async () => {
      write('src/sim/leak.ts', "import { s } from '../shell/session';\nexport const x = s;\n");
      write('src/commands/leak.ts', "import { s } from '../shell/session';\nexport const y = s;\n");
      write('src/labs/leak.ts', "import { r } from '../../scripts/run';\nexport const z = r;\n");
      expect((await violations(['src', 'scripts'], root)).sort()).toEqual([
        'no-import-of-scripts: src/labs/leak.ts → scripts/run.ts',
        'no-upward-from-commands: src/commands/leak.ts → src/shell/session.ts',
        'no-upward-from-sim: src/sim/leak.ts → src/shell/session.ts',
      ]);
    });
  });
});
