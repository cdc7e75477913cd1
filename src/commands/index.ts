// The registry of simulated networking commands. Each tool is one module;
// add it to this list.
import type { NetCommand } from './types';
import { ssh } from './ssh';
import { kubectl } from './kubectl';
import { sysctl } from './sysctl';
import { dig } from './dig';
import { dnsmasq } from './dnsmasq';
import { iptables } from './iptables';
import { iptablesSave } from './iptables-save';
import { ip } from './ip/index';
import { ping } from './ping';
import { ip } from './ip/index';
import { netstat } from './netstat';
import { ss } from './ss';
import { route } from './route';
import { arp } from './arp';
import { ifconfig } from './ifconfig';

export const netCommands: NetCommand[] = [ssh, kubectl, sysctl, dig, dnsmasq, iptables, iptablesSave, ping, ip, netstat, ss, route, arp, ifconfig];
