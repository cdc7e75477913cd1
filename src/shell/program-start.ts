// What a full-screen program (vim, nano) starts from and asks of the shell: plain JSON built by the command
// (./vim/command.ts, ./nano/command.ts) from the shell's files, and the file writes it asks for. The loops
// themselves (./programs.ts, with the editors) are a chunk loaded when an editor starts, in the page or in the
// worker, so that they are not part of a terminal's first use.
import type { VimInit } from './vim/vim';

/** vim's start: the file and ~/.vimrc as read by the shell, the `+cmd`s of the command line */
export interface VimStart {
  init: Omit<VimInit, 'rows' | 'columns' | 'options'>;
  startCmds: string[];
  /** the directory vim was started in (a `:w name` is relative to it) */
  cwd: string;
  /** the file opened, absolute (null: none) */
  path: string | null;
}

/** nano's start: the file as read by the shell, a `+LINE[,COL]` */
export interface NanoStart {
  lines: string[] | null;
  file: string | null;
  message?: string;
  goTo: string | null;
  cwd: string;
}

export type Program = { kind: 'vim'; start: VimStart } | { kind: 'nano'; start: NanoStart };

/** A file write a program asks of the shell (`path` absolute). `append`: after the file's text (`:w >>`). */
export interface SaveRequest {
  path: string;
  text: string;
  append: boolean;
}

/** `error`: the errno of a failed write (null: written); `existed`: the file was there before */
export interface SaveResult {
  error: string | null;
  existed: boolean;
}

export type Save = (req: SaveRequest) => Promise<SaveResult>;

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

export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}
