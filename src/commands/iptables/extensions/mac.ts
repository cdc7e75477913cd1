// libxt_mac: --mac-source XX:XX:XX:XX:XX:XX.
import type { ExtDef } from '../extension';
import { PARAMETER_PROBLEM, xtError } from '../xtables';

/** xtopt_parse_ethermac(): six hex bytes of at most two digits, ':' separated. */
function parseEtherMac(a: string): string {
  const parts = a.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[\t\n\v\f\r ]*[+-]?(0[xX])?[0-9a-fA-F]{1,2}$/.test(p) || p.length > 2)) xtError(PARAMETER_PROBLEM, 'Invalid MAC address specified.');
  return parts.map((p) => (parseInt(p, 16) & 0xff).toString(16).padStart(2, '0')).join(':');
}

export const macExt: ExtDef = {
  name: 'mac',
  kind: 'match',
  opts: [{ name: 'mac-source', hasArg: 1, key: 'mac-source', invert: true, mand: true }],
  help: 'mac match options:\n[!] --mac-source XX:XX:XX:XX:XX:XX\n\t\t\t\tMatch source MAC address\n',
  parse(_env, x, _opt, arg, invert) {
    x.options['mac-source'] = parseEtherMac(arg);
    if (invert) (x.invert ??= {})['mac-source'] = true;
  },
  print(_env, x) {
    return ` MAC ${x.invert?.['mac-source'] ? '! ' : ''}${x.options['mac-source'] ?? ''}`;
  },
  save(x) {
    return `${x.invert?.['mac-source'] ? ' !' : ''} --mac-source ${x.options['mac-source'] ?? ''}`;
  },
};
