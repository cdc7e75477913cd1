// `vi`, `vim` (and, from ../nano, `nano`) as commands of the shell: they read
// the file from the shell's file system (SimFs: writing /etc/hosts changes the
// simulated host as `echo >` does), run the editor on the session's terminal
// (src/shell/tty.ts) in xterm's alternate screen, and write back on :w.
import type { Tty } from '../tty';
import { DEFAULT_OPTIONS, Vim } from './vim';
import { ENTER, FrameWriter, LEAVE } from './render';

/** What an editor needs from the shell: files (paths absolute) and whether one may be written. */
export interface EditorFs {
  read(path: string): Promise<{ text: string } | { error: 'ENOENT' | 'EISDIR' | 'EACCES' }>;
  write(path: string, text: string): Promise<string | null>;
  /** null when writable, else the errno an open for writing gets */
  writeError(path: string): string | null;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export function absolute(cwd: string, p: string): string {
  const parts = (p.startsWith('/') ? p : `${cwd}/${p}`).split('/');
  const out: string[] = [];
  for (const x of parts) {
    if (x === '' || x === '.') continue;
    if (x === '..') out.pop();
    else out.push(x);
  }
  return '/' + out.join('/');
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** vim [options] [+N | +/pat] [file]: the options exam users pass (-R, -u FILE/NONE, --clean, -N, -n, -i). */
export async function runVim(args: string[], env: { cwd: string; home: string; tty: Tty | null }, fs: EditorFs): Promise<CommandResult> {
  let file: string | null = null;
  let readonly = false;
  let rc: string | null = `${env.home}/.vimrc`;
  const startCmds: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-R') readonly = true;
    else if (a === '-u') {
      const v = args[++i];
      rc = v === 'NONE' || v === 'NORC' || v === 'DEFAULTS' ? null : v ? absolute(env.cwd, v) : null;
    } else if (a === '--clean') rc = null;
    else if (a === '-i' || a === '-U') i++;
    else if (a === '-N' || a === '-n' || a === '--noplugin' || a === '-X') continue;
    else if (a === '--version') return { stdout: 'VIM - Vi IMproved 9.0 (2022 Jun 28, compiled Feb 16 2025 05:23:41)\n', stderr: '', exitCode: 0 };
    else if (a.startsWith('+')) startCmds.push(a.length === 1 ? '$' : a.slice(1));
    else if (a === '--') {
      file = args[i + 1] ?? file;
      break;
    } else if (a.startsWith('-') && a !== '-') return { stdout: '', stderr: `VIM - Vi IMproved 9.0 (2022 Jun 28, compiled Feb 16 2025 05:23:41)\nUnknown option argument: "${a}"\nMore info with: "vim -h"\n`, exitCode: 1 };
    else if (file === null) file = a;
  }
  const tty = env.tty;
  if (!tty) return { stdout: '', stderr: 'Vim: Warning: Output is not to a terminal\nVim: Error reading input, exiting...\n', exitCode: 1 };
  let vimrc: string[] = [];
  if (rc) {
    const r = await fs.read(rc);
    if ('text' in r) vimrc = r.text.split('\n');
  }
  let lines: string[] | null = null;
  let bytes = 0;
  let noeol = false;
  let message: string | undefined;
  let path: string | null = null;
  if (file !== null) {
    path = absolute(env.cwd, file);
    const r = await fs.read(path);
    if ('text' in r) {
      const text = r.text;
      bytes = utf8Length(text);
      noeol = text.length > 0 && !text.endsWith('\n');
      lines = text === '' ? [] : (noeol ? text : text.slice(0, -1)).split('\n');
      if (fs.writeError(path) === 'EACCES' || fs.writeError(path) === 'EROFS') readonly = true;
    } else if (r.error === 'EISDIR') message = `"${file}" is a directory`;
    else if (r.error === 'EACCES') message = `"${file}" [Permission Denied]`;
  }
  const vim = new Vim({ lines, path: file, bytes, noeol, rows: tty.rows, columns: tty.columns, vimrc, readonly, message, options: { ...DEFAULT_OPTIONS } });
  for (const c of startCmds) vim.ex(c, false);
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
        const target = absolute(env.cwd, e.path);
        const existed = 'text' in (await fs.read(target));
        const before = existed && e.append ? ((await fs.read(target)) as { text: string }).text : '';
        const err = await fs.write(target, before + e.text);
        if (err) {
          vim.written({ ok: false, message: `"${e.path}" E212: Can't open file for writing` });
          data = '';
        } else {
          const n = e.text.split('\n').length - 1;
          vim.written({ ok: true, path: e.path, isNew: !existed, lines: n, bytes: utf8Length(e.text), quit: e.quit, whole: target === (path ?? target) });
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
  return { stdout: '', stderr: '', exitCode: code };
}
