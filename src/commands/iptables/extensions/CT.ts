// libxt_CT: the CT target (--notrack, --helper) and NOTRACK, its alias
// (CT revision 2 with XT_CT_NOTRACK_ALIAS: listed as target CT, saved as -j NOTRACK).
import type { ExtDef } from '../extension';

/** NOTRACK: libxt_CT's alias (CT revision 2 with XT_CT_NOTRACK_ALIAS): listed as target CT, saved as -j NOTRACK. */
export const notrackTarget: ExtDef = {
  name: 'NOTRACK',
  kind: 'target',
  opts: [],
  parse() {},
  print: () => ' NOTRACK',
  save: () => '',
};

export const ctTarget: ExtDef = {
  name: 'CT',
  kind: 'target',
  opts: [
    { name: 'notrack', hasArg: 0, key: 'notrack' },
    { name: 'helper', hasArg: 1, key: 'helper' },
  ],
  help: 'CT target options:\n --notrack\t\t\tDon\'t track connection\n --helper name\t\t\tUse conntrack helper \'name\' for connection\n --timeout name \t\tUse timeout policy \'name\' for connection\n --ctevents event[,event...]\tGenerate specified conntrack events for connection\n --expevents event[,event...]\tGenerate specified expectation events for connection\n --zone {ID|mark}\t\tAssign/Lookup connection in zone ID/packet nfmark\n --zone-orig {ID|mark}\t\tSame as \'zone\' option, but only applies to ORIGINAL direction\n --zone-reply {ID|mark} \tSame as \'zone\' option, but only applies to REPLY direction\n',
  parse(_env, x, opt, arg) {
    x.options[opt.key] = opt.key === 'helper' ? arg : '';
  },
  print(_env, x) {
    let s = ' CT';
    if (x.options.notrack !== undefined) s += ' notrack';
    if (x.options.helper) s += ` helper ${x.options.helper}`;
    return s;
  },
  save(x) {
    let s = '';
    if (x.options.notrack !== undefined) s += ' --notrack';
    if (x.options.helper) s += ` --helper ${x.options.helper}`;
    return s;
  },
};
