// The full-screen programs (vim, nano) as loops over a terminal: keys in,
// screens out, and file writes asked of the shell (`save`). The loop runs
// where the keys are: in the page's own thread when the terminal can host it
// (`Tty.host`, the in-page terminal: a keystroke then never waits for a
// round trip to the shell's worker, which the browser delays until after its
// next frame once a key was pressed), else next to the shell (`npm run shell`,
// tests). Either way the program and its start are the same: a `Program` is
// plain JSON, built by the command (./vim/command.ts, ./nano/command.ts) from
// the shell's files.
import type { Tty } from './tty';
import { DEFAULT_OPTIONS, Vim } from './vim/vim';
import { Nano } from './nano/nano';
import { ENTER, FrameWriter, LEAVE } from './vim/render';
import { absolute, utf8Length, type NanoStart, type Program, type Save, type VimStart } from './program-start';

export type { Program, Save, SaveRequest, SaveResult } from './program-start';

/** Runs `p` on `tty` until it quits (or the terminal goes away); its exit status. */
export function runProgram(p: Program, tty: Tty, save: Save): Promise<number> {
  return p.kind === 'vim' ? driveVim(p.start, tty, save) : driveNano(p.start, tty, save);
}

async function driveVim(s: VimStart, tty: Tty, save: Save): Promise<number> {
  const vim = new Vim({ ...s.init, rows: tty.rows, columns: tty.columns, options: { ...DEFAULT_OPTIONS } });
  for (const c of s.startCmds) vim.ex(c, false);
  const fw = new FrameWriter();
  const draw = () => tty.write(fw.frame(vim.screen(), vim.columns));
  tty.write(ENTER);
  draw();
  let code = 0;
  let quit = false;
  while (!quit) {
    let data = await tty.read();
    if (data === null) break;
    fw.resized(vim, tty, { rows: 2, columns: 10 });
    while (data && !quit) {
      data = vim.input(data);
      for (const e of vim.effects.splice(0)) {
        if (e.type === 'quit') {
          quit = true;
          code = e.code;
          continue;
        }
        const target = absolute(s.cwd, e.path);
        const r = await save({ path: target, text: e.text, append: !!e.append });
        if (r.error) {
          vim.written({ ok: false, message: `"${e.path}" E212: Can't open file for writing` });
          data = '';
        } else {
          const n = e.text.split('\n').length - 1;
          vim.written({ ok: true, path: e.path, isNew: !r.existed, lines: n, bytes: utf8Length(e.text), quit: e.quit, whole: target === (s.path ?? target) });
        }
        for (const q of vim.effects.splice(0)) if (q.type === 'quit') {
          quit = true;
          code = q.code;
        }
      }
    }
    if (!quit) draw();
  }
  tty.write(LEAVE);
  return code;
}

async function driveNano(s: NanoStart, tty: Tty, save: Save): Promise<number> {
  const nano = new Nano({ lines: s.lines, path: s.file, rows: tty.rows, columns: tty.columns, message: s.message });
  if (s.goTo) {
    nano.prompt = { kind: 'goto', text: s.goTo };
    nano.input('\r');
  }
  const fw = new FrameWriter();
  const draw = () => tty.write(fw.frame(nano.screen(), nano.columns));
  tty.write(ENTER);
  draw();
  let quit = false;
  while (!quit) {
    let data = await tty.read();
    if (data === null) break;
    fw.resized(nano, tty, { rows: 6, columns: 20 });
    while (data && !quit) {
      data = nano.input(data);
      for (const e of nano.effects.splice(0)) {
        if (e.type === 'quit') {
          quit = true;
          continue;
        }
        const { error: err } = await save({ path: absolute(s.cwd, e.path), text: e.text, append: false });
        if (err) {
          nano.written({ ok: false, message: `Error writing ${e.path}: ${err === 'EACCES' ? 'Permission denied' : err === 'ENOENT' ? 'No such file or directory' : err}` });
          data = '';
        } else nano.written({ ok: true, path: e.path, lines: e.text.split('\n').length - 1, quit: e.quit });
        for (const q of nano.effects.splice(0)) if (q.type === 'quit') quit = true;
      }
    }
    if (!quit) draw();
  }
  tty.write(LEAVE);
  return 0;
}
