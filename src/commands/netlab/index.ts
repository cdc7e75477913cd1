// netlab: the course's own command (not a Linux tool). `netlab trace
// COMMAND...` runs COMMAND as the shell would, then prints the packet
// engine's step list of its last packet exchange, recorded during that very
// run (src/sim/trace.ts): the output above it is the command's own,
// unchanged.
import type { NetCommand } from '../types';
import { ok, fail } from '../types';
import { quoteArgv } from '../ip/netns';
import { lastExchange, traceStart, traceStop } from '../../sim/trace';
import { nameDb } from '../iptables/names';
import { formatSteps } from './steps';

const HELP = `Usage: netlab COMMAND [ARGS]

netlab is the course's own tool.

Commands:
  trace COMMAND...   run COMMAND, then show the path of its last packet
                     exchange, hop by hop: interfaces in and out, the route
                     that matched, ARP, each bridge's forwarding decision,
                     netfilter rules with their chains, NAT, conntrack, VXLAN,
                     and where a packet was dropped
  help               this text
`;

export const netlab: NetCommand = {
  name: 'netlab',
  async run(args, io, sys) {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') return sub === undefined ? fail(HELP, 1) : ok(HELP);
    if (sub !== 'trace') return fail(`netlab: unknown command '${sub}'\nTry 'netlab help'.\n`, 1);
    if (rest.length === 0) return fail('Usage: netlab trace COMMAND [ARGS]\n', 1);
    const rec = traceStart();
    let r;
    try {
      r = await io.exec(quoteArgv(rest));
    } finally {
      traceStop(rec);
    }
    const steps = rec.steps;
    const text = formatSteps(sys.world, lastExchange(steps), nameDb(sys));
    return { ...r, stdout: r.stdout + text, ...(r.chunks ? { chunks: [...r.chunks, [1, text] as [1, string]] } : {}) };
  },
  complete(ctx) {
    return ctx.words.length === 1 ? ['trace', 'help'] : [];
  },
};
