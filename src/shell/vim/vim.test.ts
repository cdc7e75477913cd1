// The vim scenarios recorded from the real vim (fixtures/editor/capture-vim.mjs): each
// replays the same keys on our vim and compares the buffer, the cursor, the mode, the
// file written and the screen.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Vim } from './vim';
import { keyBytes } from '../../../fixtures/editor/vim-scenarios.mjs';

interface Recorded {
  name: string;
  file: string;
  keys: string;
  vimrc?: string;
  screen: string[];
  cursor: { row: number; col: number };
  exited: boolean;
  state: { row: number; col: number; mode: string; buffer: string[]; modified: boolean } | null;
  disk: string;
  written?: string;
}
const data = JSON.parse(readFileSync(new URL('../../../fixtures/editor/vim.json', import.meta.url), 'utf8')) as { rows: number; columns: number; scenarios: Recorded[] };
const files = (await import('../../../fixtures/editor/vim-scenarios.mjs')).FILES as Record<string, string>;

/** Run a scenario on our vim, with a file system of one file (and what :w writes elsewhere). */
export function replay(sc: { file: string; keys: string; vimrc?: string; args?: string }, rows = 24, columns = 80) {
  const disk = new Map<string, string>([[sc.file, files[sc.file]!]]);
  const text = disk.get(sc.file)!;
  const lines = text.replace(/\n$/, '').split('\n');
  const vim = new Vim({ lines, path: sc.file, bytes: Buffer.byteLength(text), rows, columns, vimrc: sc.vimrc ? sc.vimrc.split('\n') : [], readonly: sc.args === '-R' });
  let exited = false;
  let rest: string = keyBytes(sc.keys);
  while (rest && !exited) {
    rest = vim.input(rest);
    for (const e of vim.effects.splice(0)) {
      if (e.type === 'quit') exited = true;
      else {
        const isNew = !disk.has(e.path);
        disk.set(e.path, e.text);
        vim.written({ ok: true, path: e.path, isNew, lines: e.text.split('\n').length - 1, bytes: Buffer.byteLength(e.text), quit: e.quit, whole: true });
        for (const q of vim.effects.splice(0)) if (q.type === 'quit') exited = true;
      }
    }
  }

  return { vim, exited, disk };
}

const MODES: Record<string, string> = { normal: 'n', insert: 'i', replace: 'R', visual: 'v', vline: 'V', cmdline: 'c' };

describe('vim agrees with the real vim', () => {
  it('has at least 150 recorded scenarios', () => {
    expect(data.scenarios.length).toBeGreaterThanOrEqual(150);
  });
  for (const sc of data.scenarios) {
    it(sc.name, () => {
      const { vim, exited, disk } = replay(sc, data.rows, data.columns);
      expect(exited).toBe(sc.exited);
      expect(disk.get(sc.file)).toBe(sc.disk);
      if (sc.written !== undefined) expect(disk.get('/tmp/netlab-vim-new.txt')).toBe(sc.written);
      if (sc.exited || !sc.state) return;
      expect({ buffer: vim.lines, row: vim.row, col: vim.col, mode: MODES[vim.mode], modified: vim.modified }).toEqual({ buffer: sc.state.buffer, row: sc.state.row, col: sc.state.col, mode: sc.state.mode, modified: sc.state.modified });
      const screen = vim.screen();
      // undo messages carry the time since the change ("1 second ago"): compared without it
      const strip = (l: string) => l.replace(/\s+\d+ seconds? ago$/, '');
      expect(screen.lines.map(strip)).toEqual(sc.screen.map(strip));
      expect(screen.cursor).toEqual(sc.cursor);
    });
  }
});
