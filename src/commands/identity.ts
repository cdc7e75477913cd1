// Who and what the learner's shell runs as: coreutils 9.1's whoami, id and
// uname, and stty's `size`. The learner is root (uid 0) on every host; the
// kernel and distribution are those of the scenario (./platform.ts).
import { table } from '../sim/own';
import type { CmdResult, NetCommand } from './types';
import { platformOf } from './platform';
import { fail, ok } from './types';

/** coreutils quotes an operand as ‘this’ in a UTF-8 locale (C.UTF-8 here) */
const q = (s: string) => `\u2018${s}\u2019`;
const tryHelp = (prog: string) => `Try '${prog} --help' for more information.\n`;

/** root is the only user of the simulated hosts */
const USERS: Record<string, { uid: number; gid: number; group: string }> = { root: { uid: 0, gid: 0, group: 'root' } };

export const whoami: NetCommand = {
  name: 'whoami',
  async run(args) {
    const opts = args.filter((a) => a.startsWith('-') && a !== '-');
    for (const o of opts) {
      if (o === '--help') return ok('Usage: whoami [OPTION]...\nPrint the user name associated with the current effective user ID.\nSame as id -un.\n\n      --help        display this help and exit\n      --version     output version information and exit\n');
      if (o === '--version') return ok('whoami (GNU coreutils) 9.1\n');
      if (o.startsWith('--')) return fail(`whoami: unrecognized option '${o}'\n${tryHelp('whoami')}`);
      return fail(`whoami: invalid option -- '${o[1]}'\n${tryHelp('whoami')}`);
    }
    const extra = args.find((a) => !a.startsWith('-') || a === '-');
    if (extra !== undefined) return fail(`whoami: extra operand ${q(extra)}\n${tryHelp('whoami')}`);
    return ok('root\n');
  },
};

export const id: NetCommand = {
  name: 'id',
  async run(args) {
    let what: 'all' | 'u' | 'g' | 'G' = 'all';
    let name = false;
    let real = false;
    let zero = false;
    const users: string[] = [];
    let endOfOpts = false;
    for (const a of args) {
      if (endOfOpts || !a.startsWith('-') || a === '-') {
        users.push(a);
        continue;
      }
      if (a === '--') {
        endOfOpts = true;
        continue;
      }
      const long: Record<string, string> = { '--user': 'u', '--group': 'g', '--groups': 'G', '--name': 'n', '--real': 'r', '--zero': 'z' };
      const letters = a.startsWith('--') ? long[a] : a.slice(1);
      if (letters === undefined) {
        if (a === '--help') return ok('Usage: id [OPTION]... [USER]...\nPrint user and group information for each specified USER,\nor (when USER omitted) for the current process.\n');
        if (a === '--version') return ok('id (GNU coreutils) 9.1\n');
        return fail(`id: unrecognized option '${a}'\n${tryHelp('id')}`);
      }
      for (const c of letters) {
        if (c === 'u' || c === 'g' || c === 'G') {
          if (what !== 'all' && what !== c) return fail(`id: cannot print "only" of more than one choice\n`);
          what = c;
        } else if (c === 'n') name = true;
        else if (c === 'r') real = true;
        else if (c === 'z') zero = true;
        else if (c === 'a') continue;
        else return fail(`id: invalid option -- '${c}'\n${tryHelp('id')}`);
      }
    }
    if (what === 'all' && (name || real)) return fail('id: cannot print only names or real IDs in default format\n');
    if (what === 'all' && zero) return fail('id: option --zero not permitted in default format\n');
    const end = zero ? '\0' : '\n';
    let stdout = '';
    let stderr = '';
    for (const u of users.length ? users : ['root']) {
      const who = USERS[u] ?? (/^\d+$/.test(u) ? Object.entries(USERS).find(([, v]) => String(v.uid) === u) : undefined)?.[1];
      if (!who) {
        stderr += `id: ${q(u)}: no such user\n`;
        continue;
      }
      const user = Object.keys(USERS).find((k) => USERS[k] === who)!;
      if (what === 'u') stdout += (name ? user : String(who.uid)) + end;
      else if (what === 'g') stdout += (name ? who.group : String(who.gid)) + end;
      else if (what === 'G') stdout += (name ? who.group : String(who.gid)) + end;
      else stdout += `uid=${who.uid}(${user}) gid=${who.gid}(${who.group}) groups=${who.gid}(${who.group})\n`;
    }
    return { stdout, stderr, exitCode: stderr ? 1 : 0 };
  },
};

const UNAME_LONG: Record<string, string> = table({
  '--all': 'a',
  '--kernel-name': 's',
  '--nodename': 'n',
  '--kernel-release': 'r',
  '--kernel-version': 'v',
  '--machine': 'm',
  '--processor': 'p',
  '--hardware-platform': 'i',
  '--operating-system': 'o',
});

const UNAME_HELP = `Usage: uname [OPTION]...
Print certain system information.  With no OPTION, same as -s.

  -a, --all                print all information, in the following order,
                             except omit -p and -i if unknown:
  -s, --kernel-name        print the kernel name
  -n, --nodename           print the network node hostname
  -r, --kernel-release     print the kernel release
  -v, --kernel-version     print the kernel version
  -m, --machine            print the machine hardware name
  -p, --processor          print the processor type (non-portable)
  -i, --hardware-platform  print the hardware platform (non-portable)
  -o, --operating-system   print the operating system
      --help        display this help and exit
      --version     output version information and exit
`;

export const uname: NetCommand = {
  name: 'uname',
  async run(args, _io, sys): Promise<CmdResult> {
    const set = new Set<string>();
    for (const a of args) {
      if (a === '--help') return ok(UNAME_HELP);
      if (a === '--version') return ok('uname (GNU coreutils) 9.1\n');
      if (a.startsWith('--')) {
        const c = UNAME_LONG[a];
        if (!c) return fail(`uname: unrecognized option '${a}'\n${tryHelp('uname')}`);
        set.add(c);
      } else if (a.startsWith('-') && a !== '-') {
        for (const c of a.slice(1)) {
          if (!'asnrvmpio'.includes(c)) return fail(`uname: invalid option -- '${c}'\n${tryHelp('uname')}`);
          set.add(c);
        }
      } else return fail(`uname: extra operand ${q(a)}\n${tryHelp('uname')}`);
    }
    const p = platformOf(sys);
    const all = set.has('a');
    if (set.size === 0) set.add('s');
    const fields: string[] = [];
    const want = (c: string) => all || set.has(c);
    if (want('s')) fields.push(p.sysname);
    if (want('n')) fields.push(sys.uts ?? sys.world.host(sys.host).hostname);
    if (want('r')) fields.push(p.release);
    if (want('v')) fields.push(p.version);
    if (want('m')) fields.push(p.machine);
    // -a leaves out what is unknown
    if (set.has('p') || (all && p.processor !== 'unknown')) fields.push(p.processor);
    if (set.has('i') || (all && p.hardware !== 'unknown')) fields.push(p.hardware);
    if (want('o')) fields.push(p.os);
    return ok(fields.join(' ') + '\n');
  },
};

/** stty: only what a learner asks of it here (`stty size`, `stty` alone); the terminal's size follows the page's terminal */
export const stty: NetCommand = {
  name: 'stty',
  async run(args, io, sys) {
    if (args[0] === '--help') return ok('Usage: stty [-F DEVICE | --file=DEVICE] [SETTING]...\n  or:  stty [-F DEVICE | --file=DEVICE] [-a|--all]\n  or:  stty [-F DEVICE | --file=DEVICE] [-g|--save]\nPrint or change terminal characteristics.\n');
    if (args[0] === '--version') return ok('stty (GNU coreutils) 9.1\n');
    // stty reads its standard input's terminal: none in a pipe, a replay or a grader
    if (!sys.tty || io.stdin !== '') return fail("stty: 'standard input': Inappropriate ioctl for device\n");
    const rows = Number(io.env.LINES) || 24;
    const cols = sys.columns;
    if (args.length === 0) return ok('speed 38400 baud; line = 0;\n-brkint -imaxbel iutf8\n');
    if (args.length === 1 && args[0] === 'size') return ok(`${rows} ${cols}\n`);
    const bad = args.find((a) => a !== 'size') ?? args[1]!;
    return fail(`stty: invalid argument ${q(bad)}\n${tryHelp('stty')}`);
  },
};
