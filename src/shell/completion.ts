// Tab completion. The session supplies command names and file paths; each
// tool declares a completer for its own arguments (objects, verbs, options,
// interface names, namespace names...) as its NetCommand's `complete`.
import type { Completer, NetCommand } from '../commands/types';
import { netCommands } from '../commands/index';

export type { Completer, CompletionContext } from '../commands/types';

/** The completers of the tools, by program name, from their declarations. */
export function completerTable(commands: NetCommand[]): Map<string, Completer> {
  const out = new Map<string, Completer>();
  for (const c of commands) {
    if (!c.complete) continue;
    for (const name of [c.name, ...(c.completes ?? [])]) out.set(name, c.complete);
  }
  return out;
}

const completers = completerTable(netCommands);

export function completerFor(command: string): Completer | undefined {
  return completers.get(command);
}

/**
 * The completer of `command` once what it needs is loaded: a tool loaded on first use (kubectl, route...) or
 * a completer that is a chunk of its own (ip's) completes only after its `prepare`.
 */
export async function prepareCompleter(command: string): Promise<Completer | undefined> {
  await netCommands.find((c) => c.name === command || c.completes?.includes(command))?.prepare?.();
  return completerFor(command);
}

/** Split a command line (up to the cursor) into words, honouring simple quotes; returns the words and the start of the last one. */
export function splitForCompletion(text: string): { words: string[]; current: string; from: number } {
  // Only the last simple command matters: cut at the last unquoted | ; && ||
  let start = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '|' || c === ';' || c === '&' || c === '(' || c === '`') start = i + 1;
  }
  const words: string[] = [];
  let cur = '';
  let curFrom = text.length;
  let inWord = false;
  quote = null;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else cur += c;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    if (!inWord) {
      inWord = true;
      curFrom = i;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '\\' && i + 1 < text.length) cur += text[++i];
    else cur += c;
  }
  if (!inWord) curFrom = text.length;
  // `sudo X` and `ip netns exec NS X` complete X as a command
  return { words, current: inWord ? cur : '', from: curFrom };
}

/** Longest common prefix of candidates. */
export function commonPrefix(items: string[]): string {
  if (items.length === 0) return '';
  let p = items[0]!;
  for (const s of items) while (!s.startsWith(p)) p = p.slice(0, -1);
  return p;
}
