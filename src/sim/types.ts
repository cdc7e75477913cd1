// The simulated kernel's state: plain data only (JSON-serialisable, no
// classes, no Maps, no undefined-vs-missing subtleties that JSON would lose).
// `snapshot()` is JSON.stringify of a WorldState; `restore()` parses it back.
//
// Ownership of the sub-shapes (each module owns its part of the state and the
// operations on it):
//   links, addresses, routes, neighbours, sysctls, netns  -> kernel core (world.ts, netdev.ts, addr.ts, fib.ts, neighbour.ts, netns.ts)
//   netfilter + conntrack                                 -> netfilter.ts
//   sockets + processes                                   -> sockets.ts
//   DNS servers (zones)                                   -> dns.ts
//   HTTP servers                                          -> http.ts
//   packets                                               -> packet.ts (stateless engine over this state)

/** A namespace id, unique within the world and never reused ("ns1", "ns2", ...). */
export type NsId = string;
/** A host id, unique within the world ("controlplane", "A", "B", "router"). */
export type HostId = string;

export type LinkKind = 'loopback' | 'ether' | 'veth' | 'bridge' | 'dummy' | 'vxlan';

/** Reference to a link anywhere in the world. */
export interface LinkRef {
  ns: NsId;
  ifindex: number;
}

export interface LinkStats {
  rxPackets: number;
  rxBytes: number;
  rxErrors: number;
  rxDropped: number;
  txPackets: number;
  txBytes: number;
  txErrors: number;
  txDropped: number;
  multicast: number;
}

export interface FdbEntry {
  mac: string;
  /** ifindex of the bridge port the MAC was learned on */
  port: number;
  /** learned (dynamic) or permanent (the bridge's and ports' own MACs) */
  permanent: boolean;
  /** added by `bridge fdb add/append/replace`: the state it lists with (never ages) */
  userState?: 'permanent' | 'static';
  vlan?: number;
  /** simulated time (ms) the entry was last refreshed */
  updated: number;
}

export interface BridgeInfo {
  fdb: FdbEntry[];
  stpState: number;
  forwardDelay: number; // centiseconds, as the kernel reports (1500)
  helloTime: number; // 200
  maxAge: number; // 2000
  ageingTime: number; // 30000
  priority: number; // 32768
  vlanFiltering: boolean;
  /** true once a MAC has been set explicitly (then it no longer follows its ports) */
  macFixed: boolean;
  /** true once a port has been attached (carrier then follows the ports; before, an up bridge is `state UNKNOWN`) */
  everHadPorts: boolean;
  /** true once an MTU has been set explicitly (then it no longer follows the smallest port MTU) */
  mtuFixed: boolean;
}

/** One entry of a vxlan device's forwarding database (`bridge fdb ... dev VXLAN dst IP self`). */
export interface VxlanFdbEntry {
  /** inner destination MAC; 00:00:00:00:00:00 = default (broadcast, multicast, unknown unicast) */
  mac: string;
  /** remote VTEP address */
  dst: string;
  /** NUD state as `bridge fdb` prints it */
  state: 'permanent' | 'reachable' | 'stale' | 'noarp';
  /** simulated ms of the last update (learned entries age) */
  updated: number;
}

/** IFLA_VXLAN_* of a vxlan device. */
export interface VxlanInfo {
  /** VNI */
  id: number;
  /** source address of the outer packets (null: chosen by routing) */
  local: string | null;
  /** ifindex of the lower device (null: none) */
  dev: number | null;
  dstport: number;
  learning: boolean;
  /** outer TTL (null: auto = the namespace's default TTL) */
  ttl: number | null;
  /** seconds a learned entry lives */
  ageing: number;
  fdb: VxlanFdbEntry[];
}

export interface Link {
  ifindex: number;
  name: string;
  kind: LinkKind;
  mtu: number;
  mac: string; // lower-case, colon separated
  broadcast: string; // ff:ff:ff:ff:ff:ff or 00:00:00:00:00:00 for lo
  /** IFF_UP: set by `ip link set X up` */
  adminUp: boolean;
  qdisc: string; // noop | noqueue | fq_codel | pfifo_fast ...
  qlen: number; // 1000 (txqueuelen)
  group: string; // 'default'
  /** ifindex of the bridge this link is a port of */
  master: number | null;
  /** bridge port settings changed by `bridge link set` (IFLA_BRPORT_*): absent = kernel defaults */
  brport?: { cost?: number; priority?: number; flags?: Record<string, boolean> };
  alias: string | null;
  /** veth only: the other end */
  peer: LinkRef | null;
  /**
   * veth only: the operational state without carrier, as linkwatch computed it when the carrier
   * last went off: DOWN when the device of the peer's ifindex in this namespace is missing or up,
   * else LOWERLAYERDOWN (unset: LOWERLAYERDOWN, as at creation). A peer moved away changes nothing.
   */
  operNoCarrier?: 'DOWN' | 'LOWERLAYERDOWN';
  /** ether only: the world segment (switch or cable) the NIC is plugged into */
  segment: string | null;
  /** bridge only */
  bridge: BridgeInfo | null;
  /** vxlan only (vxlan.ts) */
  vxlan?: VxlanInfo;
  /** bridge port state when master != null: 0 disabled, 3 forwarding, ... */
  portState: number;
  stats: LinkStats;
  /** simulated time (ms) the link last came up with carrier (drives DAD) */
  upSince: number | null;
  /** the ifindex this link had before moving namespaces is not kept: moving allocates anew */
  /** for links moved into a namespace from a host's root: where to return them when the ns is deleted */
  homeNs: NsId | null;
  /** addrgenmode / IPv6 enabled */
  ipv6: boolean;
  /** IPv6 autoconfiguration ran since the link last came up (link-local address, fe80::/64 and ff00::/8 routes) */
  addrconf: boolean;
  /** flags set with `ip link set ... arp off | promisc on | allmulticast on | multicast off` (absent: none) */
  userFlags?: { noarp?: boolean; promisc?: boolean; allmulti?: boolean; nomulticast?: boolean };
  /** monotonically increasing creation order, for stable sort by ifindex + tie-breaks */
  created: number;
}

export type AddrFamily = 4 | 6;

export interface Address {
  family: AddrFamily;
  ifindex: number;
  /** the address itself, canonical text (no prefix) */
  local: string;
  prefixlen: number;
  /** IPv4 broadcast, when set (`brd +` computes it) */
  broadcast: string | null;
  /** point-to-point peer, rare */
  peer: string | null;
  scope: 'global' | 'link' | 'host' | 'site' | number;
  label: string | null;
  /** IPv6: DAD not yet finished until this simulated time */
  tentativeUntil: number | null;
  /** IPv6: duplicate address detection found another holder (IFA_F_DADFAILED; the address stays tentative) */
  dadFailed?: boolean;
  /** IPv6: added with `nodad` (IFA_F_NODAD) */
  nodad?: boolean;
  /** IFA_F_PERMANENT (configured) vs dynamic; kernel LL addresses are permanent too */
  permanent: boolean;
  /** lifetimes; "forever" = null */
  validLft: number | null;
  preferredLft: number | null;
  /** order of insertion inside the namespace, used for printing order */
  seq: number;
  /** secondary (a second address in the same prefix on the same link) */
  secondary: boolean;
  noprefixroute: boolean;
}

export type RouteType = 'unicast' | 'local' | 'broadcast' | 'unreachable' | 'prohibit' | 'blackhole' | 'multicast' | 'anycast' | 'throw';

export interface Route {
  family: AddrFamily;
  /** table id: 255 local, 254 main, 253 default; others numeric */
  table: number;
  type: RouteType;
  /** destination network address, canonical (e.g. "10.0.0.0"), "0.0.0.0"/"::" for default */
  dst: string;
  dstLen: number;
  gateway: string | null;
  /** output device ifindex */
  oif: number | null;
  prefsrc: string | null;
  metric: number;
  /** 'kernel' | 'boot' | 'static' | 'dhcp' | 'ra' | number */
  protocol: string | number;
  scope: 'global' | 'link' | 'host' | 'nowhere' | 'site' | number;
  onlink: boolean;
  /** tos, mtu etc. rarely used */
  mtu: number | null;
  /** insertion order; the kernel lists routes by prefix then insertion */
  seq: number;
  /**
   * Multipath route (RTA_MULTIPATH): two or more hops. When present,
   * `gateway`, `oif` and `onlink` mirror the first hop (what /proc/net/route
   * and the kernel's delete match look at).
   */
  nexthops?: RouteNexthop[];
  /** routing realms (RTA_FLOW: from << 16 | to), IPv4 only; absent when 0 */
  realms?: number;
}

/** One hop of a multipath route. */
export interface RouteNexthop {
  gateway: string | null;
  oif: number;
  /** 1..256 (rtnh_hops + 1) */
  weight: number;
  onlink: boolean;
  /** RTA_FLOW of the hop, when set */
  realms?: number;
}

/** A policy routing rule (`ip rule`). */
export interface FibRule {
  family: AddrFamily;
  priority: number;
  /** 'lookup' (with table), or a terminal action */
  action: 'lookup' | 'blackhole' | 'unreachable' | 'prohibit' | 'goto' | 'nop' | 'nat';
  table: number;
  /** selector prefixes, null = all */
  src: string | null;
  srcLen: number;
  dst: string | null;
  dstLen: number;
  iif: string | null;
  oif: string | null;
  fwmark: number | null;
  fwmask: number | null;
  tos: number;
  invert: boolean;
  protocol: string | number;
  /** action goto: the priority evaluation jumps to */
  gotoTarget?: number;
  /** selectors of newer kernels: uid range, IP protocol, port ranges (inclusive) */
  uidRange?: [number, number];
  ipproto?: number;
  sport?: [number, number];
  dport?: [number, number];
  /** suppress_prefixlength: a result with a prefix this short or shorter is ignored */
  suppressPrefixlen?: number;
}

export type NeighState = 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'NOARP' | 'PERMANENT';

export interface Neighbour {
  family: AddrFamily;
  ifindex: number;
  dst: string;
  lladdr: string | null;
  state: NeighState;
  /** router flag (IPv6) */
  router: boolean;
  /** simulated ms of the last state change / confirmation */
  updated: number;
  /** last time it was used */
  used: number;
  /** probes sent while INCOMPLETE */
  probes: number;
}

// ---------------------------------------------------------------- netfilter

export interface RuleMatch {
  /** module name: 'tcp' | 'udp' | 'icmp' | 'comment' | 'statistic' | 'conntrack' | 'state' | 'mark' | 'addrtype' | 'multiport' ... */
  name: string;
  /** option -> value, in the order given (e.g. { dport: '80' }, { comment: 'x' }) */
  options: Record<string, string>;
  invert?: Record<string, boolean>;
}

export interface Rule {
  protocol: string | null; // 'tcp' | 'udp' | 'icmp' | 'all' | number as string
  protocolInvert: boolean;
  source: string | null; // CIDR text as given, canonicalised
  sourceInvert: boolean;
  destination: string | null;
  destinationInvert: boolean;
  inIface: string | null;
  inIfaceInvert: boolean;
  outIface: string | null;
  outIfaceInvert: boolean;
  fragment: boolean | null;
  matches: RuleMatch[];
  /** ACCEPT DROP REJECT LOG MASQUERADE SNAT DNAT MARK RETURN, a user chain name, or null (no target) */
  target: string | null;
  /** target options, e.g. { 'to-destination': '192.168.15.2:80' } */
  targetOptions: Record<string, string>;
  /** -g (goto) rather than -j */
  goto: boolean;
  packets: number;
  bytes: number;
}

export interface Chain {
  name: string;
  builtin: boolean;
  /** built-in chains only */
  policy: 'ACCEPT' | 'DROP' | null;
  rules: Rule[];
  packets: number;
  bytes: number;
  /** iptables-nft: a base chain counts the packets reaching its policy once -Z or -P gave it counters */
  policyCounters?: boolean;
  /** a base chain renamed with -E (nft allows it) keeps its hook; iptables then calls the table incompatible */
  hook?: string;
}

export interface NfTable {
  name: 'filter' | 'nat' | 'mangle' | 'raw' | 'security';
  /** chain names in creation order (built-ins first) */
  chains: Chain[];
  /** iptables-nft only creates a table's built-in chains on first use */
  initialised: boolean;
}

export interface ConntrackEntry {
  id: number;
  protocol: 'tcp' | 'udp' | 'icmp';
  /** original direction tuple */
  orig: { src: string; dst: string; sport: number; dport: number };
  /** reply direction tuple (after NAT) */
  reply: { src: string; dst: string; sport: number; dport: number };
  state: string; // ESTABLISHED, SYN_SENT, UNREPLIED...
  expires: number; // simulated ms
  mark: number;
  /** IPS_ASSURED of a TCP connection (set when it reaches ESTABLISHED; UDP's is the ASSURED state) */
  assured?: boolean;
  /** when the entry was created (UDP: traffic 2 s later makes a stream) */
  created?: number;
  /** IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE: the namespace's nat hooks saw the first packet */
  natDone?: boolean;
  /** a packet of the connection waits in a neighbour queue until then (the kernel counts it in `use`) */
  heldUntil?: number;
}

export interface Netfilter {
  tables: Record<string, NfTable>;
  /** ip6tables' tables (the same model for IPv6 packets); absent until ip6tables first wrote */
  tables6?: Record<string, NfTable>;
  conntrack: ConntrackEntry[];
  nextConntrackId: number;
}

// ---------------------------------------------------------------- sockets

export type SockProto = 'tcp' | 'udp' | 'raw';

export interface Socket {
  id: number;
  proto: SockProto;
  /** 4, 6, or 46 (an IPv6 socket that also accepts IPv4: netstat prints tcp6, ss prints *) */
  family: 4 | 6 | 46;
  localAddr: string;
  localPort: number;
  remoteAddr: string;
  remotePort: number;
  state: 'LISTEN' | 'ESTABLISHED' | 'SYN_SENT' | 'SYN_RECV' | 'TIME_WAIT' | 'CLOSE_WAIT' | 'UNCONN' | 'CLOSE' | 'FIN_WAIT1' | 'FIN_WAIT2' | 'LAST_ACK' | 'CLOSING';
  pid: number | null;
  fd: number | null;
  backlog: number;
  recvQ: number;
  sendQ: number;
  /** creation order */
  seq: number;
  /** HTTP-serving socket: id of an HttpServer config on the process */
  service: string | null;
  /** the other end of a TCP connection (sockets.ts) */
  peer?: { ns: NsId; id: number } | null;
  /** simulated time a TIME_WAIT / orphaned FIN_WAIT2 socket disappears */
  expires?: number | null;
  /** SO_REUSEADDR */
  reuseAddr?: boolean;
  /** SO_BINDTODEVICE: the interface name the socket is bound to (ss prints ADDR%IFNAME) */
  boundDev?: string;
}

export interface Process {
  pid: number;
  /** kernel comm, at most 15 chars */
  comm: string;
  /** full argv */
  argv: string[];
  ns: NsId;
  nextFd: number;
  /** descriptors held by other things than sockets (stdio, inherited ones); default [0, 1, 2] */
  heldFds?: number[];
  /** what the process serves, when it is a simulated server */
  role: ProcessRole | null;
  /** simulated ms it started (ps STIME / START); absent: before the simulation */
  started?: number;
  /** parent pid (ps PPID); absent: 1 (started by the init system) */
  ppid?: number;
}

export type ProcessRole =
  | { kind: 'dns'; config: DnsServerConfig }
  | { kind: 'http'; config: HttpServerConfig }
  | { kind: 'daemon' }
  /** a program whose requests a handler registered as `app:<app>` answers (registerTcpService / registerUdpService); `data` is its plain-JSON configuration */
  | { kind: 'app'; app: string; data: Record<string, unknown> };

// ---------------------------------------------------------------- DNS

export interface DnsRecord {
  name: string; // FQDN, lower-case, no trailing dot
  type: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'NS' | 'PTR' | 'SOA' | 'SRV';
  ttl: number;
  /** rdata text as dig prints it (e.g. "10.0.0.5", "mail.example.com.", "\"v=spf1\"") */
  data: string;
}

export interface DnsServerConfig {
  /** dnsmasq-like: which domains are local (answered authoritatively, NXDOMAIN when unknown) */
  localDomains: string[];
  records: DnsRecord[];
  /** upstream forwarders (addresses) for names outside localDomains; empty = REFUSED */
  forwarders: string[];
  /** serve /etc/hosts of its host too (dnsmasq default) */
  readHosts: boolean;
  /** software flavour, affects flags/EDE printing: 'dnsmasq' | 'bind' | 'coredns' */
  flavour: string;
  /** addresses its sockets are bound to ([] = the wildcard addresses) */
  listen?: string[];
  /** port (53) */
  port?: number;
  /** TTL of locally configured answers (dnsmasq --local-ttl, default 0) */
  localTtl?: number;
  /** dnsmasq --address=/domain/[addr]: a literal answer (or NXDOMAIN when addr is null) for a domain and its subdomains */
  addressRules?: { domain: string; addr: string | null }[];
  /** dnsmasq --domain-needed: plain names are never forwarded */
  domainNeeded?: boolean;
  /** dnsmasq --bogus-priv: reverse lookups of private ranges not found locally are NXDOMAIN */
  bogusPriv?: boolean;
  /** dnsmasq --local=// : unqualified names (no dot) are answered from local data only, never forwarded */
  localUnqualified?: boolean;
  /** CoreDNS: the Corefile's server blocks (src/k8s/net/coredns.ts parses it); absent = kubeadm's Corefile */
  corefile?: CoreDnsBlock[];
  /** CoreDNS's reload plugin: the SHA512 of the Corefile it runs, its interval, a change seen and when it is due */
  reload?: { sha: string; intervalMs: number; pendingSha?: string; dueAt?: number };
}

/** One server block of a Corefile, the plugins the model runs (in CoreDNS's plugin order: rewrite, hosts, kubernetes, forward). */
export interface CoreDnsBlock {
  /** zones without the trailing dot; '' is the root zone '.' */
  zones: string[];
  rewrites: { type: 'exact' | 'suffix' | 'prefix' | 'substring' | 'regex'; from: string; to: string; stop: boolean }[];
  hosts: { entries: { ip: string; names: string[] }[]; ttl: number; fallthrough: boolean } | null;
  /** the kubernetes plugin's zones, null without it */
  kubernetes: string[] | null;
  kubernetesTtl: number;
  /** forward FROM TO...: the targets as addresses (/etc/resolv.conf already read) */
  forward: { from: string; to: string[] } | null;
  /** the errors plugin is in the block: a plugin's error is logged (`[ERROR] plugin/errors: 2 NAME. TYPE: ...`) */
  errors?: boolean;
}

// ---------------------------------------------------------------- HTTP

export interface HttpServerConfig {
  /** 'static' answers body; 'proxy' round-robins to upstreams */
  mode: 'static' | 'proxy';
  body: string;
  status: number;
  headers: Record<string, string>;
  upstreams: string[]; // "10.0.0.2:8080"
  nextUpstream: number;
  serverName: string; // Server: header, e.g. "nginx/1.22.1"
}

// ---------------------------------------------------------------- namespaces, hosts, world

export interface Netns {
  id: NsId;
  host: HostId;
  /** name in /run/netns, null for a host's root namespace */
  name: string | null;
  /** creation order within the host, for `ip netns list` (newest first) */
  created: number;
  links: Link[]; // sorted by ifindex
  nextIfindex: number;
  addrs: Address[];
  routes: Route[];
  neigh: Neighbour[];
  sysctl: Record<string, string>;
  netfilter: Netfilter;
  sockets: Socket[];
  /** policy routing rules (ip rule), both families */
  rules: FibRule[];
  /** FIB tables that exist ("4:255", "6:100"): IPv4 tables appear on first insert and stay */
  fibTables: string[];
  /** netns ids this namespace has assigned to peers: key NsId -> id (`ip netns list` (id: N), link-netnsid N) */
  nsids: Record<NsId, number>;
  /** learned path MTUs (FIB nexthop exceptions from ICMP "frag needed"): `ip route get` shows `cache expires Ns mtu M` */
  pmtu?: { dst: string; mtu: number; expires: number }[];
  /** ICMP rate limiting per destination (inet_peer rate_tokens / rate_last, ms); entries with a full bucket are dropped */
  icmpPeers?: Record<string, { tokens: number; last: number }>;
}

export interface FileNode {
  type: 'file' | 'dir' | 'symlink';
  content?: string;
  target?: string;
  mode: number;
  mtime: number; // simulated ms
}

export interface Host {
  id: HostId;
  hostname: string;
  rootNs: NsId;
  /** named namespaces: name -> NsId */
  netns: Record<string, NsId>;
  /** the host's filesystem (text files only) */
  files: Record<string, FileNode>;
  processes: Process[];
  nextPid: number;
  /** systemd units stopped by `systemctl stop` (systemd.ts): when, and the pid their main process had */
  unitsStopped?: Record<string, { at: number; pid: number }>;
}

/** A switch or cable that joins host NICs (ether links) in different hosts. */
export interface Segment {
  id: string;
  /** 'switch' learns MACs; 'cable' joins exactly two ends */
  kind: 'switch' | 'cable';
  ports: LinkRef[];
  fdb: { mac: string; port: number; updated: number }[];
}

export interface WorldState {
  version: 1;
  seed: number;
  /** simulated clock, ms since boot */
  clock: number;
  /** PRNG state (mulberry32 / xorshift), advanced deterministically */
  rng: number;
  hosts: Record<HostId, Host>;
  namespaces: Record<NsId, Netns>;
  segments: Record<string, Segment>;
  nextNsSerial: number;
  nextSocketId: number;
  /** world-wide counter for creation order */
  serial: number;
  /** the Kubernetes cluster a k8s scenario's hosts belong to (kubectl reads it) */
  cluster?: import('./k8s').K8sCluster;
  /**
   * The live Kubernetes cluster (API objects, controllers' and kubelets'
   * runtime state) of a cluster scenario. Its shape belongs to src/k8s
   * (ClusterState in src/k8s/api/store.ts); the kernel only carries it.
   */
  kube?: Record<string, unknown>;
}
