// libxt_DNAT: --to-destination [ip[-ip]][:port[-port]], in nat PREROUTING and OUTPUT.
import type { ExtDef } from '../extension';
import { natTarget } from './nat-range';

export const dnatTarget: ExtDef = natTarget({
  name: 'DNAT',
  toKey: 'to-destination',
  flags: ['random', 'persistent'],
  help: 'DNAT target options:\n --to-destination [<ipaddr>[-<ipaddr>]][:port[-port[/port]]]\n\t\t\t\tAddress to map destination to.\n[--random] [--persistent]\n',
  listRange: (range) => ` to:${range}`,
});
