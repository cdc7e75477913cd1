// libxt_MASQUERADE: SNAT to the outgoing interface's address, optionally --to-ports.
import type { ExtDef } from '../extension';
import { natTarget } from './nat-range';

export const masqueradeTarget: ExtDef = natTarget({
  name: 'MASQUERADE',
  toKey: 'to-ports',
  flags: ['random', 'random-fully'],
  help: 'MASQUERADE target options:\n --to-ports <port>[-<port>]\n\t\t\t\tPort (range) to map to.\n --random\n\t\t\t\tRandomize source port.\n --random-fully\n\t\t\t\tFully randomize source port.\n',
  listRange: (range) => ` masq ports: ${range}`,
});
