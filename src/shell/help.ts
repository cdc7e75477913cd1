// bash's `help` without arguments: the builtins in two columns, laid out as
// bash 5.2's show_builtin_command_help() does for the terminal's width, and,
// after bash's list, one line naming the networking tools of this host.
import { BASH_SHORT_DOCS } from './bash-builtins';

const HEADER =
  'GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)\n' +
  "These shell commands are defined internally.  Type `help' to see this list.\n" +
  "Type `help name' to find out more about the function `name'.\n" +
  "Use `info bash' to find out more about the shell in general.\n" +
  "Use `man -k' or `info' to find out more about commands not in this list.\n" +
  '\n' +
  'A star (*) next to a name means that the command is disabled.\n' +
  '\n';

/**
 * One cell, cut with '>' as bash shows it (measured on bash 5.2.15 for every width from 20 to 140 columns):
 * a synopsis shorter than width - 2 (with its leading enabled mark) shows whole; otherwise it is cut to
 * width - 2 characters in the first column and width - 3 in the second, one less when it is exactly width - 2.
 */
function cell(doc: string, width: number, second: boolean): string {
  const text = ' ' + doc;
  if (text.length < width - 2) return text;
  const cut = (second ? width - 3 : width - 2) - (text.length === width - 2 ? 1 : 0);
  return text.slice(0, cut) + '>';
}

/** bash's builtin list for a terminal of `columns` columns */
export function builtinList(columns: number): string {
  let width = Math.floor(columns / 2);
  if (width > 128) width = 128;
  if (width <= 3) width = 40;
  const n = BASH_SHORT_DOCS.length;
  const height = Math.floor((n + 1) / 2);
  let out = '';
  for (let i = 0; i < height; i++) {
    const first = cell(BASH_SHORT_DOCS[i]!, width, false);
    if (2 * i >= n || i + height >= n) {
      out += first + '\n';
      continue;
    }
    out += first.padEnd(width, ' ') + cell(BASH_SHORT_DOCS[i + height]!, width, true) + '\n';
  }
  return out;
}

/** `help` as the page's shell prints it: bash's text, then the tools (`man NAME` describes each) */
export function helpText(columns: number, tools: readonly string[]): string {
  const words = [...new Set(tools)].sort();
  let line = 'Tools on this host (`man NAME` describes each):';
  let out = '';
  for (const w of words) {
    if ((line + ' ' + w).length > Math.max(columns - 1, 40)) {
      out += line + '\n';
      line = ' ' + w;
    } else line += ' ' + w;
  }
  out += line + '\n';
  return HEADER + builtinList(columns) + '\n' + out;
}
