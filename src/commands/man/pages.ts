// The course's manual pages: one per simulated tool, written for netlab (a
// summary of what the course uses, never the upstream text). A new tool in
// src/commands/index.ts needs its page here (man.test.ts checks).
import type { ManPage } from './render';

const p = (name: string, section: number, summary: string, rest: Omit<ManPage, 'name' | 'section' | 'summary'>): ManPage => ({ name, section, summary, ...rest });

export const PAGES: ManPage[] = [
  p('ip', 8, 'show and change network devices, addresses, routes, neighbours and namespaces', {
    synopsis: ['ip [ OPTIONS ] OBJECT { COMMAND | help }', 'OBJECT := { link | address | route | rule | neigh | netns | monitor }', 'OPTIONS := { -br[ief] | -c[olor] | -d[etails] | -s[tatistics] | -4 | -6 | -j[son] | -p[retty] | -n[etns] NAME }'],
    description: [
      'ip talks to the kernel over netlink: it lists and changes network interfaces (link), their addresses (address), the routing tables (route) and policy rules (rule), the neighbour (ARP and NDP) cache (neigh) and named network namespaces (netns).',
      'Objects and commands may be shortened to any unique prefix: ip a, ip r, ip n, ip l s dev eth0 up.',
    ],
    options: [
      ['-br, -brief', 'one line per interface or address, in columns.'],
      ['-c, -color', 'colour names, addresses and states on a terminal.'],
      ['-d, -details', 'more about each device (veth, bridge and VXLAN parameters).'],
      ['-s, -stats', 'packet and byte counters; twice for more.'],
      ['-4, -6', 'only IPv4 or only IPv6.'],
      ['-n NAME, -netns NAME', 'run the command in network namespace NAME (as ip netns exec NAME ip ...).'],
    ],
    examples: [
      ['ip -br addr', 'every interface with its state and addresses, one line each.'],
      ['ip addr add 10.0.0.1/24 dev eth0', 'give eth0 an address; the kernel adds the connected route.'],
      ['ip link add veth0 type veth peer name veth1', 'a pair of virtual Ethernet devices joined back to back.'],
      ['ip route add default via 10.0.0.254', 'send everything off-link to a gateway.'],
      ['ip route get 8.8.8.8', 'which route, device and source address the kernel would use.'],
      ['ip netns add red; ip netns exec red ip link', 'a new network namespace, and its view of the devices.'],
    ],
    seeAlso: ['ss(8)', 'bridge(8)', 'ping(8)', 'iptables(8)'],
  }),
  p('ss', 8, 'another utility to investigate sockets', {
    synopsis: ['ss [options] [ FILTER ]'],
    description: ['ss lists the sockets of the current network namespace: listening and connected TCP, UDP, raw and Unix sockets, with their queues, addresses and (with -p) the processes holding them.'],
    options: [
      ['-t, -u, -x, -w', 'TCP, UDP, Unix or raw sockets only.'],
      ['-l', 'listening sockets only; -a: listening and connected.'],
      ['-n', 'numeric addresses and ports, no service names.'],
      ['-p', 'the process using each socket.'],
      ['-4, -6', 'IPv4 or IPv6 sockets only.'],
    ],
    examples: [
      ['ss -tlnp', 'who listens on which TCP port.'],
      ["ss -tn state established '( dport = :443 )'", 'established connections to port 443.'],
    ],
    seeAlso: ['netstat(8)', 'ip(8)'],
  }),
  p('iptables', 8, 'administration tool for IPv4 packet filtering and NAT', {
    synopsis: ['iptables [-t table] {-A|-C|-D} chain rule-specification', 'iptables [-t table] -I chain [rulenum] rule-specification', 'iptables [-t table] -S|-L [chain] [-v] [-n] [--line-numbers]', 'iptables [-t table] {-F|-Z|-X} [chain]; iptables [-t table] -N chain; iptables -P chain target'],
    description: [
      'iptables changes the kernel\'s netfilter rules. Rules live in chains (INPUT, OUTPUT, FORWARD, PREROUTING, POSTROUTING and your own) inside tables: filter (the default), nat, mangle and raw. A packet walks a chain\'s rules in order until one jumps to a target: ACCEPT, DROP, REJECT, a user chain, or in nat DNAT, SNAT and MASQUERADE.',
    ],
    options: [
      ['-t TABLE', 'the table: filter (default), nat, mangle, raw.'],
      ['-A, -I, -D, -C CHAIN', 'append, insert, delete or check a rule.'],
      ['-L [CHAIN], -S [CHAIN]', 'list rules as a table, or as the commands that make them.'],
      ['-v, -n, --line-numbers', 'counters and interfaces; numeric output; rule numbers.'],
      ['-p PROTO, -s ADDR, -d ADDR, -i IF, -o IF, --dport PORT', 'what a rule matches.'],
      ['-j TARGET', 'what a matching packet does: ACCEPT, DROP, REJECT, DNAT --to-destination, SNAT --to-source, MASQUERADE, or a chain.'],
    ],
    examples: [
      ['iptables -t nat -A POSTROUTING -s 10.0.0.0/24 -o eth0 -j MASQUERADE', 'hide a private network behind eth0\'s address.'],
      ['iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80', 'forward a port to an inside host.'],
      ['iptables -t nat -L -n -v', 'the NAT rules with their packet counters.'],
    ],
    seeAlso: ['iptables-save(8)', 'sysctl(8)', 'ip(8)'],
  }),
  p('iptables-save', 8, 'dump iptables rules', {
    synopsis: ['iptables-save [-c] [-t table]'],
    description: ['iptables-save prints every table\'s chains and rules in the format iptables-restore reads: a *table line, the chains with their policies and counters, one -A line per rule, COMMIT.'],
    options: [['-t TABLE', 'only this table.'], ['-c', 'the packet and byte counters of each rule.']],
    examples: [['iptables-save -t nat', 'the NAT rules, as kube-proxy or a CNI plugin wrote them.']],
    seeAlso: ['iptables(8)'],
  }),
  p('ping', 8, 'send ICMP ECHO_REQUEST to network hosts', {
    synopsis: ['ping [-c count] [-i interval] [-I interface] [-t ttl] [-W timeout] [-w deadline] [-4|-6] destination'],
    description: ['ping sends ICMP echo requests and prints each reply with its sequence number, TTL and round-trip time. Without -c it runs until interrupted (Ctrl-C), then prints the statistics.'],
    options: [
      ['-c COUNT', 'stop after COUNT replies.'],
      ['-i INTERVAL', 'seconds between requests (default 1).'],
      ['-I INTERFACE', 'send from this interface or address.'],
      ['-t TTL', 'the IP time to live of the requests.'],
      ['-W TIMEOUT, -w DEADLINE', 'how long to wait for each reply; for the whole run.'],
    ],
    examples: [['ping -c 3 192.168.1.11', 'three probes, then the statistics.'], ['ping -c 1 -W 1 10.0.0.1', 'one quick reachability test.']],
    seeAlso: ['traceroute(8)', 'ip(8)'],
  }),
  p('traceroute', 8, 'print the route packets trace to network host', {
    synopsis: ['traceroute [-n] [-m max_ttl] [-q nqueries] [-w waittime] host'],
    description: ['traceroute sends probes with increasing TTL and prints each router that answers "time exceeded", hop by hop, up to the destination.'],
    options: [['-n', 'numeric addresses, no name lookups.'], ['-m MAX_TTL', 'the most hops to try (default 30).'], ['-q N', 'probes per hop (default 3).']],
    examples: [['traceroute -n 10.0.2.2', 'the routers between here and 10.0.2.2.']],
    seeAlso: ['ping(8)', 'ip(8)'],
  }),
  p('bridge', 8, 'show and manipulate bridge addresses and devices', {
    synopsis: ['bridge [ OPTIONS ] OBJECT { COMMAND | help }', 'OBJECT := { link | fdb | vlan }'],
    description: ['bridge shows the ports of Linux bridges (link), their forwarding databases (fdb: which MAC address was learned on which port) and VLAN filters.'],
    options: [['-d, -details', 'more about each port.'], ['-s, -statistics', 'counters.']],
    examples: [['bridge link', 'every bridge port and its state.'], ['bridge fdb show br br0', 'the MAC addresses br0 has learned.']],
    seeAlso: ['ip(8)'],
  }),
  p('netstat', 8, 'print network connections, routing tables, interface statistics', {
    synopsis: ['netstat [-t] [-u] [-l] [-a] [-n] [-p] [-r] [-i]'],
    description: ['netstat (net-tools) lists sockets, as ss does, and with -r the routing table, with -i the interfaces. It reads /proc/net.'],
    options: [['-t, -u', 'TCP or UDP sockets.'], ['-l, -a', 'listening only; all.'], ['-n', 'numeric.'], ['-p', 'the owning process.'], ['-r', 'the routing table.'], ['-i', 'interface counters.']],
    examples: [['netstat -tlnp', 'listening TCP ports and their processes.'], ['netstat -rn', 'the routing table.']],
    seeAlso: ['ss(8)', 'route(8)'],
  }),
  p('route', 8, 'show / manipulate the IP routing table', {
    synopsis: ['route [-n] [-ee]', 'route add [-net|-host] target [netmask Nm] [gw Gw] [metric N] [[dev] If]', 'route del [-net|-host] target [gw Gw] [netmask Nm] [[dev] If]'],
    description: ['route (net-tools) shows and changes the main routing table, in the older format that ip route replaced.'],
    options: [['-n', 'numeric addresses.'], ['-ee', 'every column.']],
    examples: [['route -n', 'the routing table.'], ['route add default gw 10.0.0.254', 'a default route.']],
    seeAlso: ['ip(8)', 'netstat(8)'],
  }),
  p('arp', 8, 'manipulate the system ARP cache', {
    synopsis: ['arp [-n] [-a] [-i if]', 'arp -s address hw_addr', 'arp -d address'],
    description: ['arp (net-tools) shows and changes the IPv4 neighbour cache: which MAC address answers for which IP address on the local link.'],
    options: [['-n', 'numeric addresses.'], ['-a', 'BSD-style output.'], ['-s, -d', 'add or delete an entry.']],
    examples: [['arp -n', 'the cache.']],
    seeAlso: ['ip(8)'],
  }),
  p('ifconfig', 8, 'configure a network interface', {
    synopsis: ['ifconfig [-a] [interface]', 'ifconfig interface [address [netmask N]] [up|down] [mtu N]'],
    description: ['ifconfig (net-tools) shows interfaces with their addresses and counters, and sets addresses and flags: the older tool ip link and ip address replaced.'],
    options: [['-a', 'interfaces that are down too.'], ['-s', 'a short table.']],
    examples: [['ifconfig eth0', 'one interface.'], ['ifconfig eth0 10.0.0.1 netmask 255.255.255.0 up', 'an address, and up.']],
    seeAlso: ['ip(8)'],
  }),
  p('sysctl', 8, 'configure kernel parameters at runtime', {
    synopsis: ['sysctl [-n] [-e] variable...', 'sysctl [-w] variable=value...', 'sysctl -a', 'sysctl -p [file]'],
    description: ['sysctl reads and writes the kernel parameters under /proc/sys, such as net.ipv4.ip_forward (routing between interfaces) and net.bridge.bridge-nf-call-iptables.'],
    options: [['-w', 'write a value.'], ['-n', 'values only.'], ['-a', 'every parameter.'], ['-p [FILE]', 'load settings from /etc/sysctl.conf or FILE.']],
    examples: [['sysctl -w net.ipv4.ip_forward=1', 'turn the host into a router.'], ['sysctl net.ipv4.ip_forward', 'is it one?']],
    seeAlso: ['ip(8)', 'iptables(8)'],
  }),
  p('dig', 1, 'DNS lookup utility', {
    synopsis: ['dig [@server] [-x addr] [name] [type] [+short] [+noall +answer] [+search]'],
    description: ['dig sends a DNS query to the servers of /etc/resolv.conf (or @server) and prints the answer in zone-file form, with the header, flags and timings.'],
    options: [['@SERVER', 'ask this server.'], ['-x ADDR', 'a reverse lookup (PTR).'], ['+short', 'only the answers.'], ['+search', 'use resolv.conf\'s search list.']],
    examples: [['dig +short example.test', 'the addresses of a name.'], ['dig @10.96.0.10 kubernetes.default.svc.cluster.local', 'ask the cluster DNS (CoreDNS) directly.']],
    seeAlso: ['nslookup(1)', 'host(1)', 'getent(1)'],
  }),
  p('nslookup', 1, 'query Internet name servers interactively', {
    synopsis: ['nslookup [-type=T] name [server]'],
    description: ['nslookup asks a DNS server for a name and prints the server it used and the answers.'],
    examples: [['nslookup example.test', 'the addresses of a name.'], ['nslookup -type=mx example.test', 'its mail servers.']],
    seeAlso: ['dig(1)', 'host(1)'],
  }),
  p('host', 1, 'DNS lookup utility', {
    synopsis: ['host [-t type] [-v] name [server]'],
    description: ['host prints the answers to a DNS query in one short sentence each.'],
    options: [['-t TYPE', 'the record type (A, AAAA, MX, PTR...).']],
    examples: [['host example.test', 'addresses and mail servers of a name.']],
    seeAlso: ['dig(1)', 'nslookup(1)'],
  }),
  p('getent', 1, 'get entries from Name Service Switch libraries', {
    synopsis: ['getent database key...'],
    description: ['getent looks a key up as programs do, through /etc/nsswitch.conf: for hosts, /etc/hosts first, then DNS.'],
    examples: [['getent hosts web', 'what a program connecting to "web" would get.'], ['getent ahosts example.test', 'every address, with its socket types.']],
    seeAlso: ['dig(1)', 'hostname(1)'],
  }),
  p('hostname', 1, 'show or set the system\'s host name', {
    synopsis: ['hostname [-s|-f|-d|-i|-I]', 'hostname NAME'],
    description: ['hostname prints or sets the host\'s name (of its UTS namespace).'],
    options: [['-s', 'the short name.'], ['-f', 'the fully qualified name.'], ['-i, -I', 'the addresses of the name; every address of the host.']],
    examples: [['hostname -I', 'every address of this host.']],
    seeAlso: ['uname(1)', 'getent(1)'],
  }),
  p('dnsmasq', 8, 'a lightweight DHCP and caching DNS server', {
    synopsis: ['dnsmasq [--no-daemon] [--interface=IF] [--listen-address=ADDR] [--address=/DOMAIN/ADDR] [--addn-hosts=FILE]'],
    description: ['dnsmasq answers DNS queries from /etc/hosts, its own options and upstream servers. The course runs one as the DNS server of a small network.'],
    options: [['--address=/DOMAIN/ADDR', 'answer ADDR for DOMAIN and every name below it.'], ['--listen-address=ADDR', 'listen on this address.']],
    examples: [['dnsmasq --listen-address=10.0.0.1 --address=/example.test/10.0.0.5', 'a server for one domain.']],
    seeAlso: ['dig(1)'],
  }),
  p('nc', 1, 'arbitrary TCP and UDP connections and listens', {
    synopsis: ['nc [-l] [-u] [-v] [-z] [-w timeout] [host] port'],
    description: ['nc (netcat) opens a TCP or UDP connection, or listens for one, and copies standard input and output across it.'],
    options: [['-l', 'listen.'], ['-u', 'UDP.'], ['-z', 'only test that the port answers.'], ['-v', 'say what happened.'], ['-w SECONDS', 'give up after this long.']],
    examples: [['nc -zv 10.0.0.2 80', 'is port 80 open?']],
    seeAlso: ['ss(8)', 'curl(1)'],
  }),
  p('curl', 1, 'transfer a URL', {
    synopsis: ['curl [-s] [-v] [-I] [-o file] [--connect-timeout s] [-H header] URL'],
    description: ['curl sends an HTTP request and prints the response body; the course uses it to reach web servers, services and ingresses.'],
    options: [['-s', 'silent: no progress or errors.'], ['-v', 'the request and response headers.'], ['-I', 'only the response headers (HEAD).'], ['-H HEADER', 'an extra request header (Host: ...).'], ['--connect-timeout S', 'give up connecting after S seconds.']],
    examples: [['curl -s http://10.96.0.20/', 'a service\'s page.'], ['curl -H "Host: shop.example" http://192.168.1.240/', 'an ingress rule chosen by host name.']],
    seeAlso: ['nc(1)', 'dig(1)'],
  }),
  p('wget', 1, 'a non-interactive network downloader (BusyBox)', {
    synopsis: ['wget [-q] [-O FILE] [-T SEC] [-S] URL'],
    description: ['wget fetches a URL over HTTP and saves it to a file, or prints it with -O -. The course meets it as BusyBox\'s applet in small container images, to test a Service from inside a pod.'],
    options: [['-q', 'quiet: no progress line.'], ['-O FILE', 'save to FILE; -O - prints to standard output.'], ['-T SEC', 'give up after SEC seconds.'], ['-S', 'print the server\'s response headers.']],
    examples: [['wget -qO- http://web.default.svc.cluster.local', 'a Service\'s page, from a pod.']],
    seeAlso: ['curl(1)', 'nc(1)'],
  }),
  p('ssh', 1, 'log in to another host of the lab', {
    synopsis: ['ssh HOST [command]'],
    description: ['ssh opens a shell on another host of the scenario (exit comes back), or runs one command there and prints its output.'],
    examples: [['ssh node01', 'a shell on node01.'], ['ssh node01 ip -br a', 'node01\'s addresses.']],
  }),
  p('ps', 1, 'report a snapshot of the current processes', {
    synopsis: ['ps [-e] [-f] [aux] [-C name]'],
    description: ['ps lists the host\'s processes (daemons, servers, the cluster\'s components).'],
    options: [['-e, -A', 'every process.'], ['-f', 'full format: user, parent, start time, command line.'], ['aux', 'BSD style, with CPU and memory columns.']],
    examples: [['ps -ef', 'every process with its command line.'], ['ps aux | grep kube', 'the Kubernetes components.']],
    seeAlso: ['ss(8)', 'systemctl(1)'],
  }),
  p('systemctl', 1, 'control the systemd system and service manager', {
    synopsis: ['systemctl [status|start|stop|restart|is-active|list-units] [UNIT...]'],
    description: ['systemctl shows and controls the host\'s services (kubelet, containerd).'],
    examples: [['systemctl status kubelet', 'is the kubelet running, and since when.'], ['systemctl restart kubelet', 'restart it.']],
    seeAlso: ['ps(1)'],
  }),
  p('kubectl', 1, 'the Kubernetes command-line client', {
    synopsis: ['kubectl [command] [TYPE] [NAME] [flags]'],
    description: ['kubectl talks to the cluster\'s API server: it lists, describes, creates, changes and deletes objects (pods, deployments, services, endpoints, network policies, ingresses...) and runs commands in containers.'],
    options: [['-n NS, -A', 'a namespace; every namespace.'], ['-o wide|yaml|json|name|jsonpath=...', 'the output format.'], ['-l SELECTOR', 'only objects with these labels.'], ['--dry-run=client -o yaml', 'print the object a command would create.']],
    examples: [['kubectl get pods -A -o wide', 'every pod, with its IP and node.'], ['kubectl expose deployment web --port 80', 'a ClusterIP service in front of a deployment.'], ['kubectl get endpointslices', 'which pod addresses a service sends to.'], ['kubectl exec -it web-0 -- sh', 'a shell in a container.']],
    seeAlso: ['iptables-save(8)', 'dig(1)'],
  }),
  p('ls', 1, 'list directory contents', {
    synopsis: ['ls [-l] [-a] [-h] [-R] [file...]'],
    description: ['ls lists files: in columns on a terminal, one per line in a pipe.'],
    options: [['-l', 'long listing: mode, links, owner, group, size, date.'], ['-a', 'names starting with a dot too.'], ['-h', 'sizes in K, M, G.']],
    examples: [['ls -l /etc/netns', 'per-namespace configuration files.'], ['ls /var/run/netns', 'the named network namespaces.']],
  }),
  p('whoami', 1, 'print effective user name', {
    synopsis: ['whoami'],
    description: ['whoami prints the name of the user the shell runs as: root, in every lab.'],
    seeAlso: ['id(1)'],
  }),
  p('id', 1, 'print real and effective user and group IDs', {
    synopsis: ['id [-u|-g|-G] [-n] [USER]'],
    description: ['id prints a user\'s numeric IDs and names: uid, gid and groups.'],
    options: [['-u, -g, -G', 'only the user ID, the group ID, every group ID.'], ['-n', 'names instead of numbers (with -u, -g, -G).']],
    examples: [['id', 'uid=0(root) gid=0(root) groups=0(root)']],
    seeAlso: ['whoami(1)'],
  }),
  p('uname', 1, 'print system information', {
    synopsis: ['uname [-a] [-s] [-n] [-r] [-v] [-m] [-o]'],
    description: ['uname prints the kernel\'s name, the host name, the kernel release and version, and the machine type.'],
    options: [['-a', 'everything.'], ['-n', 'the host name.'], ['-r', 'the kernel release.'], ['-m', 'the machine hardware name.']],
    examples: [['uname -r', 'which kernel this host runs.']],
    seeAlso: ['hostname(1)'],
  }),
  p('stty', 1, 'change and print terminal line settings', {
    synopsis: ['stty [size]'],
    description: ['stty prints the terminal\'s settings; stty size prints its rows and columns, which the page\'s terminal sets to the room it has (tools such as ss and ip -br lay their columns out for it).'],
    examples: [['stty size', 'rows and columns.']],
  }),
  p('man', 1, 'an interface to the system reference manuals', {
    synopsis: ['man [section] page'],
    description: ['man prints a tool\'s manual page. On these hosts the pages are the course\'s own short pages, one for each simulated tool.'],
    examples: [['man ip', 'the page of ip.'], ['help', 'the shell\'s builtins, and the list of tools.']],
  }),
  p('vim', 1, 'Vi IMproved, a programmer\'s text editor', {
    synopsis: ['vim [file]', 'vi [file]'],
    description: ['vim edits a file on the screen: i inserts, Escape returns to normal mode, :w writes, :q quits, :wq both, :q! quits without saving.'],
    examples: [['vi /etc/hosts', 'edit the hosts file.']],
    seeAlso: ['nano(1)'],
  }),
  p('nano', 1, 'Nano\'s ANOther editor, inspired by Pico', {
    synopsis: ['nano [file]'],
    description: ['nano edits a file on the screen; the keys are listed at the bottom: Ctrl-O writes, Ctrl-X leaves.'],
    examples: [['nano /etc/resolv.conf', 'edit the resolver configuration.']],
    seeAlso: ['vim(1)'],
  }),
];

/** `man vi` shows vim's page, as on Debian */
export const ALIASES: Record<string, string> = { vi: 'vim', 'iptables-legacy': 'iptables', 'iptables-nft': 'iptables' };
