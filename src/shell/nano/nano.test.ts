// The nano scenarios recorded from the real nano 7.2 (fixtures/editor/capture-nano.mjs):
// each replays the same keys on our nano and compares the screen, the cursor and the files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Nano } from './nano';
import { FILES, keyBytes } from '../../../fixtures/editor/nano-scenarios.mjs';

interface Recorded {
  name: string;
  file: string;
  keys: string;
  screen: string[];
  cursor: { row: number; col: number };
  exited: boolean;
  disk: string;
  other?: string;
}
const data = JSON.parse(readFileSync(new URL('../../../fixtures/editor/nano.json', import.meta.url), 'utf8')) as { scenarios: Recorded[] };

export function replayNano(sc: { file: string; keys: string }) {
  const files = FILES as Record<string, string>;
  const disk = new Map<string, string>([[sc.file, files[sc.file]!]]);
  const text = files[sc.file]!;
  const nano = new Nano({ lines: text.replace(/\n$/, '').split('\n'), path: sc.file, rows: 24, columns: 80 });
  let exited = false;
  let rest: string = keyBytes(sc.keys);
  while (rest && !exited) {
    rest = nano.input(rest);
    for (const e of nano.effects.splice(0)) {
      if (e.type === 'quit') exited = true;
      else {
        disk.set(e.path, e.text);
        nano.written({ ok: true, path: e.path, lines: e.text.split('\n').length - 1, quit: e.quit });
        for (const q of nano.effects.splice(0)) if (q.type === 'quit') exited = true;
      }
    }
  }
  return { nano, exited, disk };
}

describe('nano agrees with the real nano', () => {
  it('has at least 30 recorded scenarios', () => {
    expect(data.scenarios.length).toBeGreaterThanOrEqual(30);
  });
  for (const sc of data.scenarios) {
    it(sc.name, () => {
      const { nano, exited, disk } = replayNano(sc);
      expect(exited).toBe(sc.exited);
      expect(disk.get(sc.file)).toBe(sc.disk);
      if (sc.other !== undefined) expect(disk.get('other.txt')).toBe(sc.other);
      if (sc.exited) return;
      const screen = nano.screen();
      expect(screen.lines).toEqual(sc.screen);
      expect(screen.cursor).toEqual(sc.cursor);
    });
  }
});
