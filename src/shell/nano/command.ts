// `nano [+LINE[,COL]] [FILE]` on the session's terminal and file system (see ../fullscreen.ts); the editor's
// loop is ../programs.ts's (in the page itself when the terminal hosts it).
import type { Tty } from '../tty';
import { absolute, runOn, type CommandResult, type EditorFs } from '../vim/command';

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
  const code = await runOn(tty, { kind: 'nano', start: { lines, file, goTo, cwd: env.cwd, ...(message !== undefined ? { message } : {}) } }, fs);
  return { stdout: '', stderr: '', exitCode: code };
}
