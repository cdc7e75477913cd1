// Network sysctls of a namespace, as /proc/sys/net shows them.
//
// Values live in Netns.sysctl (flat dotted keys, the text the kernel prints,
// numbers of a vector separated by tabs). A key that has never been written
// has its kernel default (from the catalogue below; per-interface keys take
// the namespace's current `default` value, as the kernel copies it when the
// device appears). This module owns:
//   - which keys exist (the catalogue + one conf/neigh directory per link),
//   - their modes (read-only, write-only, root-only),
//   - parsing and validation of written values (the kernel's proc_dointvec
//     rules: base-0 integers, whitespace separated vectors, min/max),
//   - the couplings the kernel applies on write (ip_forward is
//     conf.all.forwarding; writing it sets default and every device;
//     conf.all.disable_ipv6 and ipv6 forwarding propagate likewise),
//   - the /proc/sys path <-> key mapping (procSysRead/Write/List).
// Errors are KernelErrors with the errno the kernel's write(2)/open(2) gives.
import type { World } from './world';
import type { Netns, NsId } from './types';
import { KernelError } from './errors';
import { addrconfDown, addrconfUp } from './addr';

type Kind =
  | { t: 'int'; min?: number; max?: number; n?: number }
  | { t: 'str'; choices?: string[]; restricted?: string[] }
  | { t: 'fixed' };

interface KeyDef {
  /** default value (vectors tab-separated) */
  v: string;
  /** file mode: 0o644 default, 0o444 read-only, 0o200 write-only, 0o600 root-only */
  mode?: number;
  kind?: Kind;
  /** reading fails with this errno (stable_secret before it is set: EIO) */
  readErr?: 'EIO';
}

const INT: Kind = { t: 'int' };
const U8: Kind = { t: 'int', min: 0, max: 255 };
const RO = 0o444;

function d(v: string | number, kind: Kind = INT, mode?: number): KeyDef {
  return mode === undefined ? { v: String(v), kind } : { v: String(v), kind, mode };
}

// ------------------------------------------------------------------ catalogue
// Keys of a non-initial network namespace (the corpus's "host" is itself a
// namespace made by unshare), kernel 6.18 with br_netfilter and conntrack.
// Keys are relative to "net.".

const GLOBAL: Record<string, KeyDef> = {
  'bridge.bridge-nf-call-arptables': d(1),
  'bridge.bridge-nf-call-ip6tables': d(1),
  'bridge.bridge-nf-call-iptables': d(1),
  'bridge.bridge-nf-filter-pppoe-tagged': d(0),
  'bridge.bridge-nf-filter-vlan-tagged': d(0),
  'bridge.bridge-nf-pass-vlan-input-dev': d(0),

  'core.optmem_max': d(131072),
  'core.rmem_default': d(212992, { t: 'int', min: 0 }),
  'core.rmem_max': d(4194304, { t: 'int', min: 0 }),
  // a CPU bitmap (2 CPUs): 0..3 ("ff" is EOVERFLOW on Linux, EINVAL here)
  'core.rps_default_mask': d(0, { t: 'int', min: 0, max: 3 }),
  'core.somaxconn': d(4096, { t: 'int', min: 0 }),
  'core.tstamp_allow_data': d(1, { t: 'int', min: 0, max: 1 }),
  'core.txrehash': d(1, { t: 'int', min: 0, max: 1 }),
  'core.wmem_default': d(212992, { t: 'int', min: 0 }),
  'core.wmem_max': d(4194304, { t: 'int', min: 0 }),
  'core.xfrm_acq_expires': d(30),
  'core.xfrm_aevent_etime': d(10),
  'core.xfrm_aevent_rseqth': d(2),
  'core.xfrm_larval_drop': d(1),

  'ipv4.fib_multipath_hash_fields': d(7),
  'ipv4.fib_multipath_hash_policy': d(0, { t: 'int', min: 0, max: 3 }),
  'ipv4.fib_multipath_hash_seed': d(0),
  'ipv4.fib_multipath_use_neigh': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv4.fib_notify_on_flag_change': d(0, { t: 'int', min: 0, max: 2 }),
  'ipv4.fwmark_reflect': d(0, U8),
  'ipv4.icmp_echo_enable_probe': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv4.icmp_echo_ignore_all': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv4.icmp_echo_ignore_broadcasts': d(1, { t: 'int', min: 0, max: 1 }),
  'ipv4.icmp_errors_use_inbound_ifaddr': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv4.icmp_ignore_bogus_error_responses': d(1, { t: 'int', min: 0, max: 1 }),
  'ipv4.icmp_msgs_burst': d(50, { t: 'int', min: 0 }),
  'ipv4.icmp_msgs_per_sec': d(1000, { t: 'int', min: 0 }),
  'ipv4.icmp_ratelimit': d(1000),
  'ipv4.icmp_ratemask': d(6168),
  'ipv4.igmp_link_local_mcast_reports': d(1, U8),
  'ipv4.igmp_max_memberships': d(20),
  'ipv4.igmp_max_msf': d(10),
  'ipv4.igmp_qrv': d(2, { t: 'int', min: 1 }),
  'ipv4.ip_autobind_reuse': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv4.ip_default_ttl': d(64, { t: 'int', min: 1, max: 255 }),
  'ipv4.ip_dynaddr': d(0),
  'ipv4.ip_early_demux': d(1, U8),
  'ipv4.ip_forward': d(0),
  'ipv4.ip_forward_update_priority': d(1, { t: 'int', min: 0, max: 1 }),
  'ipv4.ip_forward_use_pmtu': d(0, U8),
  'ipv4.ip_local_port_range': d('32768\t60999', { t: 'int', min: 1, max: 65535, n: 2 }),
  'ipv4.ip_local_reserved_ports': { v: '', kind: { t: 'str' } },
  'ipv4.ip_no_pmtu_disc': d(0, U8),
  'ipv4.ip_nonlocal_bind': d(0, U8),
  'ipv4.ip_unprivileged_port_start': d(1024, { t: 'int', min: 0, max: 65535 }),
  'ipv4.ipfrag_high_thresh': d(4194304, { t: 'int', min: 0 }),
  'ipv4.ipfrag_low_thresh': d(3145728, { t: 'int', min: 0 }),
  'ipv4.ipfrag_max_dist': d(64, { t: 'int', min: 0 }),
  'ipv4.ipfrag_time': d(30),
  'ipv4.nexthop_compat_mode': d(1, { t: 'int', min: 0, max: 1 }),
  'ipv4.ping_group_range': d('1\t0', { t: 'int', min: 0, max: 4294967294, n: 2 }),
  'ipv4.raw_l3mdev_accept': d(1, { t: 'int', min: 0, max: 1 }),
  'ipv4.route.flush': { v: '', mode: 0o200, kind: INT },
  'ipv4.route.min_adv_mss': d(256),
  'ipv4.route.min_pmtu': d(552, { t: 'int', min: 68 }),
  'ipv4.route.mtu_expires': d(600),
  'ipv4.tcp_abort_on_overflow': d(0, U8),
  'ipv4.tcp_adv_win_scale': d(1, { t: 'int', min: -31, max: 31 }),
  'ipv4.tcp_allowed_congestion_control': { v: 'reno bbr', kind: { t: 'str' } },
  'ipv4.tcp_app_win': d(31, { t: 'int', min: 0, max: 31 }),
  'ipv4.tcp_available_congestion_control': { v: 'reno bbr cubic', mode: RO, kind: { t: 'str' } },
  'ipv4.tcp_autocorking': d(1, { t: 'int', min: 0, max: 1 }),
  'ipv4.tcp_backlog_ack_defer': d(1, { t: 'int', min: 0, max: 1 }),
  'ipv4.tcp_base_mss': d(1024),
  'ipv4.tcp_challenge_ack_limit': d(2147483647),
  'ipv4.tcp_child_ehash_entries': d(0, { t: 'int', min: 0, max: 16777216 }),
  'ipv4.tcp_comp_sack_delay_ns': d(1000000),
  'ipv4.tcp_comp_sack_nr': d(44, U8),
  'ipv4.tcp_comp_sack_slack_ns': d(100000),
  'ipv4.tcp_congestion_control': { v: 'bbr', kind: { t: 'str', choices: ['reno', 'bbr', 'cubic'], restricted: ['cubic'] } },
  'ipv4.tcp_dsack': d(1, U8),
  'ipv4.tcp_early_demux': d(1, U8),
  'ipv4.tcp_early_retrans': d(3, { t: 'int', min: 0, max: 3 }),
  'ipv4.tcp_ecn': d(2, { t: 'int', min: 0, max: 5 }),
  'ipv4.tcp_ecn_fallback': d(1, { t: 'int', min: 0, max: 1 }),
  'ipv4.tcp_ecn_option': d(2, { t: 'int', min: 0, max: 2 }),
  'ipv4.tcp_ecn_option_beacon': d(3, { t: 'int', min: 0, max: 255 }),
  'ipv4.tcp_ehash_entries': { v: '-262144', mode: RO, kind: INT },
  'ipv4.tcp_fack': d(0),
  'ipv4.tcp_fastopen': d(1),
  'ipv4.tcp_fastopen_blackhole_timeout_sec': d(0, { t: 'int', min: 0 }),
  'ipv4.tcp_fastopen_key': { v: '00000000-00000000-00000000-00000000', mode: 0o600, kind: { t: 'str' } },
  'ipv4.tcp_fin_timeout': d(60),
  'ipv4.tcp_frto': d(2, U8),
  'ipv4.tcp_fwmark_accept': d(0, U8),
  'ipv4.tcp_invalid_ratelimit': d(500),
  'ipv4.tcp_keepalive_intvl': d(75, { t: 'int', min: 1 }),
  'ipv4.tcp_keepalive_probes': d(9, U8),
  'ipv4.tcp_keepalive_time': d(7200, { t: 'int', min: 1 }),
  'ipv4.tcp_l3mdev_accept': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv4.tcp_limit_output_bytes': d(4194304),
  'ipv4.tcp_max_reordering': d(300),
  'ipv4.tcp_max_syn_backlog': d(2048),
  'ipv4.tcp_max_tw_buckets': d(131072),
  'ipv4.tcp_migrate_req': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv4.tcp_min_rtt_wlen': d(300, { t: 'int', min: 0, max: 86400 }),
  'ipv4.tcp_min_snd_mss': d(48, { t: 'int', min: 48, max: 65495 }),
  'ipv4.tcp_min_tso_segs': d(2, { t: 'int', min: 1, max: 255 }),
  'ipv4.tcp_moderate_rcvbuf': d(1, U8),
  'ipv4.tcp_mtu_probe_floor': d(48, { t: 'int', min: 48, max: 65495 }),
  'ipv4.tcp_mtu_probing': d(0, { t: 'int', min: 0, max: 2 }),
  'ipv4.tcp_no_metrics_save': d(0, U8),
  'ipv4.tcp_no_ssthresh_metrics_save': d(1, { t: 'int', min: 0, max: 1 }),
  'ipv4.tcp_notsent_lowat': d(4294967295, { t: 'int', min: 0, max: 4294967295 }),
  'ipv4.tcp_orphan_retries': d(0, U8),
  'ipv4.tcp_pacing_ca_ratio': d(120, { t: 'int', min: 0, max: 1000 }),
  'ipv4.tcp_pacing_ss_ratio': d(200, { t: 'int', min: 0, max: 1000 }),
  'ipv4.tcp_pingpong_thresh': d(1, { t: 'int', min: 1, max: 255 }),
  'ipv4.tcp_plb_cong_thresh': d(128, { t: 'int', min: 0, max: 256 }),
  'ipv4.tcp_plb_enabled': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv4.tcp_plb_idle_rehash_rounds': d(3, { t: 'int', min: 0, max: 31 }),
  'ipv4.tcp_plb_rehash_rounds': d(12, { t: 'int', min: 0, max: 31 }),
  'ipv4.tcp_plb_suspend_rto_sec': d(60),
  'ipv4.tcp_probe_interval': d(600),
  'ipv4.tcp_probe_threshold': d(8),
  'ipv4.tcp_recovery': d(1),
  'ipv4.tcp_reflect_tos': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv4.tcp_reordering': d(3),
  'ipv4.tcp_retrans_collapse': d(1, U8),
  'ipv4.tcp_retries1': d(3, { t: 'int', min: 0, max: 255 }),
  'ipv4.tcp_retries2': d(15, U8),
  'ipv4.tcp_rfc1337': d(0, U8),
  'ipv4.tcp_rmem': d('4096\t131072\t33554432', { t: 'int', min: 1, n: 3 }),
  'ipv4.tcp_rto_max_ms': d(120000, { t: 'int', min: 1000, max: 120000 }),
  'ipv4.tcp_rto_min_us': d(200000, { t: 'int', min: 1 }),
  'ipv4.tcp_sack': d(1, U8),
  'ipv4.tcp_shrink_window': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv4.tcp_slow_start_after_idle': d(1, U8),
  'ipv4.tcp_stdurg': d(0, U8),
  'ipv4.tcp_syn_linear_timeouts': d(4, { t: 'int', min: 0, max: 255 }),
  'ipv4.tcp_syn_retries': d(6, { t: 'int', min: 1, max: 127 }),
  'ipv4.tcp_synack_retries': d(5, U8),
  'ipv4.tcp_syncookies': d(1, { t: 'int', min: 0, max: 2 }),
  'ipv4.tcp_thin_linear_timeouts': d(0, U8),
  'ipv4.tcp_timestamps': d(1, U8),
  'ipv4.tcp_tso_rtt_log': d(9, { t: 'int', min: 0, max: 255 }),
  'ipv4.tcp_tso_win_divisor': d(3, U8),
  'ipv4.tcp_tw_reuse': d(2, { t: 'int', min: 0, max: 2 }),
  'ipv4.tcp_tw_reuse_delay': d(1000, { t: 'int', min: 1, max: 1000 }),
  'ipv4.tcp_window_scaling': d(1, U8),
  'ipv4.tcp_wmem': d('4096\t16384\t4194304', { t: 'int', min: 1, n: 3 }),
  'ipv4.tcp_workaround_signed_windows': d(0, U8),
  'ipv4.udp_child_hash_entries': d(0, { t: 'int', min: 0, max: 67108864 }),
  'ipv4.udp_early_demux': d(1, U8),
  'ipv4.udp_hash_entries': { v: '-16384', mode: RO, kind: INT },
  'ipv4.udp_l3mdev_accept': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv4.udp_rmem_min': d(4096, { t: 'int', min: 4096 }),
  'ipv4.udp_wmem_min': d(4096, { t: 'int', min: 4096 }),
  'ipv4.xfrm4_gc_thresh': d(32768),

  'ipv6.anycast_src_echo_reply': d(0, U8),
  'ipv6.auto_flowlabels': d(1, { t: 'int', min: 0, max: 3 }),
  'ipv6.bindv6only': d(0, U8),
  'ipv6.fib_multipath_hash_fields': d(7),
  'ipv6.fib_multipath_hash_policy': d(0, { t: 'int', min: 0, max: 3 }),
  'ipv6.fib_notify_on_flag_change': d(0, { t: 'int', min: 0, max: 2 }),
  'ipv6.flowlabel_consistency': d(1, U8),
  'ipv6.flowlabel_reflect': d(0, { t: 'int', min: 0, max: 7 }),
  'ipv6.flowlabel_state_ranges': d(0, U8),
  'ipv6.fwmark_reflect': d(0, U8),
  'ipv6.icmp.echo_ignore_all': d(0, U8),
  'ipv6.icmp.echo_ignore_anycast': d(0, U8),
  'ipv6.icmp.echo_ignore_multicast': d(0, U8),
  'ipv6.icmp.error_anycast_as_unicast': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv6.icmp.ratelimit': d(100),
  'ipv6.icmp.ratemask': { v: '0-1,3-127', kind: { t: 'str' } },
  'ipv6.idgen_delay': d(1),
  'ipv6.idgen_retries': d(3),
  'ipv6.ioam6_id': d(16777215),
  'ipv6.ioam6_id_wide': d('72057594037927935'),
  'ipv6.ip6frag_high_thresh': d(4194304),
  'ipv6.ip6frag_low_thresh': d(3145728),
  'ipv6.ip6frag_time': d(60),
  'ipv6.ip_nonlocal_bind': d(0, U8),
  'ipv6.max_dst_opts_length': d(2147483647),
  'ipv6.max_dst_opts_number': d(8),
  'ipv6.max_hbh_length': d(2147483647),
  'ipv6.max_hbh_opts_number': d(8),
  'ipv6.route.flush': { v: '', mode: 0o200, kind: INT },
  'ipv6.route.gc_elasticity': d(9),
  'ipv6.route.gc_interval': d(30),
  'ipv6.route.gc_min_interval': d(0),
  'ipv6.route.gc_min_interval_ms': d(500),
  'ipv6.route.gc_thresh': d(1024),
  'ipv6.route.gc_timeout': d(60),
  'ipv6.route.max_size': d(2147483647),
  'ipv6.route.min_adv_mss': d(1220),
  'ipv6.route.mtu_expires': d(600),
  'ipv6.route.skip_notify_on_dev_down': d(0, { t: 'int', min: 0, max: 1 }),
  'ipv6.seg6_flowlabel': d(0),
  'ipv6.xfrm6_gc_thresh': d(32768),

  'mptcp.add_addr_timeout': d(120, { t: 'int', min: 0 }),
  'mptcp.allow_join_initial_addr_port': d(1, { t: 'int', min: 0, max: 1 }),
  'mptcp.available_path_managers': { v: 'kernel userspace', mode: RO, kind: { t: 'str' } },
  'mptcp.available_schedulers': { v: 'default', mode: RO, kind: { t: 'str' } },
  'mptcp.blackhole_timeout': d(3600, { t: 'int', min: 0 }),
  'mptcp.checksum_enabled': d(0, { t: 'int', min: 0, max: 1 }),
  'mptcp.close_timeout': d(60, { t: 'int', min: 0 }),
  'mptcp.enabled': d(1, { t: 'int', min: 0, max: 1 }),
  'mptcp.path_manager': { v: 'kernel', kind: { t: 'str', choices: ['kernel', 'userspace'] } },
  'mptcp.pm_type': d(0, { t: 'int', min: 0, max: 1 }),
  'mptcp.scheduler': { v: 'default', kind: { t: 'str', choices: ['default'] } },
  'mptcp.stale_loss_cnt': d(4, { t: 'int', min: 0 }),
  'mptcp.syn_retrans_before_tcp_fallback': d(2, U8),

  'netfilter.nf_conntrack_acct': d(0, U8),
  'netfilter.nf_conntrack_buckets': { v: '262144', mode: RO, kind: INT },
  'netfilter.nf_conntrack_checksum': d(1, U8),
  'netfilter.nf_conntrack_count': { v: '0', mode: RO, kind: INT },
  'netfilter.nf_conntrack_events': d(2, { t: 'int', min: 0, max: 2 }),
  'netfilter.nf_conntrack_expect_max': { v: '4096', mode: RO, kind: INT },
  'netfilter.nf_conntrack_frag6_high_thresh': d(4194304),
  'netfilter.nf_conntrack_frag6_low_thresh': d(3145728),
  'netfilter.nf_conntrack_frag6_timeout': d(60),
  'netfilter.nf_conntrack_generic_timeout': d(600),
  'netfilter.nf_conntrack_gre_timeout': d(30),
  'netfilter.nf_conntrack_gre_timeout_stream': d(180),
  'netfilter.nf_conntrack_icmp_timeout': d(30),
  'netfilter.nf_conntrack_icmpv6_timeout': d(30),
  'netfilter.nf_conntrack_log_invalid': d(0, U8),
  'netfilter.nf_conntrack_max': { v: '262144', mode: RO, kind: INT },
  'netfilter.nf_conntrack_tcp_be_liberal': d(0, { t: 'int', min: 0, max: 1 }),
  'netfilter.nf_conntrack_tcp_ignore_invalid_rst': d(0, { t: 'int', min: 0, max: 1 }),
  'netfilter.nf_conntrack_tcp_loose': d(1, { t: 'int', min: 0, max: 1 }),
  'netfilter.nf_conntrack_tcp_max_retrans': d(3, U8),
  'netfilter.nf_conntrack_tcp_timeout_close': d(10),
  'netfilter.nf_conntrack_tcp_timeout_close_wait': d(60),
  'netfilter.nf_conntrack_tcp_timeout_established': d(432000),
  'netfilter.nf_conntrack_tcp_timeout_fin_wait': d(120),
  'netfilter.nf_conntrack_tcp_timeout_last_ack': d(30),
  'netfilter.nf_conntrack_tcp_timeout_max_retrans': d(300),
  'netfilter.nf_conntrack_tcp_timeout_syn_recv': d(60),
  'netfilter.nf_conntrack_tcp_timeout_syn_sent': d(120),
  'netfilter.nf_conntrack_tcp_timeout_time_wait': d(120),
  'netfilter.nf_conntrack_tcp_timeout_unacknowledged': d(300),
  'netfilter.nf_conntrack_sctp_timeout_closed': d(10),
  'netfilter.nf_conntrack_sctp_timeout_cookie_echoed': d(3),
  'netfilter.nf_conntrack_sctp_timeout_cookie_wait': d(3),
  'netfilter.nf_conntrack_sctp_timeout_established': d(210),
  'netfilter.nf_conntrack_sctp_timeout_heartbeat_sent': d(30),
  'netfilter.nf_conntrack_sctp_timeout_shutdown_ack_sent': d(3),
  'netfilter.nf_conntrack_sctp_timeout_shutdown_recd': d(3),
  'netfilter.nf_conntrack_sctp_timeout_shutdown_sent': d(3),
  'netfilter.nf_conntrack_timestamp': d(0, U8),
  'netfilter.nf_conntrack_udp_timeout': d(30),
  'netfilter.nf_conntrack_udp_timeout_stream': d(120),
  'netfilter.nf_hooks_lwtunnel': d(0, { t: 'int', min: 0, max: 1 }),
  // nf_log_syslog is built in (CONFIG_NF_LOG_SYSLOG=y): every namespace has its loggers bound
  'netfilter.nf_log.0': { v: 'NONE', kind: { t: 'str' } },
  'netfilter.nf_log.1': { v: 'NONE', kind: { t: 'str' } },
  'netfilter.nf_log.10': { v: 'nf_log_ipv6', kind: { t: 'str' } },
  'netfilter.nf_log.2': { v: 'nf_log_ipv4', kind: { t: 'str' } },
  'netfilter.nf_log.3': { v: 'nf_log_arp', kind: { t: 'str' } },
  'netfilter.nf_log.4': { v: 'NONE', kind: { t: 'str' } },
  'netfilter.nf_log.5': { v: 'nf_log_netdev', kind: { t: 'str' } },
  'netfilter.nf_log.6': { v: 'NONE', kind: { t: 'str' } },
  'netfilter.nf_log.7': { v: 'nf_log_bridge', kind: { t: 'str' } },
  'netfilter.nf_log.8': { v: 'NONE', kind: { t: 'str' } },
  'netfilter.nf_log.9': { v: 'NONE', kind: { t: 'str' } },

  'unix.max_dgram_qlen': d(10),
};

/** net.ipv4.conf.{all,default,IFNAME}.* */
const IPV4_CONF: Record<string, KeyDef> = {
  accept_local: d(0),
  accept_redirects: d(1),
  accept_source_route: d(1),
  arp_accept: d(0),
  arp_announce: d(0),
  arp_evict_nocarrier: d(1),
  arp_filter: d(0),
  arp_ignore: d(0),
  arp_notify: d(0),
  bc_forwarding: d(0),
  bootp_relay: d(0),
  disable_policy: d(0),
  disable_xfrm: d(0),
  drop_gratuitous_arp: d(0),
  drop_unicast_in_l2_multicast: d(0),
  force_igmp_version: d(0),
  forwarding: d(0),
  igmpv2_unsolicited_report_interval: d(10000),
  igmpv3_unsolicited_report_interval: d(1000),
  ignore_routes_with_linkdown: d(0),
  log_martians: d(0),
  mc_forwarding: d(0, INT, RO),
  medium_id: d(0),
  promote_secondaries: d(0),
  proxy_arp: d(0),
  proxy_arp_pvlan: d(0),
  route_localnet: d(0),
  rp_filter: d(0),
  secure_redirects: d(1),
  send_redirects: d(1),
  shared_media: d(1),
  src_valid_mark: d(0),
  tag: d(0),
};

/** net.ipv6.conf.{all,default,IFNAME}.* */
const IPV6_CONF: Record<string, KeyDef> = {
  accept_dad: d(1),
  accept_ra: d(1),
  accept_ra_defrtr: d(1),
  accept_ra_from_local: d(0),
  accept_ra_min_hop_limit: d(1),
  accept_ra_min_lft: d(0),
  accept_ra_mtu: d(1),
  accept_ra_pinfo: d(1),
  accept_ra_rt_info_max_plen: d(0),
  accept_ra_rt_info_min_plen: d(0),
  accept_ra_rtr_pref: d(1),
  accept_redirects: d(1),
  accept_source_route: d(0),
  accept_untracked_na: d(0, { t: 'int', min: 0, max: 2 }),
  addr_gen_mode: d(0, { t: 'int', min: 0, max: 3 }),
  autoconf: d(1),
  dad_transmits: d(1),
  disable_ipv6: d(0),
  disable_policy: d(0),
  drop_unicast_in_l2_multicast: d(0),
  drop_unsolicited_na: d(0),
  enhanced_dad: d(1),
  force_forwarding: d(0, { t: 'int', min: 0, max: 1 }),
  force_mld_version: d(0),
  force_tllao: d(0),
  forwarding: d(0),
  hop_limit: d(64, { t: 'int', min: 1, max: 255 }),
  ignore_routes_with_linkdown: d(0),
  ioam6_enabled: d(0, U8),
  ioam6_id: d(65535, { t: 'int', min: 0, max: 65535 }),
  ioam6_id_wide: d(4294967295, { t: 'int', min: 0, max: 4294967295 }),
  keep_addr_on_down: d(0),
  max_addresses: d(16),
  max_desync_factor: d(600),
  mc_forwarding: d(0, INT, RO),
  mldv1_unsolicited_report_interval: d(10000),
  mldv2_unsolicited_report_interval: d(1000),
  mtu: d(1280, { t: 'int', min: 1280 }),
  ndisc_evict_nocarrier: d(1, U8),
  ndisc_notify: d(0),
  ndisc_tclass: d(0, { t: 'int', min: 0, max: 255 }),
  optimistic_dad: d(0),
  proxy_ndp: d(0),
  ra_defrtr_metric: d(1024, { t: 'int', min: 1 }),
  ra_honor_pio_life: d(0, U8),
  ra_honor_pio_pflag: d(0, U8),
  regen_max_retry: d(3),
  regen_min_advance: d(2),
  router_probe_interval: d(60),
  router_solicitation_delay: d(1),
  router_solicitation_interval: d(4),
  router_solicitation_max_interval: d(3600),
  router_solicitations: d(-1, { t: 'int', min: -1 }),
  rpl_seg_enabled: d(0),
  seg6_enabled: d(0),
  seg6_require_hmac: d(0),
  stable_secret: { v: '', mode: 0o600, kind: { t: 'str' }, readErr: 'EIO' },
  suppress_frag_ndisc: d(1),
  temp_prefered_lft: d(86400),
  temp_valid_lft: d(604800),
  use_oif_addrs_only: d(0),
  use_optimistic: d(0),
  use_tempaddr: d(0),
};

/**
 * net.ipv4.neigh.IFNAME.* and net.ipv6.neigh.IFNAME.*. The `default` directory
 * (with the gc_* keys) is registered for the initial namespace only
 * (arp_init/ndisc_init), so a namespace has none.
 */
const NEIGH: Record<string, KeyDef> = {
  anycast_delay: d(100),
  app_solicit: d(0),
  base_reachable_time: d(30),
  base_reachable_time_ms: d(30000),
  delay_first_probe_time: d(5),
  gc_stale_time: d(60),
  interval_probe_time_ms: d(5000, { t: 'int', min: 1 }),
  locktime: d(100),
  mcast_resolicit: d(0),
  mcast_solicit: d(3),
  proxy_delay: d(80),
  proxy_qlen: d(64),
  retrans_time: d(100),
  retrans_time_ms: d(1000),
  ucast_solicit: d(3),
  unres_qlen: d(101),
  unres_qlen_bytes: d(212992),
};

/** Keys procps `sysctl -a` skips unless --deprecated. */
export const DEPRECATED_NAMES = new Set(['base_reachable_time', 'retrans_time']);

// ------------------------------------------------------------------ key model

interface Resolved {
  def: KeyDef;
  /** the device this key belongs to (for per-interface keys) */
  dev: string | null;
  /** conf/neigh family of a per-device key: 'ipv4.conf', 'ipv6.conf', 'ipv4.neigh', 'ipv6.neigh' */
  family: string | null;
  leaf: string;
}

function linkNames(ns: Netns): string[] {
  return ns.links.map((l) => l.name);
}

function hasLink(ns: Netns, name: string): boolean {
  return ns.links.some((l) => l.name === name);
}

/** Resolve a dotted key ("net.ipv4.ip_forward") to its definition, or null if no such file. */
function resolve(ns: Netns, key: string): Resolved | null {
  if (!key.startsWith('net.')) return null;
  const rel = key.slice(4);
  const g = GLOBAL[rel];
  if (g) return { def: g, dev: null, family: null, leaf: rel };
  const m = /^(ipv4|ipv6)\.(conf|neigh)\.([^.]+)\.([^.]+)$/.exec(rel);
  if (!m) return null;
  const [, fam, kind, dev, leaf] = m as unknown as [string, string, string, string, string];
  const family = `${fam}.${kind}`;
  if (kind === 'conf') {
    if (dev !== 'all' && dev !== 'default' && !hasLink(ns, dev)) return null;
    const table = fam === 'ipv4' ? IPV4_CONF : IPV6_CONF;
    const def = table[leaf];
    return def ? { def, dev, family, leaf } : null;
  }
  if (dev === 'all' || dev === 'default' || !hasLink(ns, dev)) return null;
  const def = NEIGH[leaf];
  return def ? { def, dev, family, leaf } : null;
}

/** Kernel default of a key when it has never been written. */
function defaultValue(world: World, ns: Netns, key: string, r: Resolved): string {
  if (key === 'net.netfilter.nf_conntrack_count') return String(ns.netfilter.conntrack.length);
  if (r.dev === null || r.dev === 'default') return r.def.v;
  if (r.dev === 'all') {
    if (r.family === 'ipv4.conf' && r.leaf === 'accept_source_route') return '0';
    return r.def.v;
  }
  // neighbour parameters: the table's defaults (no `default` directory in a namespace); nd_tbl's locktime is 0
  if (r.family === 'ipv6.neigh' && r.leaf === 'locktime') return '0';
  if (r.family === 'ipv4.neigh' || r.family === 'ipv6.neigh') return r.def.v;
  // a device: its own live values for a few, else the namespace's current `default`
  const link = ns.links.find((l) => l.name === r.dev)!;
  if (r.family === 'ipv6.conf') {
    if (r.leaf === 'mtu') return String(link.mtu);
    if (link.kind === 'loopback') {
      if (r.leaf === 'accept_dad' || r.leaf === 'use_tempaddr') return '-1';
    }
  }
  const dflt = key.replace(`.${r.dev}.`, '.default.');
  return readKey(world, ns, dflt);
}

function readKey(world: World, ns: Netns, key: string): string {
  const stored = ns.sysctl[key];
  if (stored !== undefined) return stored;
  const r = resolve(ns, key);
  return r ? defaultValue(world, ns, key, r) : '';
}

// ------------------------------------------------------------------ public API

export interface SysctlStat {
  type: 'file' | 'dir';
  mode: number;
}

/** Is `key` (dotted) a file, a directory, or nothing? Directories: "net", "net.ipv4", "net.ipv4.conf.eth0"... */
export function sysctlStat(world: World, nsId: NsId, key: string): SysctlStat | null {
  const ns = world.ns(nsId);
  if (key === '' ) return { type: 'dir', mode: 0o555 };
  const r = resolve(ns, key);
  if (r) return { type: 'file', mode: r.def.mode ?? 0o644 };
  return sysctlChildren(world, nsId, key) ? { type: 'dir', mode: 0o555 } : null;
}

/** Names directly below the directory `key` (dotted; '' is /proc/sys), or null if it is not a directory. */
export function sysctlChildren(world: World, nsId: NsId, key: string): string[] | null {
  const ns = world.ns(nsId);
  if (resolve(ns, key)) return null;
  const pre = key === '' ? '' : key + '.';
  const names = new Set<string>();
  for (const k of allKeys(world, ns)) {
    if (k.startsWith(pre)) names.add(k.slice(pre.length).split('.')[0]!);
  }
  return names.size > 0 ? sortNames([...names]) : null;
}

function sortNames(names: string[]): string[] {
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function allKeys(_world: World, ns: Netns): string[] {
  const keys: string[] = Object.keys(GLOBAL).map((k) => 'net.' + k);
  const devs = ['all', 'default', ...linkNames(ns)];
  for (const fam of ['ipv4', 'ipv6']) {
    const conf = fam === 'ipv4' ? IPV4_CONF : IPV6_CONF;
    for (const dev of devs) for (const leaf of Object.keys(conf)) keys.push(`net.${fam}.conf.${dev}.${leaf}`);
    for (const dev of linkNames(ns)) for (const leaf of Object.keys(NEIGH)) keys.push(`net.${fam}.neigh.${dev}.${leaf}`);
  }
  return keys;
}

/** Every key of the namespace, in the order `sysctl -a` walks /proc/sys (each directory level sorted by name). */
export function sysctlKeys(world: World, nsId: NsId, under = ''): string[] {
  const ns = world.ns(nsId);
  const pre = under === '' ? '' : under + '.';
  const keys = allKeys(world, ns).filter((k) => k.startsWith(pre));
  const split = new Map(keys.map((k) => [k, k.split('.')]));
  return keys.sort((a, b) => {
    const pa = split.get(a)!;
    const pb = split.get(b)!;
    const n = Math.min(pa.length, pb.length);
    for (let i = 0; i < n; i++) {
      if (pa[i] !== pb[i]) return pa[i]! < pb[i]! ? -1 : 1;
    }
    return pa.length - pb.length;
  });
}

/** The value of a key as the kernel prints it, without the trailing newline. Throws ENOENT, EACCES (write-only), EIO. */
export function sysctlGet(world: World, nsId: NsId, key: string): string {
  const ns = world.ns(nsId);
  const r = resolve(ns, key);
  if (!r) {
    if (sysctlChildren(world, nsId, key)) throw new KernelError('EISDIR');
    throw new KernelError('ENOENT');
  }
  const mode = r.def.mode ?? 0o644;
  if ((mode & 0o400) === 0) throw new KernelError('EACCES');
  const v = readKey(world, ns, key);
  if (r.def.readErr && v === '') throw new KernelError(r.def.readErr);
  return v;
}

/** Parse text written to an integer sysctl the way the kernel's proc_dointvec does. Returns null if invalid. */
export function parseIntVector(text: string, n: number): bigint[] | null {
  const out: bigint[] = [];
  let i = 0;
  const s = text;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
  while (out.length < n) {
    while (i < s.length && isSpace(s[i])) i++;
    if (i >= s.length) break;
    let neg = false;
    if (s[i] === '-') {
      neg = true;
      i++;
    }
    const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s.slice(i));
    if (!m) return null;
    i += m[0].length;
    if (i < s.length && !isSpace(s[i])) return null;
    let v = BigInt(m[0].startsWith('0x') || m[0].startsWith('0X') ? m[0] : m[0].length > 1 && m[0][0] === '0' ? '0o' + m[0].slice(1) : m[0]);
    if (neg) v = -v;
    out.push(v);
  }
  return out.length === 0 ? null : out;
}

/**
 * Accepted ranges of the integer keys, measured on the capture kernel (6.18)
 * by writing to /proc/sys in a fresh namespace: [min, max, keys]. Keys of a
 * conf/neigh directory are written FAMILY.KIND.*.LEAF. Per-interface ipv6 mtu
 * is further bounded by the link's MTU (sysctlSet).
 */
const MEASURED_RANGES: Array<[string, string, string[]]> = [
  ['-2147483648', '2147483647', [
    'bridge.bridge-nf-call-arptables', 'bridge.bridge-nf-call-ip6tables', 'bridge.bridge-nf-call-iptables',
    'bridge.bridge-nf-filter-pppoe-tagged', 'bridge.bridge-nf-filter-vlan-tagged',
    'bridge.bridge-nf-pass-vlan-input-dev', 'core.xfrm_acq_expires', 'core.xfrm_larval_drop',
    'ipv4.conf.*.accept_local', 'ipv4.conf.*.accept_redirects', 'ipv4.conf.*.accept_source_route',
    'ipv4.conf.*.arp_accept', 'ipv4.conf.*.arp_announce', 'ipv4.conf.*.arp_evict_nocarrier', 'ipv4.conf.*.arp_filter',
    'ipv4.conf.*.arp_ignore', 'ipv4.conf.*.arp_notify', 'ipv4.conf.*.bc_forwarding', 'ipv4.conf.*.bootp_relay',
    'ipv4.conf.*.disable_policy', 'ipv4.conf.*.disable_xfrm', 'ipv4.conf.*.drop_gratuitous_arp',
    'ipv4.conf.*.drop_unicast_in_l2_multicast', 'ipv4.conf.*.force_igmp_version', 'ipv4.conf.*.forwarding',
    'ipv4.conf.*.igmpv2_unsolicited_report_interval', 'ipv4.conf.*.igmpv3_unsolicited_report_interval',
    'ipv4.conf.*.ignore_routes_with_linkdown', 'ipv4.conf.*.log_martians', 'ipv4.conf.*.medium_id',
    'ipv4.conf.*.promote_secondaries', 'ipv4.conf.*.proxy_arp', 'ipv4.conf.*.proxy_arp_pvlan',
    'ipv4.conf.*.route_localnet', 'ipv4.conf.*.rp_filter', 'ipv4.conf.*.secure_redirects',
    'ipv4.conf.*.send_redirects', 'ipv4.conf.*.shared_media', 'ipv4.conf.*.src_valid_mark', 'ipv4.conf.*.tag',
    'ipv4.icmp_ratemask', 'ipv4.igmp_max_memberships', 'ipv4.igmp_max_msf', 'ipv4.ip_forward',
    'ipv4.route.min_adv_mss', 'ipv4.tcp_base_mss', 'ipv4.tcp_challenge_ack_limit', 'ipv4.tcp_fastopen',
    'ipv4.tcp_limit_output_bytes', 'ipv4.tcp_max_syn_backlog', 'ipv4.tcp_max_tw_buckets', 'ipv4.tcp_probe_threshold',
    'ipv4.xfrm4_gc_thresh', 'ipv6.conf.*.accept_dad', 'ipv6.conf.*.accept_ra', 'ipv6.conf.*.accept_ra_defrtr',
    'ipv6.conf.*.accept_ra_from_local', 'ipv6.conf.*.accept_ra_min_hop_limit', 'ipv6.conf.*.accept_ra_min_lft',
    'ipv6.conf.*.accept_ra_mtu', 'ipv6.conf.*.accept_ra_pinfo', 'ipv6.conf.*.accept_ra_rt_info_max_plen',
    'ipv6.conf.*.accept_ra_rt_info_min_plen', 'ipv6.conf.*.accept_ra_rtr_pref', 'ipv6.conf.*.accept_redirects',
    'ipv6.conf.*.accept_source_route', 'ipv6.conf.*.autoconf', 'ipv6.conf.*.dad_transmits',
    'ipv6.conf.*.disable_ipv6', 'ipv6.conf.*.disable_policy', 'ipv6.conf.*.drop_unicast_in_l2_multicast',
    'ipv6.conf.*.drop_unsolicited_na', 'ipv6.conf.*.enhanced_dad', 'ipv6.conf.*.force_mld_version',
    'ipv6.conf.*.force_tllao', 'ipv6.conf.*.forwarding', 'ipv6.conf.*.ignore_routes_with_linkdown',
    'ipv6.conf.*.keep_addr_on_down', 'ipv6.conf.*.max_addresses', 'ipv6.conf.*.max_desync_factor',
    'ipv6.conf.*.ndisc_notify', 'ipv6.conf.*.optimistic_dad', 'ipv6.conf.*.proxy_ndp', 'ipv6.conf.*.regen_max_retry',
    'ipv6.conf.*.regen_min_advance', 'ipv6.conf.*.seg6_enabled', 'ipv6.conf.*.seg6_require_hmac',
    'ipv6.conf.*.suppress_frag_ndisc', 'ipv6.conf.*.temp_prefered_lft', 'ipv6.conf.*.temp_valid_lft',
    'ipv6.conf.*.use_oif_addrs_only', 'ipv6.conf.*.use_optimistic', 'ipv6.conf.*.use_tempaddr', 'ipv6.idgen_retries',
    'ipv6.max_dst_opts_length', 'ipv6.max_dst_opts_number', 'ipv6.max_hbh_length', 'ipv6.max_hbh_opts_number',
    'ipv6.route.gc_elasticity', 'ipv6.route.gc_thresh', 'ipv6.route.max_size', 'ipv6.route.min_adv_mss',
    'ipv6.seg6_flowlabel', 'ipv6.xfrm6_gc_thresh', 'unix.max_dgram_qlen',
  ]],
  ['0', '255', [
    'ipv4.fwmark_reflect', 'ipv4.igmp_link_local_mcast_reports', 'ipv4.ip_dynaddr', 'ipv4.ip_early_demux',
    'ipv4.ip_forward_use_pmtu', 'ipv4.ip_no_pmtu_disc', 'ipv4.ip_nonlocal_bind', 'ipv4.tcp_abort_on_overflow',
    'ipv4.tcp_comp_sack_nr', 'ipv4.tcp_dsack', 'ipv4.tcp_early_demux', 'ipv4.tcp_fack', 'ipv4.tcp_frto',
    'ipv4.tcp_fwmark_accept', 'ipv4.tcp_keepalive_probes', 'ipv4.tcp_moderate_rcvbuf', 'ipv4.tcp_mtu_probing',
    'ipv4.tcp_no_metrics_save', 'ipv4.tcp_orphan_retries', 'ipv4.tcp_plb_suspend_rto_sec', 'ipv4.tcp_recovery',
    'ipv4.tcp_retrans_collapse', 'ipv4.tcp_retries1', 'ipv4.tcp_retries2', 'ipv4.tcp_rfc1337', 'ipv4.tcp_sack',
    'ipv4.tcp_slow_start_after_idle', 'ipv4.tcp_stdurg', 'ipv4.tcp_synack_retries', 'ipv4.tcp_syncookies',
    'ipv4.tcp_thin_linear_timeouts', 'ipv4.tcp_timestamps', 'ipv4.tcp_tso_rtt_log', 'ipv4.tcp_tso_win_divisor',
    'ipv4.tcp_window_scaling', 'ipv4.tcp_workaround_signed_windows', 'ipv4.udp_early_demux',
    'ipv6.anycast_src_echo_reply', 'ipv6.bindv6only', 'ipv6.conf.*.ndisc_tclass', 'ipv6.flowlabel_consistency',
    'ipv6.flowlabel_state_ranges', 'ipv6.fwmark_reflect', 'ipv6.icmp.echo_ignore_all',
    'ipv6.icmp.echo_ignore_anycast', 'ipv6.icmp.echo_ignore_multicast', 'ipv6.ip_nonlocal_bind',
    'mptcp.syn_retrans_before_tcp_fallback', 'netfilter.nf_conntrack_log_invalid',
    'netfilter.nf_conntrack_tcp_max_retrans',
  ]],
  ['-8589934', '8589934', [
    'ipv4.ipfrag_time', 'ipv4.neigh.*.delay_first_probe_time', 'ipv4.neigh.*.gc_stale_time', 'ipv4.route.mtu_expires',
    'ipv4.tcp_fin_timeout', 'ipv4.tcp_keepalive_intvl', 'ipv4.tcp_keepalive_time',
    'ipv6.conf.*.router_probe_interval', 'ipv6.conf.*.router_solicitation_delay',
    'ipv6.conf.*.router_solicitation_interval', 'ipv6.conf.*.router_solicitation_max_interval', 'ipv6.idgen_delay',
    'ipv6.ip6frag_time', 'ipv6.neigh.*.delay_first_probe_time', 'ipv6.neigh.*.gc_stale_time',
    'ipv6.route.gc_interval', 'ipv6.route.gc_min_interval', 'ipv6.route.gc_timeout', 'ipv6.route.mtu_expires',
    'mptcp.add_addr_timeout', 'mptcp.close_timeout', 'netfilter.nf_conntrack_frag6_timeout',
    'netfilter.nf_conntrack_generic_timeout', 'netfilter.nf_conntrack_gre_timeout',
    'netfilter.nf_conntrack_gre_timeout_stream', 'netfilter.nf_conntrack_icmp_timeout',
    'netfilter.nf_conntrack_icmpv6_timeout', 'netfilter.nf_conntrack_sctp_timeout_closed',
    'netfilter.nf_conntrack_sctp_timeout_cookie_echoed', 'netfilter.nf_conntrack_sctp_timeout_cookie_wait',
    'netfilter.nf_conntrack_sctp_timeout_established', 'netfilter.nf_conntrack_sctp_timeout_heartbeat_sent',
    'netfilter.nf_conntrack_sctp_timeout_shutdown_ack_sent', 'netfilter.nf_conntrack_sctp_timeout_shutdown_recd',
    'netfilter.nf_conntrack_sctp_timeout_shutdown_sent', 'netfilter.nf_conntrack_tcp_timeout_close',
    'netfilter.nf_conntrack_tcp_timeout_close_wait', 'netfilter.nf_conntrack_tcp_timeout_established',
    'netfilter.nf_conntrack_tcp_timeout_fin_wait', 'netfilter.nf_conntrack_tcp_timeout_last_ack',
    'netfilter.nf_conntrack_tcp_timeout_max_retrans', 'netfilter.nf_conntrack_tcp_timeout_syn_recv',
    'netfilter.nf_conntrack_tcp_timeout_syn_sent', 'netfilter.nf_conntrack_tcp_timeout_time_wait',
    'netfilter.nf_conntrack_tcp_timeout_unacknowledged', 'netfilter.nf_conntrack_udp_timeout',
    'netfilter.nf_conntrack_udp_timeout_stream',
  ]],
  ['0', '1', [
    'core.tstamp_allow_data', 'core.txrehash', 'ipv4.fib_multipath_use_neigh', 'ipv4.icmp_echo_enable_probe',
    'ipv4.icmp_echo_ignore_all', 'ipv4.icmp_echo_ignore_broadcasts', 'ipv4.icmp_errors_use_inbound_ifaddr',
    'ipv4.icmp_ignore_bogus_error_responses', 'ipv4.ip_autobind_reuse', 'ipv4.ip_forward_update_priority',
    'ipv4.nexthop_compat_mode', 'ipv4.raw_l3mdev_accept', 'ipv4.tcp_autocorking', 'ipv4.tcp_backlog_ack_defer',
    'ipv4.tcp_ecn_fallback', 'ipv4.tcp_l3mdev_accept', 'ipv4.tcp_migrate_req', 'ipv4.tcp_no_ssthresh_metrics_save',
    'ipv4.tcp_plb_enabled', 'ipv4.tcp_reflect_tos', 'ipv4.tcp_shrink_window', 'ipv4.udp_l3mdev_accept',
    'ipv6.conf.*.force_forwarding', 'ipv6.conf.*.ioam6_enabled', 'ipv6.conf.*.ndisc_evict_nocarrier',
    'ipv6.conf.*.ra_honor_pio_life', 'ipv6.conf.*.ra_honor_pio_pflag', 'ipv6.conf.*.rpl_seg_enabled',
    'ipv6.icmp.error_anycast_as_unicast', 'ipv6.route.skip_notify_on_dev_down', 'mptcp.allow_join_initial_addr_port',
    'mptcp.checksum_enabled', 'mptcp.enabled', 'mptcp.pm_type', 'netfilter.nf_conntrack_acct',
    'netfilter.nf_conntrack_checksum', 'netfilter.nf_conntrack_tcp_be_liberal',
    'netfilter.nf_conntrack_tcp_ignore_invalid_rst', 'netfilter.nf_conntrack_tcp_loose',
    'netfilter.nf_conntrack_timestamp',
  ]],
  ['0', '2147483647', [
    'core.optmem_max', 'core.somaxconn', 'ipv4.icmp_msgs_burst', 'ipv4.icmp_msgs_per_sec', 'ipv4.icmp_ratelimit',
    'ipv4.ipfrag_max_dist', 'ipv4.neigh.*.app_solicit', 'ipv4.neigh.*.base_reachable_time_ms',
    'ipv4.neigh.*.mcast_resolicit', 'ipv4.neigh.*.mcast_solicit', 'ipv4.neigh.*.proxy_qlen',
    'ipv4.neigh.*.retrans_time_ms', 'ipv4.neigh.*.ucast_solicit', 'ipv4.neigh.*.unres_qlen_bytes',
    'ipv4.tcp_fastopen_blackhole_timeout_sec', 'ipv4.tcp_invalid_ratelimit',
    'ipv6.conf.*.mldv1_unsolicited_report_interval', 'ipv6.conf.*.mldv2_unsolicited_report_interval',
    'ipv6.icmp.ratelimit', 'ipv6.neigh.*.app_solicit', 'ipv6.neigh.*.base_reachable_time_ms',
    'ipv6.neigh.*.mcast_resolicit', 'ipv6.neigh.*.mcast_solicit', 'ipv6.neigh.*.proxy_qlen',
    'ipv6.neigh.*.retrans_time_ms', 'ipv6.neigh.*.ucast_solicit', 'ipv6.neigh.*.unres_qlen_bytes',
    'ipv6.route.gc_min_interval_ms', 'mptcp.blackhole_timeout',
  ]],
  ['0', '2', [
    'ipv4.fib_notify_on_flag_change', 'ipv4.tcp_ecn', 'ipv4.tcp_ecn_option', 'ipv4.tcp_tw_reuse',
    'ipv6.conf.*.accept_untracked_na', 'ipv6.fib_notify_on_flag_change', 'netfilter.nf_conntrack_events',
  ]],
  ['-3689348814741910300', '3689348814741910300', [
    'ipv4.neigh.*.anycast_delay', 'ipv4.neigh.*.locktime', 'ipv4.neigh.*.proxy_delay', 'ipv6.neigh.*.anycast_delay',
    'ipv6.neigh.*.locktime', 'ipv6.neigh.*.proxy_delay',
  ]],
  ['0', '3', [
    'core.rps_default_mask', 'ipv4.fib_multipath_hash_policy', 'ipv4.tcp_ecn_option_beacon', 'ipv6.auto_flowlabels',
    'ipv6.conf.*.addr_gen_mode', 'ipv6.fib_multipath_hash_policy',
  ]],
  ['0', '4294967295', [
    'core.xfrm_aevent_etime', 'core.xfrm_aevent_rseqth', 'ipv4.fib_multipath_hash_seed', 'ipv4.tcp_notsent_lowat',
    'ipv6.conf.*.ioam6_id_wide', 'mptcp.stale_loss_cnt',
  ]],
  ['1', '2147483647', [
    'ipv4.igmp_qrv', 'ipv4.tcp_max_reordering', 'ipv4.tcp_rto_min_us', 'ipv4.udp_rmem_min', 'ipv4.udp_wmem_min',
  ]],
  ['1', '255', [
    'ipv4.ip_default_ttl', 'ipv4.tcp_min_tso_segs', 'ipv4.tcp_pingpong_thresh', 'ipv6.conf.*.hop_limit',
  ]],
  ['0', '31', [
    'ipv4.tcp_app_win', 'ipv4.tcp_plb_idle_rehash_rounds', 'ipv4.tcp_plb_rehash_rounds',
  ]],
  ['0', '4194304', [
    'ipv4.ipfrag_low_thresh', 'ipv6.ip6frag_low_thresh', 'netfilter.nf_conntrack_frag6_low_thresh',
  ]],
  ['3145728', '18446744073709551615', [
    'ipv4.ipfrag_high_thresh', 'ipv6.ip6frag_high_thresh', 'netfilter.nf_conntrack_frag6_high_thresh',
  ]],
  ['0', '1000', [
    'ipv4.tcp_pacing_ca_ratio', 'ipv4.tcp_pacing_ss_ratio',
  ]],
  ['0', '1027504', [
    'ipv4.neigh.*.unres_qlen', 'ipv6.neigh.*.unres_qlen',
  ]],
  ['0', '18446744073709551615', [
    'ipv4.tcp_comp_sack_delay_ns', 'ipv4.tcp_comp_sack_slack_ns',
  ]],
  ['1', '4095', [
    'ipv4.fib_multipath_hash_fields', 'ipv6.fib_multipath_hash_fields',
  ]],
  ['48', '65535', [
    'ipv4.tcp_min_snd_mss', 'ipv4.tcp_mtu_probe_floor',
  ]],
  ['-1', '2147483647', [
    'ipv6.conf.*.router_solicitations',
  ]],
  ['-31', '31', [
    'ipv4.tcp_adv_win_scale',
  ]],
  ['0', '127', [
    'ipv4.tcp_syn_linear_timeouts',
  ]],
  ['0', '16777215', [
    'ipv6.ioam6_id',
  ]],
  ['0', '16777216', [
    'ipv4.tcp_child_ehash_entries',
  ]],
  ['0', '17179869', [
    'ipv4.tcp_probe_interval',
  ]],
  ['0', '256', [
    'ipv4.tcp_plb_cong_thresh',
  ]],
  ['0', '32768', [
    'ipv4.ip_unprivileged_port_start',
  ]],
  ['0', '4', [
    'ipv4.tcp_early_retrans',
  ]],
  ['0', '65535', [
    'ipv6.conf.*.ioam6_id',
  ]],
  ['0', '65536', [
    'ipv4.udp_child_hash_entries',
  ]],
  ['0', '7', [
    'ipv6.flowlabel_reflect',
  ]],
  ['0', '72057594037927935', [
    'ipv6.ioam6_id_wide',
  ]],
  ['0', '86400', [
    'ipv4.tcp_min_rtt_wlen',
  ]],
  ['1', '127', [
    'ipv4.tcp_syn_retries',
  ]],
  ['1', '300', [
    'ipv4.tcp_reordering',
  ]],
  ['1', '4294967295', [
    'ipv6.conf.*.ra_defrtr_metric',
  ]],
  ['1', '60000', [
    'ipv4.tcp_tw_reuse_delay',
  ]],
  ['1000', '120000', [
    'ipv4.tcp_rto_max_ms',
  ]],
  ['1280', '2147483647', [
    'ipv6.conf.*.mtu',
  ]],
  ['68', '2147483647', [
    'ipv4.route.min_pmtu',
  ]],
];
const RANGE_OF = new Map<string, [bigint, bigint]>();
for (const [min, max, keys] of MEASURED_RANGES) for (const k of keys) RANGE_OF.set(k, [BigInt(min), BigInt(max)]);

// Time keys kept in jiffies (HZ=250) print back what the conversion keeps:
// milliseconds round up to a 4 ms tick; USER_HZ (1/100 s) values go through
// clock_t_to_jiffies and back (1 -> 0, 3 -> 2, -1 -> "-0").
const MS_JIFFIES = new Set([
  'ipv4.icmp_ratelimit', 'ipv4.tcp_invalid_ratelimit', 'ipv6.icmp.ratelimit', 'ipv6.route.gc_min_interval_ms',
  'neigh.base_reachable_time_ms', 'neigh.retrans_time_ms', 'neigh.interval_probe_time_ms',
  'conf.mldv1_unsolicited_report_interval', 'conf.mldv2_unsolicited_report_interval',
]);
const USERHZ_JIFFIES = new Set(['neigh.anycast_delay', 'neigh.locktime', 'neigh.proxy_delay']);

function jiffiesRoundTrip(r: Resolved, value: string): string {
  const name = r.dev === null ? r.leaf : `${r.family!.split('.')[1]}.${r.leaf}`;
  if (r.family === 'ipv4.conf' && name.startsWith('conf.mld')) return value;
  if (MS_JIFFIES.has(name)) {
    const v = BigInt(value);
    return String(v <= 0n ? v : ((v + 3n) / 4n) * 4n);
  }
  if (USERHZ_JIFFIES.has(name)) {
    const v = BigInt(value);
    const neg = v < 0n;
    const j = ((neg ? -v : v) * 5n) / 2n;
    return `${neg ? '-' : ''}${(j * 2n) / 5n}`;
  }
  return value;
}

/** The value to store, or a KernelError. A vector written with fewer numbers keeps the current tail (proc_dointvec). */
function validate(r: Resolved, text: string, current = ''): string {
  const kind = r.def.kind ?? INT;
  if (kind.t === 'fixed') return text.trim();
  if (kind.t === 'str') {
    const v = text.replace(/\n$/, '');
    if (kind.choices && !kind.choices.includes(v.trim())) throw new KernelError('ENOENT');
    // a congestion control outside tcp_allowed_congestion_control, outside the initial namespace
    if (kind.restricted?.includes(v.trim())) throw new KernelError('EPERM');
    return kind.choices ? v.trim() : v;
  }
  const n = kind.n ?? 1;
  const vals = parseIntVector(text, n);
  if (!vals) throw new KernelError('EINVAL');
  const measured = n === 1 ? RANGE_OF.get(r.dev === null ? r.leaf : `${r.family}.*.${r.leaf}`) : undefined;
  const min = measured ? measured[0] : BigInt(kind.min ?? -2147483648);
  const max = measured ? measured[1] : BigInt(kind.max ?? 2147483647);
  for (const v of vals) if (v < min || v > max) throw new KernelError('EINVAL');
  const cur = current.split('\t');
  return Array.from({ length: n }, (_, i) => (i < vals.length ? String(vals[i]) : cur[i] ?? '0')).join('\t');
}

/** Hooks run after a key's value changed (the kernel core applies disable_ipv6 effects on links through this). */
export type SysctlHook = (world: World, nsId: NsId, key: string, value: string, old: string) => void;
const hooks: SysctlHook[] = [];
export function onSysctlChange(fn: SysctlHook): void {
  if (!hooks.includes(fn)) hooks.push(fn);
}

function setRaw(world: World, ns: Netns, key: string, value: string): void {
  const old = readKey(world, ns, key);
  ns.sysctl[key] = value;
  if (old !== value) for (const h of hooks) h(world, ns.id, key, value, old);
}

/**
 * Write `text` to a key (as `echo text > /proc/sys/...` or `sysctl -w key=text`).
 * Throws ENOENT (no such key), EPERM (read-only), EINVAL (bad value).
 */
export function sysctlSet(world: World, nsId: NsId, key: string, text: string): void {
  const ns = world.ns(nsId);
  const r = resolve(ns, key);
  if (!r) {
    if (sysctlChildren(world, nsId, key)) throw new KernelError('EISDIR');
    throw new KernelError('ENOENT');
  }
  const mode = r.def.mode ?? 0o644;
  if ((mode & 0o200) === 0) throw new KernelError('EPERM');
  if (key === 'net.ipv4.route.flush' || key === 'net.ipv6.route.flush') {
    if (!parseIntVector(text, 1)) throw new KernelError('EINVAL');
    return;
  }
  let value = validate(r, text, readKey(world, ns, key));
  if (key === 'net.ipv4.ip_local_port_range') {
    // ipv4_local_port_range: the upper end not below the lower, the lower not privileged
    const [lo, hi] = value.split('\t').map(Number) as [number, number];
    const prot = Number(readKey(world, ns, 'net.ipv4.ip_unprivileged_port_start'));
    if (hi < lo || lo < prot) throw new KernelError('EINVAL');
  }
  if (key === 'net.ipv4.ping_group_range') {
    const [lo, hi] = value.split('\t').map(Number) as [number, number];
    if (lo > hi) value = '1\t0';
  }
  if (key.startsWith('net.bridge.') && value !== '0') value = '1';
  value = jiffiesRoundTrip(r, value);
  // the lwtunnel netfilter hooks cannot be turned off once on
  if (key === 'net.netfilter.nf_hooks_lwtunnel' && value === '0' && readKey(world, ns, key) !== '0') throw new KernelError('EBUSY');
  if (r.family === 'ipv6.conf' && r.dev && r.dev !== 'all' && r.dev !== 'default' && r.leaf === 'mtu') {
    const link = ns.links.find((l) => l.name === r.dev)!;
    if (Number(value) > link.mtu) throw new KernelError('EINVAL');
  }
  applyWrite(world, ns, key, r, value);
}

function applyWrite(world: World, ns: Netns, key: string, r: Resolved, value: string): void {
  const old = readKey(world, ns, key);
  // net.ipv4.ip_forward and net.ipv4.conf.all.forwarding are one variable
  if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
    setRaw(world, ns, 'net.ipv4.ip_forward', value);
    setRaw(world, ns, 'net.ipv4.conf.all.forwarding', value);
    if (old !== value) {
      setRaw(world, ns, 'net.ipv4.conf.all.accept_redirects', Number(value) ? '0' : '1');
      setRaw(world, ns, 'net.ipv4.conf.default.forwarding', value);
      for (const dev of linkNames(ns)) setRaw(world, ns, `net.ipv4.conf.${dev}.forwarding`, value);
    }
    return;
  }
  if (r.family === 'ipv6.conf' && r.leaf === 'disable_ipv6' && r.dev !== 'default') {
    // addrconf_disable_ipv6: "all" sets default and every device; a device
    // whose value flips loses (or regains) its IPv6 addresses and routes
    const before = new Map(ns.links.map((l) => [l.name, Number(readKey(world, ns, `net.ipv6.conf.${l.name}.disable_ipv6`)) !== 0]));
    setRaw(world, ns, key, value);
    if (r.dev === 'all') {
      setRaw(world, ns, 'net.ipv6.conf.default.disable_ipv6', value);
      for (const dev of linkNames(ns)) setRaw(world, ns, `net.ipv6.conf.${dev}.disable_ipv6`, value);
    }
    for (const link of ns.links) {
      const now = Number(readKey(world, ns, `net.ipv6.conf.${link.name}.disable_ipv6`)) !== 0;
      if (now === before.get(link.name)) continue;
      if (now) addrconfDown(world, ns, link);
      else addrconfUp(world, ns, link);
    }
    return;
  }
  if (r.family === 'ipv6.conf' && r.dev === 'all' && r.leaf === 'forwarding') {
    setRaw(world, ns, key, value);
    if (old !== value) {
      setRaw(world, ns, 'net.ipv6.conf.default.forwarding', value);
      for (const dev of linkNames(ns)) setRaw(world, ns, `net.ipv6.conf.${dev}.forwarding`, value);
    }
    return;
  }
  setRaw(world, ns, key, value);
}

/**
 * Record the values a device's keys start with (a copy of the namespace's
 * current `default` values, as the kernel makes when the device appears).
 * The kernel core calls this when a link is created or moved into a namespace.
 */
export function sysctlLinkAdded(world: World, nsId: NsId, ifname: string): void {
  const ns = world.ns(nsId);
  for (const fam of ['ipv4', 'ipv6'] as const) {
    const conf = fam === 'ipv4' ? IPV4_CONF : IPV6_CONF;
    for (const leaf of Object.keys(conf)) {
      const key = `net.${fam}.conf.${ifname}.${leaf}`;
      if (ns.sysctl[key] !== undefined) continue;
      if (fam === 'ipv6' && leaf === 'mtu') continue;
      const v = readKey(world, ns, `net.${fam}.conf.default.${leaf}`);
      const lo = ns.links.find((l) => l.name === ifname)?.kind === 'loopback';
      if (lo && fam === 'ipv6' && (leaf === 'accept_dad' || leaf === 'use_tempaddr')) continue;
      if (leaf === 'stable_secret' || leaf === 'mc_forwarding') continue;
      ns.sysctl[key] = v;
    }
  }
}

/** Forget a device's keys (the kernel core calls this when a link is deleted or leaves the namespace). */
export function sysctlLinkRemoved(world: World, nsId: NsId, ifname: string): void {
  const ns = world.ns(nsId);
  for (const k of Object.keys(ns.sysctl)) {
    if (k.startsWith(`net.ipv4.conf.${ifname}.`) || k.startsWith(`net.ipv6.conf.${ifname}.`) || k.startsWith(`net.ipv4.neigh.${ifname}.`) || k.startsWith(`net.ipv6.neigh.${ifname}.`)) {
      delete ns.sysctl[k];
    }
  }
}

/** Move a device's stored keys to its new name (`ip link set X name Y`). */
export function sysctlLinkRenamed(world: World, nsId: NsId, from: string, to: string): void {
  const ns = world.ns(nsId);
  for (const k of Object.keys(ns.sysctl)) {
    for (const fam of ['ipv4.conf', 'ipv6.conf', 'ipv4.neigh', 'ipv6.neigh']) {
      const pre = `net.${fam}.${from}.`;
      if (k.startsWith(pre)) {
        ns.sysctl[`net.${fam}.${to}.` + k.slice(pre.length)] = ns.sysctl[k]!;
        delete ns.sysctl[k];
      }
    }
  }
}

/** Is IPv4 forwarding on for packets arriving on `ifname` (net.ipv4.conf.IF.forwarding)? */
export function ipv4ForwardingOn(world: World, nsId: NsId, ifname: string): boolean {
  const ns = world.ns(nsId);
  const v = hasLink(ns, ifname) ? readKey(world, ns, `net.ipv4.conf.${ifname}.forwarding`) : readKey(world, ns, 'net.ipv4.ip_forward');
  return Number(v) !== 0;
}

/** The current value of a key, or null when it does not exist (no errors: for kernel code that just needs the value). */
export function sysctlValue(world: World, nsId: NsId, key: string): string | null {
  const ns = world.ns(nsId);
  return resolve(ns, key) ? readKey(world, ns, key) : null;
}

// ------------------------------------------------------------------ /proc/sys

/** "/proc/sys/net/ipv4/ip_forward" -> "net.ipv4.ip_forward" ('' for /proc/sys itself); null if not under /proc/sys. */
export function procSysKey(path: string): string | null {
  const p = path.replace(/\/+$/, '');
  if (p === '/proc/sys') return '';
  if (!p.startsWith('/proc/sys/')) return null;
  const parts = p.slice('/proc/sys/'.length).split('/').filter((x) => x !== '');
  // a path component holding a dot cannot map to a dotted key
  if (parts.some((x) => x.includes('.'))) return '\u0000';
  return parts.join('.');
}

/** Text of /proc/sys/... (value + "\n"), or null if there is no such file. Throws EACCES/EIO/EISDIR like read(2). */
export function procSysRead(world: World, nsId: NsId, path: string): string | null {
  const key = procSysKey(path);
  if (key === null || key === '') return null;
  const st = sysctlStat(world, nsId, key);
  if (!st) return null;
  if (st.type === 'dir') throw new KernelError('EISDIR');
  return sysctlGet(world, nsId, key) + '\n';
}

/** Write to /proc/sys/... Throws ENOENT, EACCES (read-only file), EINVAL. */
export function procSysWrite(world: World, nsId: NsId, path: string, content: string): void {
  const key = procSysKey(path);
  if (key === null || key === '') throw new KernelError('EISDIR');
  const st = sysctlStat(world, nsId, key);
  if (!st) throw new KernelError('ENOENT');
  if (st.type === 'dir') throw new KernelError('EISDIR');
  if ((st.mode & 0o200) === 0) throw new KernelError('EACCES');
  // open(O_TRUNC) writes nothing; a write(2) of no bytes changes nothing
  if (content === '') return;
  sysctlSet(world, nsId, key, content);
}

/** Entries of the /proc/sys directory `path`, or null when it is not a directory. */
export function procSysList(world: World, nsId: NsId, path: string): string[] | null {
  const key = procSysKey(path);
  if (key === null) return null;
  if (key === '') return ['net'];
  return sysctlChildren(world, nsId, key);
}

/** stat() of a /proc/sys path. */
export function procSysStat(world: World, nsId: NsId, path: string): SysctlStat | null {
  const key = procSysKey(path);
  if (key === null) return null;
  return sysctlStat(world, nsId, key);
}
