// ss's usage text and long options (data), and the exit carrier its parts throw.
import type { CmdResult } from './types';
import type { LongOpt } from './net-tools/lib';

export class SsExit {
  constructor(public res: CmdResult) {}
}

export const USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -T, --threads       show thread using socket
   -i, --info          show internal TCP information
       --tipcinfo      show internal tipc socket information
   -s, --summary       show socket usage summary
       --tos           show tos and priority information
       --cgroup        show cgroup information
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display task SELinux security contexts
   -z, --contexts      display task and socket SELinux security contexts
   -N, --net           switch to the specified network namespace name

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
   -d, --dccp          display only DCCP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --tipc          display only TIPC sockets
       --vsock         display only vsock sockets
       --xdp           display only XDP sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]

   -D, --diag=FILE     Dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
             bucket := {syn-recv|time-wait}
                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}
`;

export const LONGOPTS: LongOpt[] = [
  { name: 'numeric', hasArg: 0, val: 'n' },
  { name: 'resolve', hasArg: 0, val: 'r' },
  { name: 'options', hasArg: 0, val: 'o' },
  { name: 'extended', hasArg: 0, val: 'e' },
  { name: 'memory', hasArg: 0, val: 'm' },
  { name: 'info', hasArg: 0, val: 'i' },
  { name: 'processes', hasArg: 0, val: 'p' },
  { name: 'threads', hasArg: 0, val: 'T' },
  { name: 'bpf', hasArg: 0, val: 'b' },
  { name: 'events', hasArg: 0, val: 'E' },
  { name: 'dccp', hasArg: 0, val: 'd' },
  { name: 'tcp', hasArg: 0, val: 't' },
  { name: 'sctp', hasArg: 0, val: 'S' },
  { name: 'udp', hasArg: 0, val: 'u' },
  { name: 'raw', hasArg: 0, val: 'w' },
  { name: 'unix', hasArg: 0, val: 'x' },
  { name: 'tipc', hasArg: 0, val: 'tipc' },
  { name: 'vsock', hasArg: 0, val: 'vsock' },
  { name: 'all', hasArg: 0, val: 'a' },
  { name: 'listening', hasArg: 0, val: 'l' },
  { name: 'ipv4', hasArg: 0, val: '4' },
  { name: 'ipv6', hasArg: 0, val: '6' },
  { name: 'packet', hasArg: 0, val: '0' },
  { name: 'family', hasArg: 1, val: 'f' },
  { name: 'socket', hasArg: 1, val: 'A' },
  { name: 'query', hasArg: 1, val: 'A' },
  { name: 'summary', hasArg: 0, val: 's' },
  { name: 'diag', hasArg: 1, val: 'D' },
  { name: 'filter', hasArg: 1, val: 'F' },
  { name: 'version', hasArg: 0, val: 'V' },
  { name: 'help', hasArg: 0, val: 'h' },
  { name: 'context', hasArg: 0, val: 'Z' },
  { name: 'contexts', hasArg: 0, val: 'z' },
  { name: 'net', hasArg: 1, val: 'N' },
  { name: 'tipcinfo', hasArg: 0, val: 'tipcinfo' },
  { name: 'tos', hasArg: 0, val: 'tos' },
  { name: 'cgroup', hasArg: 0, val: 'cgroup' },
  { name: 'kill', hasArg: 0, val: 'K' },
  { name: 'no-header', hasArg: 0, val: 'H' },
  { name: 'xdp', hasArg: 0, val: 'xdp' },
  { name: 'mptcp', hasArg: 0, val: 'M' },
  { name: 'oneline', hasArg: 0, val: 'O' },
  { name: 'inet-sockopt', hasArg: 0, val: 'inet-sockopt' },
];

