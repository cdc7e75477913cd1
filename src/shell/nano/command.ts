// `nano [+LINE[,COL]] [FILE]` on the session's terminal and file system (see ../fullscreen.ts).
import type { Tty } from '../tty';
import { absolute, type CommandResult, type EditorFs } from '../vim/command';
import { ENTER, FrameWriter, LEAVE } from '../vim/render';
import { Nano } from './nano';

export async function runNano(args: string[], env: { cwd: string; home: string; tty: Tty | null }, fs: EditorFs): Promise<CommandResult> {
  let file: string | null = null;
  let goTo: string | null = null;
  for (const a of args) {
    if (a === '--version' || a === '-V') return { stdout: ' GNU nano, version 7.2\n (C) 2023 the Free Software Foundation and various contributors\n', stderr: '', exitCode: 0 };
    if (a.startsWith('+')) goTo = a.slice(1);
    else if (a.startsWith('-') && a !== '-') continue;
    else if (file === null) file = a;
  }
  const tty = env.tty;
  if (!tty) return { stdout: '', stderr: 'Too many errors from stdin\n', exitCode: 1 };
  let lines: string[] | null = null;
  let message: string | undefined;
  if (file !== null) {
    const r = await fs.read(absolute(env.cwd, file));
    if ('text' in r) lines = r.text === '' ? [] : r.text.replace(/\n$/, '').split('\n');
    else if (r.error === 'EISDIR') message = `"${file}" is a directory`;
    else if (r.error === 'EACCES') message = `Error reading ${file}: Permission denied`;
  }
  const nano = new Nano({ lines, path: file, rows: tty.rows, columns: tty.columns, message });
  if (goTo) {
    nano.prompt = { kind: 'goto', text: goTo };
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
        const err = await fs.write(absolute(env.cwd, e.path), e.text);
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
  return { stdout: '', stderr: '', exitCode: 0 };
}
