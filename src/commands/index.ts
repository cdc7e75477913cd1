// The registry of simulated networking commands. Each tool is one module;
// add it to this list.
import type { NetCommand } from './types';
import { ssh } from './ssh';
import { ls } from './ls';
import { kubectl } from './kubectl';
import { sysctl } from './sysctl';
import { dig } from './dig';
import { dnsmasq } from './dnsmasq';
import { nslookup } from './nslookup';
import { host } from './host';
import { getent } from './getent';
import { hostname } from './hostname';
import { iptables, iptablesSave } from './iptables/index';
import { ps } from './ps';
import { systemctl } from './systemctl';
import { ping } from './ping';
import { traceroute } from './traceroute';
import { nc } from './nc';
import { curl } from './curl';
import { ip } from './ip/index';
import { bridge } from './bridge';
import { netstat } from './net-tools/netstat';
import { ss } from './ss';
import { route } from './net-tools/route';
import { arp } from './net-tools/arp';
import { ifconfig } from './net-tools/ifconfig';

export const netCommands: NetCommand[] = [ssh, ps, systemctl, kubectl, ls, sysctl, dig, dnsmasq, nslookup, host, getent, hostname, iptables, iptablesSave, ping, traceroute, nc, curl, ip, bridge, netstat, ss, route, arp, ifconfig];
