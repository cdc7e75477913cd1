// libxt_LOG: --log-level, --log-prefix and the flags of what to log.
import type { ExtDef } from '../extension';
import { PARAMETER_PROBLEM, saveString, strtoui, xtError } from '../xtables';

/** The names --log-level takes (libxtables xtopt_parse_sysloglevel, an exact match). */
const LOG_LEVELS: [string, number][] = [
  ['alert', 1],
  ['crit', 2],
  ['debug', 7],
  ['emerg', 0],
  ['error', 3],
  ['info', 6],
  ['notice', 5],
  ['panic', 0],
  ['warning', 4],
];

/** glibc <syslog.h> prioritynames, first name of each level (what LOG_print shows). */
const SYSLOG_PRIORITY_NAMES = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];

export const logExt: ExtDef = {
  name: 'LOG',
  kind: 'target',
  opts: [
    { name: 'log-level', hasArg: 1, key: 'log-level' },
    { name: 'log-prefix', hasArg: 1, key: 'log-prefix' },
    { name: 'log-tcp-sequence', hasArg: 0, key: 'log-tcp-sequence' },
    { name: 'log-tcp-options', hasArg: 0, key: 'log-tcp-options' },
    { name: 'log-ip-options', hasArg: 0, key: 'log-ip-options' },
    { name: 'log-uid', hasArg: 0, key: 'log-uid' },
    { name: 'log-macdecode', hasArg: 0, key: 'log-macdecode' },
  ],
  help: 'LOG target options:\n --log-level level\t\tLevel of logging (numeric or see syslog.conf)\n --log-prefix prefix\t\tPrefix log messages with this prefix.\n --log-tcp-sequence\t\tLog TCP sequence numbers.\n --log-tcp-options\t\tLog TCP options.\n --log-ip-options\t\tLog IP options.\n --log-uid\t\tLog UID owning the local socket.\n --log-macdecode\t\tDecode MAC addresses and protocol.\n',
  parse(_env, x, opt, arg) {
    switch (opt.key) {
      case 'log-level': {
        const a = arg;
        const n = strtoui(a, 0, 7);
        const lv = n !== null ? n : (LOG_LEVELS.find(([name]) => name === a)?.[1] ?? null);
        if (lv === null) xtError(PARAMETER_PROBLEM, `log level "${a}" unknown\n`);
        x.options['log-level'] = String(lv);
        break;
      }
      case 'log-prefix':
        if (arg.includes('\n')) xtError(PARAMETER_PROBLEM, 'Newlines not allowed in --log-prefix');
        if (arg.length > 29) xtError(PARAMETER_PROBLEM, 'LOG: Argument must have a maximum length of 29 characters\n');
        x.options['log-prefix'] = arg;
        break;
      default:
        x.options[opt.key] = '';
    }
  },
  print(env, x) {
    const o = x.options;
    const level = Number(o['log-level'] ?? '4');
    let s = ' LOG';
    if (env.numeric) {
      let flags = 0;
      ['log-tcp-sequence', 'log-tcp-options', 'log-ip-options', 'log-uid', '', 'log-macdecode'].forEach((k, i) => {
        if (k && o[k] !== undefined) flags |= 1 << i;
      });
      s += ` flags ${flags} level ${level}`;
    } else {
      // priority2name(): the first of glibc's prioritynames with that value
      const name = SYSLOG_PRIORITY_NAMES[level];
      s += name ? ` level ${name}` : ` UNKNOWN level ${level}`;
      if (o['log-tcp-sequence'] !== undefined) s += ' tcp-sequence';
      if (o['log-tcp-options'] !== undefined) s += ' tcp-options';
      if (o['log-ip-options'] !== undefined) s += ' ip-options';
      if (o['log-uid'] !== undefined) s += ' uid';
      if (o['log-macdecode'] !== undefined) s += ' macdecode';
    }
    if (o['log-prefix']) s += ` prefix "${o['log-prefix']}"`;
    return s;
  },
  save(x) {
    const o = x.options;
    let s = '';
    if (o['log-prefix']) s += ` --log-prefix${saveString(o['log-prefix'])}`;
    if (o['log-level'] !== undefined && o['log-level'] !== '4') s += ` --log-level ${o['log-level']}`;
    if (o['log-tcp-sequence'] !== undefined) s += ' --log-tcp-sequence';
    if (o['log-tcp-options'] !== undefined) s += ' --log-tcp-options';
    if (o['log-ip-options'] !== undefined) s += ' --log-ip-options';
    if (o['log-uid'] !== undefined) s += ' --log-uid';
    if (o['log-macdecode'] !== undefined) s += ' --log-macdecode';
    return s;
  },
};
