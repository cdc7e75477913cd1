// libxt_limit: --limit rate[/unit] and --limit-burst, kept as iptables-nft
// keeps them (nft's rate per unit) and listed back as an average.
import type { ExtDef } from '../extension';
import { PARAMETER_PROBLEM, strtoui, xtError } from '../xtables';

/** XT_LIMIT_SCALE and the unit multipliers of libxt_limit / add_nft_limit (day, hour, min, sec). */
const LIMIT_SCALE = 10000;
const LIMIT_MULT = [LIMIT_SCALE * 24 * 60 * 60, LIMIT_SCALE * 60 * 60, LIMIT_SCALE * 60, LIMIT_SCALE];
const LIMIT_UNIT_NAMES = ['day', 'hour', 'min', 'sec'];

/** The unit index print_rate() / add_nft_limit() pick for an average (the largest that divides it evenly enough). */
function limitUnitIndex(avg: number): number {
  let i = 1;
  for (; i < LIMIT_MULT.length; i++) if (avg > LIMIT_MULT[i]! || Math.floor(LIMIT_MULT[i]! / avg) < LIMIT_MULT[i]! % avg) break;
  return i - 1;
}

/** glibc atoi(): leading blanks, a sign, digits; int overflow wraps as strtol's long is truncated. */
function atoi(s: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  let n = BigInt(m[1]!);
  const LMAX = 2n ** 63n - 1n;
  if (n > LMAX) n = LMAX;
  if (n < -LMAX - 1n) n = -LMAX - 1n;
  return Number(BigInt.asIntN(32, n));
}

/** libxt_limit parse_rate(): "N[/second|/minute|/hour|/day]" (any prefix of the unit) -> avg, or null. */
function parseLimitRate(rate: string): number | null {
  const slash = rate.indexOf('/');
  let mult = 1;
  if (slash >= 0) {
    const u = rate.slice(slash + 1).toLowerCase();
    if (u.length === 0) return null;
    const hit = (w: string): boolean => u.length <= w.length && w.startsWith(u);
    if (hit('second')) mult = 1;
    else if (hit('minute')) mult = 60;
    else if (hit('hour')) mult = 3600;
    else if (hit('day')) mult = 86400;
    else return null;
  }
  const r = atoi(rate) >>> 0;
  if (!r) return null;
  const avg = Math.floor((LIMIT_SCALE * mult) / r);
  if (avg === 0) xtError(PARAMETER_PROBLEM, `Rate too fast "${rate}"`);
  return avg;
}

/** iptables-nft keeps a limit as nft's rate per unit (add_nft_limit), listed back as an average (nft_parse_limit). */
function limitToNft(avg: number): { rate: number; unit: number } {
  const i = limitUnitIndex(avg);
  return { rate: Math.floor(LIMIT_MULT[i]! / avg), unit: LIMIT_MULT[i]! / LIMIT_SCALE };
}

function limitRateText(o: Record<string, string>): string {
  const avg = Math.floor((LIMIT_SCALE * Number(o.unit ?? '3600')) / Number(o.rate ?? '3'));
  const i = limitUnitIndex(avg);
  return `${Math.floor(LIMIT_MULT[i]! / avg)}/${LIMIT_UNIT_NAMES[i]}`;
}

export const limitExt: ExtDef = {
  name: 'limit',
  kind: 'match',
  opts: [
    { name: 'limit', hasArg: 1, key: 'limit' },
    { name: 'limit-burst', hasArg: 1, key: 'burst' },
  ],
  help: 'limit match options:\n--limit avg\t\t\tmax average match rate: default 3/hour\n                                [Packets per second unless followed by \n                                /sec /minute /hour /day postfixes]\n--limit-burst number\t\tnumber to match in a burst, default 5\n',
  parse(_env, x, opt, arg) {
    if (opt.key === 'limit') {
      const avg = parseLimitRate(arg);
      if (avg === null) xtError(PARAMETER_PROBLEM, `bad rate "${arg}"'`);
      const { rate, unit } = limitToNft(avg);
      x.options.rate = String(rate);
      x.options.unit = String(unit);
    } else {
      const n = strtoui(arg, 0, 10000);
      if (n === null) xtError(PARAMETER_PROBLEM, `limit: bad value for option "--limit-burst", or out of range (0-10000).\n`);
      // nft_limit_init(): a packet limit with burst 0 gets the default 5
      x.options.burst = String(n || 5);
    }
  },
  final(_env, x) {
    // limit_init(): 3/hour, burst 5
    const def = limitToNft(Math.floor((LIMIT_SCALE * 3600) / 3));
    x.options = { rate: x.options.rate ?? String(def.rate), unit: x.options.unit ?? String(def.unit), burst: x.options.burst ?? '5' };
  },
  print(_env, x) {
    return ` limit: avg ${limitRateText(x.options)} burst ${x.options.burst ?? '5'}`;
  },
  save(x) {
    return ` --limit ${limitRateText(x.options)}${x.options.burst !== undefined && x.options.burst !== '5' ? ` --limit-burst ${x.options.burst}` : ''}`;
  },
};
