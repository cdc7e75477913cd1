// libxt_REDIRECT: DNAT to the host itself, optionally --to-ports.
import type { ExtDef } from '../extension';
import { natTarget } from './nat-range';

export const redirectTarget: ExtDef = natTarget({
  name: 'REDIRECT',
  toKey: 'to-ports',
  flags: ['random'],
  help: 'REDIRECT target options:\n --to-ports <port>[-<port>]\n\t\t\t\tPort (range) to map to.\n [--random]\n',
  listRange: (range) => ` redir ports ${range}`,
});
