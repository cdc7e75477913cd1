// libxt_statistic: --mode random --probability P, or --mode nth --every N [--packet P].
import type { RuleMatch } from '../../../sim/types';
import type { ExtDef } from '../extension';
import { PARAMETER_PROBLEM, strtoui, xtError } from '../xtables';

export const statisticExt: ExtDef = {
  name: 'statistic',
  kind: 'match',
  opts: [
    { name: 'mode', hasArg: 1, key: 'mode', invert: true },
    { name: 'probability', hasArg: 1, key: 'probability' },
    { name: 'every', hasArg: 1, key: 'every' },
    { name: 'packet', hasArg: 1, key: 'packet' },
  ],
  parse(_env, x, opt, arg, invert) {
    const a = arg;
    if (invert) (x.invert ??= {}).mode = true;
    switch (opt.key) {
      case 'mode':
        if (a !== 'random' && a !== 'nth') xtError(PARAMETER_PROBLEM, `Bad mode "${a}"`);
        x.options.mode = a;
        break;
      case 'probability': {
        const v = Number(a);
        if (a.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1) xtError(PARAMETER_PROBLEM, `statistic: bad value for option "--probability", or out of range (0-1).\n`);
        const stored = Math.round(0x80000000 * v) / 0x80000000;
        x.options.probability = stored.toFixed(11);
        break;
      }
      case 'every': {
        const n = strtoui(a, 1, 0xffffffff);
        if (n === null) xtError(PARAMETER_PROBLEM, `statistic: bad value for option "--every", or out of range (1-4294967295).\n`);
        x.options.every = String(n);
        break;
      }
      case 'packet': {
        const n = strtoui(a, 0, 0xffffffff);
        if (n === null) xtError(PARAMETER_PROBLEM, `statistic: bad value for option "--packet", or out of range (0-4294967295).\n`);
        x.options.packet = String(n);
        break;
      }
    }
  },
  final(_env, x) {
    const o = x.options;
    if (o.mode === undefined) xtError(PARAMETER_PROBLEM, 'statistic: option "--mode" must be specified\n');
    if (o.mode === 'random') {
      if (o.probability === undefined) xtError(PARAMETER_PROBLEM, '--probability must be specified when using random mode');
      if (o.every !== undefined || o.packet !== undefined) xtError(PARAMETER_PROBLEM, '--every and --packet can only be used with nth mode');
    } else {
      if (o.every === undefined) xtError(PARAMETER_PROBLEM, '--every must be specified when using nth mode');
      if (o.probability !== undefined) xtError(PARAMETER_PROBLEM, '--probability can only be used in random mode');
      o.packet ??= '0';
      if (Number(o.packet) > Number(o.every) - 1) xtError(PARAMETER_PROBLEM, 'the --packet p must be 0 <= p <= n-1');
    }
  },
  print(_env, x) {
    return ` statistic${statisticDump(x, '')}`;
  },
  save(x) {
    return statisticDump(x, '--');
  },
};

function statisticDump(x: RuleMatch, prefix: string): string {
  const o = x.options;
  const inv = x.invert?.mode ? ' !' : '';
  if (o.mode === 'nth') {
    let s = ` ${prefix}mode nth${inv} ${prefix}every ${o.every}`;
    if ((o.packet !== undefined && o.packet !== '0') || prefix) s += ` ${prefix}packet ${o.packet ?? '0'}`;
    return s;
  }
  return ` ${prefix}mode random${inv} ${prefix}probability ${o.probability}`;
}
