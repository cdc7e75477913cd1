// man: the course's pages (./pages.ts) in man's layout (./render.ts), for
// every simulated tool; anything else has "No manual entry", as man-db says.
import type { NetCommand } from '../types';
import { fail, ok } from '../types';
import { ALIASES, PAGES } from './pages';
import { renderMan } from './render';

export function findPage(name: string, section?: number) {
  const wanted = ALIASES[name] ?? name;
  return PAGES.find((p) => p.name === wanted && (section === undefined || p.section === section));
}

export const man: NetCommand = {
  name: 'man',
  async run(args, _io, sys) {
    const words = args.filter((a) => !a.startsWith('-'));
    if (args.includes('--help')) return ok('Usage: man [OPTION...] [SECTION] PAGE...\n');
    if (words.length === 0) return fail("What manual page do you want?\nFor example, try 'man man'.\n");
    let section: number | undefined;
    if (words.length > 1 && /^[1-9]$/.test(words[0]!)) section = Number(words.shift());
    let out = '';
    let err = '';
    for (const w of words) {
      const page = findPage(w, section);
      if (page) out += (out ? '\n' : '') + renderMan(page, sys.columns, sys.tty);
      else err += section === undefined ? `No manual entry for ${w}\n` : `No manual entry for ${w} in section ${section}\n`;
    }
    return { stdout: out, stderr: err, exitCode: err ? 16 : 0 };
  },
};
