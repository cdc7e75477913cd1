// libipt_SNAT: --to-source [ip[-ip]][:port[-port]], in nat POSTROUTING and INPUT.
import type { ExtDef } from '../extension';
import { natTarget } from './nat-range';

export const snatTarget: ExtDef = natTarget({
  name: 'SNAT',
  toKey: 'to-source',
  flags: ['random', 'random-fully', 'persistent'],
  help: 'SNAT target options:\n --to-source [<ipaddr>[-<ipaddr>]][:port[-port]]\n\t\t\t\tAddress to map source to.\n[--random] [--random-fully] [--persistent]\n',
  listRange: (range) => ` to:${range}`,
});
