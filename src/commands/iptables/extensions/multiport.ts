// libxt_multiport: up to 15 ports or ranges, source, destination or either.
import type { ExtDef } from '../extension';
import { chainProtoName, protoToName, ruleProtoNum } from '../names';
import { PARAMETER_PROBLEM, xtError } from '../xtables';
import { parsePort, portName } from './ports';

export const multiportExt: ExtDef = {
  name: 'multiport',
  kind: 'match',
  opts: [
    { name: 'source-ports', hasArg: 1, key: 'sports', invert: true },
    { name: 'sports', hasArg: 1, key: 'sports', invert: true },
    { name: 'destination-ports', hasArg: 1, key: 'dports', invert: true },
    { name: 'dports', hasArg: 1, key: 'dports', invert: true },
    { name: 'ports', hasArg: 1, key: 'ports', invert: true },
  ],
  help: 'multiport match options:\n[!] --source-ports port[,port:port,port...]\n --sports ...\n\t\t\t\tmatch source port(s)\n[!] --destination-ports port[,port:port,port...]\n --dports ...\n\t\t\t\tmatch destination port(s)\n[!] --ports port[,port:port,port]\n\t\t\t\tmatch both source and destination port(s)\n',
  parse(env, x, opt, arg, invert) {
    const r = env.rule;
    const pnum = ruleProtoNum(r);
    if (r.protocolInvert) xtError(PARAMETER_PROBLEM, 'multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP');
    const pname = [6, 17, 136, 132, 33].includes(pnum) ? (chainProtoName(pnum) ?? 'dccp') : null;
    if (!pname) {
      if (!pnum) xtError(PARAMETER_PROBLEM, "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
      xtError(PARAMETER_PROBLEM, 'multiport only works with TCP, UDP, UDPLITE, SCTP and DCCP');
    }
    const out: string[] = [];
    let slots = 0;
    const parts = arg.split(',');
    for (const part of parts) {
      if (slots >= 15) xtError(PARAMETER_PROBLEM, 'too many ports specified');
      const c = part.indexOf(':');
      if (c >= 0) {
        if (slots === 14) xtError(PARAMETER_PROBLEM, 'too many ports specified');
        const lo = parsePort(env.db, part.slice(0, c), pname);
        const hi = parsePort(env.db, part.slice(c + 1), pname);
        if (lo >= hi) xtError(PARAMETER_PROBLEM, 'invalid portrange specified');
        out.push(`${lo}:${hi}`);
        slots += 2;
      } else {
        out.push(String(parsePort(env.db, part, pname)));
        slots += 1;
      }
    }
    delete x.options.sports;
    delete x.options.dports;
    delete x.options.ports;
    x.options[opt.key] = out.join(',');
    if (invert) x.invert = { [opt.key]: true };
    else x.invert = {};
  },
  final(_env, _x, seen) {
    if (seen.size === 0) xtError(PARAMETER_PROBLEM, 'multiport expection an option');
  },
  print(env, x, rule) {
    const key = x.options.sports !== undefined ? 'sports' : x.options.dports !== undefined ? 'dports' : 'ports';
    const proto = protoToName(env.db, ruleProtoNum(rule), false);
    let s = ` multiport ${key} `;
    if (x.invert?.[key]) s += ' !';
    s += (x.options[key] ?? '')
      .split(',')
      .map((p) =>
        p
          .split(':')
          .map((n) => portName(env, Number(n), proto))
          .join(':'),
      )
      .join(',');
    return s;
  },
  save(x) {
    const key = x.options.sports !== undefined ? 'sports' : x.options.dports !== undefined ? 'dports' : 'ports';
    return `${x.invert?.[key] ? ' !' : ''} --${key} ${x.options[key] ?? ''}`;
  },
};
