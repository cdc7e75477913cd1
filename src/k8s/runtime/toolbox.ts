// Which executables a container's image has: the commands `kubectl exec`
// may run in it and the flavour of the ones that differ (busybox's wget,
// nslookup, ping print their own formats). From the images' contents as
// their upstream Dockerfiles build them:
// - busybox: the busybox binary and its applets, nothing else (no bash, curl, dig, ss);
// - alpine: busybox's applets plus apk; curlimages/curl: alpine plus curl;
// - nginx (Debian bookworm-slim): coreutils, bash, and curl (installed next
//   to nginx), no ping, ip, wget, nslookup, ss or netstat; httpd and redis
//   (bookworm-slim too) the same without curl;
// - agnhost: alpine plus the network tools its Dockerfile adds (curl, dig/nslookup, nc, ip, iperf);
// - kicbase/echo-server, pause, coredns and the control plane's images: static binaries (no shell at all);
// - kube-proxy: its binary with iptables; flannel: alpine with flanneld and iptables.
import type { World } from '../../sim/world';
import type { HostId, NsId } from '../../sim/types';
import { internalApi } from '../cluster';
import { normaliseImage } from '../plugins';
import { kubeletRuntime } from './state';

export type Flavour = 'busybox' | 'debian' | 'binary';

export interface Toolbox {
  /** the image's normalised repository */
  repository: string;
  flavour: Flavour;
  /** does the image have this executable in its $PATH (a name, or an absolute path) */
  has(cmd: string): boolean;
}

/** busybox's applets (busybox --list), as the busybox and alpine images install them */
const BUSYBOX_APPLETS =
  '[ [[ acpid adjtimex ar arch arp arping ascii ash awk base64 basename bc blkdiscard blkid blockdev brctl bunzip2 busybox bzcat bzip2 cal cat chgrp chmod chown chpasswd chroot chvt cksum clear cmp comm cp cpio crc32 crond crontab cryptpw cttyhack cut date dc dd deallocvt delgroup deluser depmod devmem df diff dirname dmesg dnsd dnsdomainname dos2unix du dumpkmap dumpleases echo ed egrep eject env ether-wake expand expr factor fakeidentd fallocate false fatattr fbset fdflush fdformat fdisk fgconsole fgrep find findfs flock fold free freeramdisk fsck fsfreeze fstrim fsync ftpd ftpget ftpput fuser getopt getty grep groups gunzip gzip halt hd hdparm head hexdump hexedit hostid hostname httpd hush hwclock i2cdetect i2cdump i2cget i2cset i2ctransfer id ifconfig ifdown ifenslave ifup inetd init insmod install ionice iostat ip ipaddr ipcalc ipcrm ipcs iplink ipneigh iproute iprule iptunnel kbd_mode kill killall killall5 klogd last less link linux32 linux64 linuxrc ln loadfont loadkmap logger login logname logread losetup ls lsattr lsmod lsof lspci lsscsi lsusb lzcat lzma lzop md5sum mdev mesg microcom mim mkdir mkdosfs mke2fs mkfifo mkfs.ext2 mkfs.vfat mknod mkpasswd mkswap mktemp modinfo modprobe more mount mountpoint mpstat mt mv nameif nbd-client nc netstat nice nl nmeter nohup nologin nproc nsenter nslookup ntpd od openvt partprobe passwd paste patch pgrep pidof ping ping6 pipe_progress pivot_root pkill pmap popmaildir poweroff powertop printenv printf ps pscan pstree pwd pwdx raidautorun rdate rdev readahead readlink readprofile realpath reboot reformime renice reset resize resume rev rm rmdir rmmod route rpm rpm2cpio rtcwake run-init run-parts runlevel rx script scriptreplay sed seedrng sendmail seq setarch setconsole setfattr setfont setkeycodes setlogcons setpriv setserial setsid sh sha1sum sha256sum sha3sum sha512sum showkey shred shuf slattach sleep smemcap sort split ssl_client start-stop-daemon stat strings stty su sulogin sum sv svc svlogd svok swapoff swapon switch_root sync sysctl syslogd tac tail tar taskset tc tcpsvd tee telnet telnetd test tftp tftpd time timeout top touch tr traceroute traceroute6 tree true truncate ts tsort tty ttysize tunctl ubiattach ubidetach ubimkvol ubirename ubirmvol ubirsvol ubiupdatevol udhcpc udhcpc6 udhcpd udpsvd uevent umount uname unexpand uniq unix2dos unlink unlzma unshare unxz unzip uptime users usleep uudecode uuencode vconfig vi vlock volname w wall watch watchdog wc wget which who whoami whois xargs xxd xz xzcat yes zcat zcip';

/** what a Debian bookworm-slim image has in $PATH (coreutils, bash, dash, util-linux, findutils, grep, sed, gzip, tar, hostname, ...) */
const DEBIAN_SLIM =
  '[ arch awk b2sum base32 base64 basename bash cat chgrp chmod chown chroot cksum comm cp csplit cut dash date dd df diff dir dircolors dirname du echo egrep env expand expr factor false fgrep find fmt fold getent grep groups gunzip gzip head hostid hostname id install join kill link ln logname ls md5sum mkdir mkfifo mknod mktemp more mount mv nice nl nohup nproc numfmt od paste pathchk pinky pr printenv printf ptx pwd readlink realpath rm rmdir runcon sed seq sh sha1sum sha224sum sha256sum sha384sum sha512sum shred shuf sleep sort split stat stdbuf stty sum sync tac tail tar tee test timeout touch tr true truncate tsort tty umount uname unexpand uniq unlink users vdir wc who whoami xargs yes zcat';

const set = (s: string): Set<string> => new Set(s.split(' '));
const BUSYBOX = set(BUSYBOX_APPLETS);
const DEBIAN = set(DEBIAN_SLIM);

interface Contents {
  flavour: Flavour;
  base: Set<string> | null;
  extra: string[];
}

const CONTENTS: Record<string, Contents> = {
  'docker.io/library/busybox': { flavour: 'busybox', base: BUSYBOX, extra: [] },
  'docker.io/library/alpine': { flavour: 'busybox', base: BUSYBOX, extra: ['apk', 'scanelf', 'ssl_client', 'getconf', 'getent', 'iconv', 'ldconfig', 'ldd'] },
  'docker.io/curlimages/curl': { flavour: 'busybox', base: BUSYBOX, extra: ['curl', 'apk', '/entrypoint.sh'] },
  'registry.k8s.io/e2e-test-images/agnhost': { flavour: 'busybox', base: BUSYBOX, extra: ['agnhost', '/agnhost', 'curl', 'dig', 'host', 'bash', 'iperf', 'apk'] },
  'docker.io/library/nginx': { flavour: 'debian', base: DEBIAN, extra: ['nginx', 'curl', 'envsubst', '/docker-entrypoint.sh'] },
  'docker.io/library/httpd': { flavour: 'debian', base: DEBIAN, extra: ['httpd', 'httpd-foreground', 'apachectl'] },
  'docker.io/library/redis': { flavour: 'debian', base: DEBIAN, extra: ['redis-server', 'redis-cli', 'docker-entrypoint.sh', 'gosu'] },
  'docker.io/kicbase/echo-server': { flavour: 'binary', base: null, extra: ['/echo-server'] },
  'registry.k8s.io/pause': { flavour: 'binary', base: null, extra: ['/pause'] },
  'registry.k8s.io/coredns/coredns': { flavour: 'binary', base: null, extra: ['/coredns'] },
  'registry.k8s.io/etcd': { flavour: 'binary', base: null, extra: ['etcd', 'etcdctl', 'etcdutl'] },
  'registry.k8s.io/kube-apiserver': { flavour: 'binary', base: null, extra: ['kube-apiserver'] },
  'registry.k8s.io/kube-controller-manager': { flavour: 'binary', base: null, extra: ['kube-controller-manager'] },
  'registry.k8s.io/kube-scheduler': { flavour: 'binary', base: null, extra: ['kube-scheduler'] },
  'registry.k8s.io/kube-proxy': { flavour: 'debian', base: DEBIAN, extra: ['kube-proxy', 'iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'conntrack', 'ipset'] },
  'docker.io/flannel/flannel': { flavour: 'busybox', base: BUSYBOX, extra: ['/opt/bin/flanneld', 'iptables', 'iptables-save', 'iptables-restore'] },
};

const toolboxes = new Map<string, Toolbox>();

/** The executables of an image (by reference); unknown images are taken as Debian-based. */
export function imageToolbox(image: string): Toolbox {
  const repository = normaliseImage(image).repository;
  let t = toolboxes.get(repository);
  if (!t) {
    const c = CONTENTS[repository] ?? { flavour: 'debian' as Flavour, base: DEBIAN, extra: [] };
    const extra = new Set(c.extra);
    const base = c.base;
    t = {
      repository,
      flavour: c.flavour,
      has(cmd: string): boolean {
        if (extra.has(cmd)) return true;
        const name = cmd.includes('/') ? cmd.slice(cmd.lastIndexOf('/') + 1) : cmd;
        if (cmd.includes('/') && !/^\/(usr\/)?s?bin\//.test(cmd)) return extra.has(cmd);
        return base !== null && (base.has(name) || extra.has(name));
      },
    };
    toolboxes.set(repository, t);
  }
  return t;
}

/**
 * The toolbox of the container a command runs in: the pod whose sandbox is
 * the network namespace `nsId` on `host` (its default container: the
 * `kubectl.kubernetes.io/default-container` annotation, else the first);
 * null when the namespace is no pod's (the node itself, hostNetwork pods, a
 * learner's own netns).
 */
export function toolboxAt(world: World, host: HostId, nsId: NsId): Toolbox | null {
  if (!world.state.kube || world.host(host).rootNs === nsId) return null;
  const api = internalApi(world);
  for (const p of Object.values(kubeletRuntime(api).pods)) {
    if (p.nsId !== nsId) continue;
    const pod = api.peek('pods', p.ns, p.name) as { spec?: { containers?: { name: string; image?: string }[] }; metadata?: { annotations?: Record<string, string> } } | null;
    const containers = pod?.spec?.containers ?? [];
    const def = pod?.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
    const c = containers.find((x) => x.name === def) ?? containers[0];
    if (!c?.image) return null;
    return imageToolbox(c.image);
  }
  return null;
}

/** What `kubectl exec POD -c C -- CMD` finds: the container's image has CMD (a name in $PATH or a path), or not. */
export function containerHas(api: ReturnType<typeof internalApi>, namespace: string, podName: string, container: string, cmd: string): boolean {
  const pod = api.peek('pods', namespace, podName) as { spec?: { containers?: { name: string; image?: string }[]; initContainers?: { name: string; image?: string }[] } } | null;
  const c = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])].find((x) => x.name === container);
  if (!c?.image) return false;
  return imageToolbox(c.image).has(cmd);
}
