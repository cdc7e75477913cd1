// The standard target: ACCEPT, DROP, RETURN, QUEUE, or no target.
import type { ExtDef } from '../extension';

export const standardTarget: ExtDef = {
  name: 'standard',
  kind: 'target',
  opts: [],
  help: 'standard match options:\n(If target is DROP, ACCEPT, RETURN or nothing)\n',
  parse() {},
  print: () => '',
  save: () => '',
};
