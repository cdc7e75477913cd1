// The control plane's images as programs (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler: static pods on the control-plane
// node, host network) and the flannel manifest's two init containers. Each
// reads its command line: the listening addresses come from its flags, and
// a flag the binary does not know stops it the way the real one stops
// (`Error: unknown flag: --x`, exit 1), so a broken manifest edit shows as
// a crashing static pod.
import { registerImage, type ContainerContext, type ContainerOutcome, type ImageProgram } from '../plugins';
import { listenTcp } from '../../sim/sockets';
import { writeHostFile } from '../../sim/files';
import { klogTime } from './images';
import { GO_HTTPS_ROLE } from '../go-servers';

function flags(argv: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of argv.slice(1)) {
    const x = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (x) m.set(x[1]!, x[2] ?? 'true');
  }
  return m;
}

function unknownFlag(ctx: ContainerContext, known: Set<string>, usage: string): ContainerOutcome | null {
  for (const a of ctx.argv.slice(1)) {
    const x = /^--([^=]+)/.exec(a);
    if (x && !known.has(x[1]!)) {
      ctx.log(`Error: unknown flag: --${x[1]}\n${usage}`, 'stderr');
      return { state: 'exited', exitCode: 1 };
    }
  }
  return null;
}

function urls(text: string | undefined): { host: string; port: number }[] {
  return (text ?? '')
    .split(',')
    .map((u) => /^https?:\/\/\[?([^\]/]+?)\]?:(\d+)/.exec(u.trim()))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ host: m[1]!, port: Number(m[2]) }));
}

function listenSafe(ctx: ContainerContext, pid: number, addr: string, port: number, family: 4 | 6 | 46): boolean {
  try {
    listenTcp(ctx.world, ctx.nsId, pid, addr, port, family, 4096);
    return true;
  } catch {
    return false;
  }
}

const ETCD_FLAGS = new Set(['advertise-client-urls', 'cert-file', 'client-cert-auth', 'data-dir', 'experimental-initial-corrupt-check', 'experimental-watch-progress-notify-interval', 'initial-advertise-peer-urls', 'initial-cluster', 'key-file', 'listen-client-urls', 'listen-metrics-urls', 'listen-peer-urls', 'name', 'peer-cert-file', 'peer-client-cert-auth', 'peer-key-file', 'peer-trusted-ca-file', 'snapshot-count', 'trusted-ca-file', 'feature-gates', 'watch-progress-notify-interval']);

const etcd: ImageProgram = {
  start(ctx) {
    const f = flags(ctx.argv);
    const t = new Date(Date.parse('2026-11-26T15:00:00Z') + ctx.api.now()).toISOString();
    for (const a of ctx.argv.slice(1)) {
      const x = /^--([^=]+)/.exec(a);
      if (x && !ETCD_FLAGS.has(x[1]!)) {
        ctx.log(`{"level":"fatal","ts":"${t}","caller":"etcdmain/etcd.go:204","msg":"discovery failed","error":"unknown flag --${x[1]}"}`, 'stderr');
        return { state: 'exited', exitCode: 1 };
      }
    }
    const p = ctx.spawn(ctx.argv, { comm: 'etcd', role: { kind: 'daemon' } });
    for (const u of [...urls(f.get('listen-client-urls')), ...urls(f.get('listen-peer-urls')), ...urls(f.get('listen-metrics-urls'))]) {
      if (!listenSafe(ctx, p.pid, u.host, u.port, u.host.includes(':') ? 6 : 4)) {
        ctx.log(`{"level":"fatal","ts":"${t}","caller":"etcdmain/etcd.go:204","msg":"discovery failed","error":"listen tcp ${u.host}:${u.port}: bind: cannot assign requested address"}`, 'stderr');
        return { state: 'exited', exitCode: 1 };
      }
    }
    ctx.log(`{"level":"info","ts":"${t}","caller":"etcdmain/etcd.go:73","msg":"Running: ","args":${JSON.stringify(ctx.argv)}}\n{"level":"info","ts":"${t}","caller":"embed/etcd.go:140","msg":"configuring peer listeners","listen-peer-urls":["${f.get('listen-peer-urls') ?? ''}"]}\n{"level":"info","ts":"${t}","caller":"etcdserver/server.go:2086","msg":"published local member to cluster through raft","local-member-attributes":"{Name:${f.get('name') ?? 'default'} ClientURLs:[${f.get('advertise-client-urls') ?? ''}]}","request-path":"/0/members/8e9e05c52164694d/attributes","cluster-id":"cdf818194e3a8c32","publish-timeout":"7s"}\n{"level":"info","ts":"${t}","caller":"embed/serve.go:250","msg":"serving client traffic securely","traffic":"grpc+http","address":"127.0.0.1:2379"}`, 'stderr');
    return { state: 'running' };
  },
  termination: () => 300,
};

const APISERVER_FLAGS = new Set(['advertise-address', 'allow-privileged', 'authorization-mode', 'client-ca-file', 'enable-admission-plugins', 'disable-admission-plugins', 'enable-bootstrap-token-auth', 'etcd-cafile', 'etcd-certfile', 'etcd-keyfile', 'etcd-servers', 'kubelet-client-certificate', 'kubelet-client-key', 'kubelet-preferred-address-types', 'proxy-client-cert-file', 'proxy-client-key-file', 'requestheader-allowed-names', 'requestheader-client-ca-file', 'requestheader-extra-headers-prefix', 'requestheader-group-headers', 'requestheader-username-headers', 'secure-port', 'service-account-issuer', 'service-account-key-file', 'service-account-signing-key-file', 'service-cluster-ip-range', 'service-node-port-range', 'tls-cert-file', 'tls-private-key-file', 'feature-gates', 'v', 'audit-log-path', 'audit-policy-file', 'encryption-provider-config', 'runtime-config', 'bind-address']);

const apiserver: ImageProgram = {
  start(ctx) {
    const bad = unknownFlag(ctx, APISERVER_FLAGS, 'Usage:\n  kube-apiserver [flags]');
    if (bad) return bad;
    const f = flags(ctx.argv);
    const now = ctx.api.now();
    const etcdOk = urls(f.get('etcd-servers')).length > 0;
    const port = Number(f.get('secure-port') ?? '6443');
    const p = ctx.spawn(ctx.argv, { comm: 'kube-apiserver', role: { ...GO_HTTPS_ROLE, data: {} } });
    ctx.log(`${klogTime(now)}       1 options.go:249] external host was not specified, using ${f.get('advertise-address') ?? ''}\n${klogTime(now)}       1 server.go:175] Version: ${ctx.api.config.version}\n${klogTime(now)}       1 server.go:177] "Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""`, 'stderr');
    if (!etcdOk) {
      ctx.log(`${klogTime(now, 'E')}       1 run.go:72] "command failed" err="--etcd-servers must be specified"`, 'stderr');
      return { state: 'exited', exitCode: 1 };
    }
    listenSafe(ctx, p.pid, '::', port, 46);
    ctx.log(`${klogTime(now + 900)}       1 secure_serving.go:213] Serving securely on [::]:${port}`, 'stderr');
    return { state: 'running' };
  },
  termination: () => 1000,
};

const CM_FLAGS = new Set(['allocate-node-cidrs', 'authentication-kubeconfig', 'authorization-kubeconfig', 'bind-address', 'client-ca-file', 'cluster-cidr', 'cluster-name', 'cluster-signing-cert-file', 'cluster-signing-key-file', 'controllers', 'kubeconfig', 'leader-elect', 'requestheader-client-ca-file', 'root-ca-file', 'service-account-private-key-file', 'service-cluster-ip-range', 'use-service-account-credentials', 'node-cidr-mask-size', 'feature-gates', 'v', 'node-monitor-grace-period']);
const SCHED_FLAGS = new Set(['authentication-kubeconfig', 'authorization-kubeconfig', 'bind-address', 'kubeconfig', 'leader-elect', 'config', 'feature-gates', 'v']);

function component(name: 'kube-controller-manager' | 'kube-scheduler', port: number, known: Set<string>): ImageProgram {
  return {
    start(ctx) {
      const bad = unknownFlag(ctx, known, `Usage:\n  ${name} [flags]`);
      if (bad) return bad;
      const f = flags(ctx.argv);
      const now = ctx.api.now();
      const kubeconfig = f.get('kubeconfig');
      if (kubeconfig && ctx.readFile(kubeconfig) === null) {
        ctx.log(`${klogTime(now, 'E')}       1 run.go:72] "command failed" err="stat ${kubeconfig}: no such file or directory"`, 'stderr');
        return { state: 'exited', exitCode: 1 };
      }
      const p = ctx.spawn(ctx.argv, { comm: name.slice(0, 15), role: { ...GO_HTTPS_ROLE, data: {} } });
      listenSafe(ctx, p.pid, f.get('bind-address') ?? '127.0.0.1', port, 4);
      ctx.log(`${klogTime(now)}       1 serving.go:386] Generated self-signed cert in-memory\n${klogTime(now + 400)}       1 ${name === 'kube-scheduler' ? 'server.go:167] "Starting Kubernetes Scheduler" version="' + ctx.api.config.version + '"' : 'controllermanager.go:191] "Starting" version="' + ctx.api.config.version + '"'}\n${klogTime(now + 420)}       1 secure_serving.go:213] Serving securely on 127.0.0.1:${port}\n${klogTime(now + 600)}       1 leaderelection.go:257] attempting to acquire leader lease kube-system/${name}...\n${klogTime(now + 650)}       1 leaderelection.go:271] successfully acquired lease kube-system/${name}`, 'stderr');
      return { state: 'running' };
    },
    termination: () => 500,
  };
}

// ---------------------------------------------------------------- flannel's init containers (install the CNI binary and config on the node)

function hostPathOf(ctx: ContainerContext, mountPath: string): string | null {
  for (const m of ctx.container.volumeMounts ?? []) {
    if (m.mountPath !== mountPath && !mountPath.startsWith(m.mountPath + '/')) continue;
    const v = (ctx.pod.spec?.volumes ?? []).find((x) => x.name === m.name);
    if (v?.hostPath) return v.hostPath.path + mountPath.slice(m.mountPath.length);
  }
  return null;
}

/** `cp -f /flannel /opt/cni/bin/flannel` and `cp -f /etc/kube-flannel/cni-conf.json /etc/cni/net.d/10-flannel.conflist` */
const flannelInit: ImageProgram = {
  start(ctx) {
    const cmd = ctx.argv.join(' ');
    const m = /cp\s+(?:-f\s+)?(\S+)\s+(\S+)/.exec(cmd);
    if (!m) return { state: 'exited', exitCode: 0, reason: 'Completed' };
    const [, src, dst] = m;
    const target = hostPathOf(ctx, dst!);
    const content = src === '/flannel' ? '\x7fELF flannel CNI plugin v1.7.1-flannel1\n' : ctx.readFile(src!);
    if (content === null || target === null) {
      ctx.log(`cp: can't stat '${src}': No such file or directory`, 'stderr');
      return { state: 'exited', exitCode: 1 };
    }
    writeHostFile(ctx.world.host(ctx.host), target, content, ctx.world.now(), src === '/flannel' ? 0o755 : 0o644);
    return { state: 'exited', exitCode: 0, reason: 'Completed' };
  },
};

let done = false;
export function registerControlPlaneImages(): void {
  if (done) return;
  done = true;
  registerImage({ repository: 'registry.k8s.io/etcd', defaultTag: '3.5.21-0', size: 58938593, entrypoint: [], cmd: [], program: etcd }, { fallback: true });
  registerImage({ repository: 'registry.k8s.io/kube-apiserver', defaultTag: 'v1.33.4', size: 30071307, entrypoint: [], cmd: [], program: apiserver }, { fallback: true });
  registerImage({ repository: 'registry.k8s.io/kube-controller-manager', defaultTag: 'v1.33.4', size: 27646507, entrypoint: [], cmd: [], program: component('kube-controller-manager', 10257, CM_FLAGS) }, { fallback: true });
  registerImage({ repository: 'registry.k8s.io/kube-scheduler', defaultTag: 'v1.33.4', size: 21785436, entrypoint: [], cmd: [], program: component('kube-scheduler', 10259, SCHED_FLAGS) }, { fallback: true });
  registerImage({ repository: 'ghcr.io/flannel-io/flannel-cni-plugin', defaultTag: 'v1.7.1-flannel1', size: 4861296, entrypoint: [], cmd: [], program: flannelInit }, { fallback: true });
}

export { flannelInit };
