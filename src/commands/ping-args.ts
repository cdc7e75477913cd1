// ping's command line, as iputils 20221126 parses it: getopt over OPTSTRING, iputils' strtol/strtod checks and
// their messages, the options' values (ping.ts runs them).
import { inetAton } from '../sim/resolver';
import { canonicalIp, isIPv6 } from '../sim/ip';
import { STRERROR } from '../sim/errors';
export const MAX_UNBOUNDED = 10;
export const MAX_WITH_SIGNAL = 100000;

export const USAGE =
  '\nUsage\n  ping [options] <destination>\n\nOptions:\n  <destination>      dns name or ip address\n  -a                 use audible ping\n  -A                 use adaptive ping\n  -B                 sticky source address\n  -c <count>         stop after <count> replies\n  -C                 call connect() syscall on socket creation\n  -D                 print timestamps\n  -d                 use SO_DEBUG socket option\n  -e <identifier>    define identifier for ping session, default is random for\n                     SOCK_RAW and kernel defined for SOCK_DGRAM\n                     Imply using SOCK_RAW (for IPv4 only for identifier 0)\n  -f                 flood ping\n  -h                 print help and exit\n  -I <interface>     either interface name or address\n  -i <interval>      seconds between sending each packet\n  -L                 suppress loopback of multicast packets\n  -l <preload>       send <preload> number of packages while waiting replies\n  -m <mark>          tag the packets going out\n  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>\n  -n                 no dns name resolution\n  -O                 report outstanding replies\n  -p <pattern>       contents of padding byte\n  -q                 quiet output\n  -Q <tclass>        use quality of service <tclass> bits\n  -s <size>          use <size> as number of data bytes to be sent\n  -S <size>          use <size> as SO_SNDBUF socket option value\n  -t <ttl>           define time to live\n  -U                 print user-to-user latency\n  -v                 verbose output\n  -V                 print version and exit\n  -w <deadline>      reply wait <deadline> in seconds\n  -W <timeout>       time to wait for response\n\nIPv4 options:\n  -4                 use IPv4\n  -b                 allow pinging broadcast\n  -R                 record route\n  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>\n\nIPv6 options:\n  -6                 use IPv6\n  -F <flowlabel>     define flow label, default is random\n  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument\n\nFor more details see ping(8).\n';

export const OPTSTRING = 'h?4bRT:6F:N:aABc:CdDe:fi:I:l:Lm:M:nOp:qQ:rs:S:t:UvVw:W:';

export class Exit extends Error {
  constructor(
    public code: number,
    public stderr: string,
    public stdout = '',
  ) {
    super(stderr);
  }
}

export function die(code: number, msg: string): never {
  throw new Exit(code, `ping: ${msg}\n`);
}

export const LONG_MIN = -(2n ** 63n);
export const LONG_MAX = 2n ** 63n - 1n;
export const ULONG_MAX = 2n ** 64n - 1n;

/** iputils strtol_or_err() / strtoul_or_err(): strtol(3) rules (leading blanks, a sign), the whole text, then the range. */
export function strtolOrErr(s: string, min: bigint | number, max: bigint | number, unsigned = false): number {
  const m = /^[\t\n\v\f\r ]*([+-]?)(\d+)$/.exec(s);
  if (!m) die(1, `invalid argument: '${s}'`);
  let n = BigInt(m[2]!);
  const neg = m[1] === '-';
  if (unsigned) {
    // strtoul: out of range -> ERANGE; a minus sign negates in unsigned arithmetic
    if (n > ULONG_MAX) die(1, `invalid argument: '${s}': ${STRERROR.ERANGE}`);
    if (neg && n !== 0n) n = ULONG_MAX + 1n - n;
  } else {
    if (neg) n = -n;
    if (n < LONG_MIN || n > LONG_MAX) die(1, `invalid argument: '${s}': ${STRERROR.ERANGE}`);
  }
  if (n < BigInt(min) || n > BigInt(max)) die(1, `invalid argument: '${s}': out of range: ${min} <= value <= ${max}`);
  return Number(n);
}

/** The longest prefix strtod(3) converts, and its value (glibc: decimal, hex floats, inf, nan). */
export function strtodPrefix(s: string): { len: number; value: number } | null {
  const m = /^[\t\n\v\f\r ]*([+-]?)(?:(0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?)|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(inf(?:inity)?)|(nan(?:\([0-9A-Za-z_]*\))?))/i.exec(s);
  if (!m) return null;
  let v: number;
  if (m[2] !== undefined) {
    const h = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/.exec(m[2])!;
    const int = h[1] ? parseInt(h[1], 16) : 0;
    const frac = h[2] ? parseInt(h[2], 16) / 16 ** h[2].length : 0;
    v = (int + frac) * 2 ** Number(h[3] ?? '0');
  } else if (m[3] !== undefined) v = Number(m[3]);
  else if (m[4] !== undefined) v = Infinity;
  else v = NaN;
  return { len: m[0].length, value: m[1] === '-' ? -v : v };
}

/**
 * iputils ping_strtod(): garbage after the number (or a range error) only
 * warns; an empty text, an infinity, a NaN or a subnormal is fatal
 * ("ping: bad timing interval: inf: Numerical result out of range").
 */
export function strtod(s: string, what: string, warn: string[]): number {
  if (s === '') die(2, `${what}: ${s}`);
  const r = strtodPrefix(s);
  const len = r ? r.len : 0;
  const v = r ? r.value : 0;
  // glibc sets ERANGE on overflow and on underflow (to zero or a subnormal)
  const overflow = r !== null && !Number.isFinite(v) && !Number.isNaN(v) && !/inf/i.test(s.slice(0, len));
  const underflow = r !== null && v === 0 && /[1-9]/.test(s.slice(0, len).replace(/[eEpP][+-]?\d+$/, ''));
  const subnormal = v !== 0 && Math.abs(v) < 2.2250738585072014e-308;
  if (overflow || underflow || subnormal || len === 0 || len !== s.length) warn.push(`ping: option argument contains garbage: ${s.slice(len)}\n`, 'ping: this will become fatal error in the future\n');
  if (!Number.isFinite(v) || subnormal) die(2, `${what}: ${s}: ${STRERROR.ERANGE}`);
  return v;
}

export interface Opts {
  count: number;
  interval: number;
  linger: number;
  deadline: number;
  ttl: number | null;
  datalen: number;
  numeric: boolean;
  quiet: boolean;
  device: string | null;
  source: string | null;
  mark: number;
  broadcast: boolean;
  /** -4 / -6: the family the target must resolve to (0: either) */
  family: 0 | 4 | 6;
  /** -l: probes sent at once before waiting for replies */
  preload: number;
  /** -M: IP_PMTUDISC_DO / DONT / WANT (the kernel's default for the socket) */
  pmtudisc: 'do' | 'dont' | 'want';
  /** -p: the pattern bytes as fill() prints them ("ff", "abcd"), or null */
  pattern: string | null;
  /** -O: report a probe still unanswered when the next one goes out */
  outstanding: boolean;
  /** -R: IP option record route (40 more bytes per packet) */
  recordRoute: boolean;
  /** -v: the sockets and each address tried are described */
  verbose: boolean;
  /** -f: a '.' per probe, a backspace per reply; without -i, the next probe as soon as the last is answered */
  flood: boolean;
  /** -i was given */
  intervalSet: boolean;
}

export function parseArgs(args: string[], warn: string[]): { o: Opts; target: string | null } {
  const o: Opts = { count: 0, interval: 1000, linger: 10_000, deadline: 0, ttl: null, datalen: 56, numeric: false, quiet: false, device: null, source: null, mark: 0, broadcast: false, family: 0, preload: 1, pmtudisc: 'want', pattern: null, outstanding: false, recordRoute: false, verbose: false, flood: false, intervalSet: false };
  const rest: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      rest.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const k = OPTSTRING.indexOf(c);
      if (k < 0 || c === ':') {
        throw new Exit(2, `ping: invalid option -- '${c}'\n${USAGE}`);
      }
      let arg: string | null = null;
      if (OPTSTRING[k + 1] === ':') {
        if (j + 1 < a.length) arg = a.slice(j + 1);
        else if (i + 1 < args.length) arg = args[++i]!;
        else throw new Exit(2, `ping: option requires an argument -- '${c}'\n${USAGE}`);
        j = a.length;
      }
      if (arg !== null) valueOption(o, c, arg, warn);
      else flagOption(o, c);
    }
  }
  // setup(): a flood without -i has no interval
  if (o.flood && !o.intervalSet) o.interval = 0;
  return { o, target: rest.length ? rest[rest.length - 1]! : null };
}

/** An option with a value (OPTSTRING's `X:` letters). */
export function valueOption(o: Opts, c: string, arg: string, warn: string[]): void {
  switch (c) {
    case 'c':
      o.count = strtolOrErr(arg, 1, 9223372036854775807n);
      break;
    case 'i': {
      const v = strtod(arg, 'bad timing interval', warn);
      if (v > 2147483647 / 1000) die(2, `bad timing interval: ${arg}`);
      o.interval = Math.trunc(v * 1000);
      o.intervalSet = true;
      break;
    }
    case 'W': {
      const v = strtod(arg, 'bad linger time', warn);
      if (v < 0 || v > 2147483647 / 1000) die(2, `bad linger time: ${arg}`);
      o.linger = Math.trunc(v * 1000);
      break;
    }
    case 'w':
      o.deadline = strtolOrErr(arg, 0, 2147483647);
      break;
    case 't':
      o.ttl = strtolOrErr(arg, 0, 255);
      break;
    case 's':
      o.datalen = strtolOrErr(arg, 0, 2147483647);
      break;
    case 'm':
      o.mark = strtolOrErr(arg, 0, 4294967295, true);
      break;
    case 'l':
      o.preload = strtolOrErr(arg, 1, 65536);
      break;
    case 'e':
      strtolOrErr(arg, 0, 65535, true);
      break;
    case 'M':
      if (arg === 'do' || arg === 'dont' || arg === 'want') o.pmtudisc = arg;
      else die(2, `invalid -M argument: ${arg}`);
      break;
    case 'p':
      o.pattern = fillPattern(arg);
      break;
    case 'Q': {
      // parsetos(): decimal or 0x hex, 0-255
      const hex = /^0x/i.test(arg);
      const v = hex ? parseInt(arg.slice(2), 16) : /^\d+$/.test(arg) ? Number(arg) : NaN;
      if (Number.isNaN(v) || v > 255) die(2, `the ${hex ? 'hexadecimal' : 'decimal'} value of TOS bits must be in range 0-255: ${arg}`);
      break;
    }
    case 'I':
      if (inetAton(arg) !== null) o.source = inetAton(arg);
      else if (isIPv6(arg)) o.source = canonicalIp(arg);
      else o.device = arg;
      break;
    default:
      break;
  }
}

/** fill(): hex digits only (the message quotes from the first bad one), up to 16 bytes read as pairs */
export function fillPattern(arg: string): string | null {
  const bad = /[^0-9a-fA-F]/.exec(arg);
  if (bad) die(2, `patterns must be specified as hex digits: ${arg.slice(bad.index)}`);
  const bytes: string[] = [];
  for (let k = 0; k < arg.length && bytes.length < 16; k += 2) bytes.push(parseInt(arg.slice(k, k + 2), 16).toString(16).padStart(2, '0'));
  return bytes.length ? bytes.join('') : null;
}

/** An option without a value. */
export function flagOption(o: Opts, c: string): void {
  switch (c) {
    case 'O':
      o.outstanding = true;
      break;
    case 'f':
      o.flood = true;
      break;
    case 'R':
      o.recordRoute = true;
      break;
    case 'v':
      o.verbose = true;
      break;
    case 'n':
      o.numeric = true;
      break;
    case 'q':
      o.quiet = true;
      break;
    case 'b':
      o.broadcast = true;
      break;
    case '4':
    case '6':
      if (o.family && o.family !== Number(c)) die(2, 'only one -4 or -6 option may be specified');
      o.family = Number(c) as 4 | 6;
      break;
    case 'V':
      throw new Exit(0, '', 'ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n');
    case 'h':
    case '?':
      throw new Exit(2, USAGE);
    default:
      break;
  }
}
