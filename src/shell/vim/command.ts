// `vi`, `vim` (and, from ../nano, `nano`) as commands of the shell: they read
// the file from the shell's file system (SimFs: writing /etc/hosts changes the
// simulated host as `echo >` does), run the editor on the session's terminal
// (src/shell/tty.ts) in xterm's alternate screen (../programs.ts: in the page
// itself when the terminal hosts it), and write back on :w.
import type { Tty } from '../tty';
import { absolute, utf8Length, type Program, type Save } from '../program-start';
import { loadChunk } from '../chunks';

export { absolute } from '../program-start';

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

/** The shell's side of a program's writes: `:w >> file` appends to what is there. */
export function saver(fs: EditorFs): Save {
  return async ({ path, text, append }) => {
    const r = await fs.read(path);
    const existed = 'text' in r;
    const before = existed && append ? r.text : '';
    return { error: await fs.write(path, before + text), existed };
  };
}

/**
 * Runs a program on the terminal: in the terminal's host when it has one (the page), else here, its loop
 * and editor loaded on first use (a chunk: the editors are not part of a terminal's first use).
 */
export async function runOn(tty: Tty, program: Program, fs: EditorFs): Promise<number> {
  const save = saver(fs);
  if (tty.host) return tty.host.run(program, save);
  const { runProgram } = await loadChunk('editor', () => import('../programs'));
  return runProgram(program, tty, save);
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
  const init = { lines, path: file, bytes, noeol, vimrc, readonly, ...(message !== undefined ? { message } : {}) };
  const code = await runOn(tty, { kind: 'vim', start: { init, startCmds, cwd: env.cwd, path } }, fs);
  return { stdout: '', stderr: '', exitCode: code };
}
