// libxt_udp: --sport/--dport ranges (the tcp match's port part; see tcp.ts).
import type { ExtDef } from '../extension';
import { tcpUdp } from './tcp';

export const udpExt: ExtDef = tcpUdp('udp');
