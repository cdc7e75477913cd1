// Test-only stand-ins for what src/k8s/net provides (Flannel's CNI plugin,
// the kube-proxy, CoreDNS and flanneld images): enough to bring a cluster's
// pods up in unit tests of the core. Never imported outside tests.
import { registerCniPlugin, registerImage, CniError } from './plugins';
import { netnsAdd, netnsDel } from '../sim/netns';
import { linkAdd, linkSetUp, linkSetMaster, findLink } from '../sim/netdev';
import { addAddress } from '../sim/addr';
import { routeAdd } from '../sim/fib';
import { readHostFile, writeHostFile } from '../sim/files';
import { intToV4, v4ToInt } from '../sim/ip';
import { listenTcp } from '../sim/sockets';
import { installKubernetes } from './install';

let installed = false;

export function installTestNetwork(): void {
  if (installed) return;
  installed = true;
  // the layer's own hooks first (bootstrapCluster would install them later, over these stand-ins)
  installKubernetes();
  registerCniPlugin({
    type: 'flannel',
    add(world, api, req) {
      const h = world.host(req.host);
      if (readHostFile(h, '/run/flannel/subnet.env') === null) throw new CniError('plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory');
      const node: any = api.peek('nodes', null, req.node);
      const cidr: string = node.spec.podCIDR;
      const base = v4ToInt(cidr.split('/')[0]!) >>> 0;
      const root = world.ns(h.rootNs);
      let br = findLink(root, 'cni0');
      if (!br) {
        br = linkAdd(world, h.rootNs, { kind: 'bridge', name: 'cni0' });
        addAddress(world, h.rootNs, br.ifindex, { local: intToV4(base + 1), prefixlen: 24 });
        linkSetUp(world, h.rootNs, br.ifindex, true);
      }
      const used = new Set(world.ns(h.rootNs) && (readHostFile(h, '/var/lib/cni/test-ipam') ?? '').split('\n').filter(Boolean));
      let ip = '';
      for (let i = 2; i < 255; i++) {
        const cand = intToV4(base + i);
        if (!used.has(cand)) {
          ip = cand;
          break;
        }
      }
      writeHostFile(h, '/var/lib/cni/test-ipam', [...used, ip].join('\n') + '\n');
      const netnsName = `cni-${api.uuid()}`;
      const ns = netnsAdd(world, req.host, netnsName);
      linkSetUp(world, ns.id, findLink(ns, 'lo')!.ifindex, true);
      const host = `veth${req.sandboxId.slice(0, 8)}`;
      const v = linkAdd(world, h.rootNs, { kind: 'veth', name: host, peerName: 'eth0', peerNs: ns.id });
      linkSetMaster(world, h.rootNs, v.ifindex, br.ifindex);
      linkSetUp(world, h.rootNs, v.ifindex, true);
      const eth0 = findLink(world.ns(ns.id), 'eth0')!;
      addAddress(world, ns.id, eth0.ifindex, { local: ip, prefixlen: 24 });
      linkSetUp(world, ns.id, eth0.ifindex, true);
      routeAdd(world, ns.id, { family: 4, dst: '0.0.0.0', dstLen: 0, gateway: intToV4(base + 1) } as any);
      return { nsId: ns.id, netnsName, ips: [ip] };
    },
    del(world, _api, req) {
      void world;
      void req;
      void netnsDel;
    },
  });
  const daemon = (comm: string, port?: number) => ({
    start(ctx: any) {
      const p = ctx.spawn([comm], { comm });
      if (port) listenTcp(ctx.world, ctx.nsId, p.pid, '0.0.0.0', port, 4, 128);
      ctx.log(`${comm} started`);
      return { state: 'running' as const };
    },
    termination: () => 100,
  });
  registerImage({ repository: 'registry.k8s.io/kube-proxy', defaultTag: 'v1.33.4', size: 30000000, entrypoint: [], cmd: [], program: daemon('kube-proxy', 10249) });
  registerImage({ repository: 'registry.k8s.io/coredns/coredns', defaultTag: 'v1.12.0', size: 20000000, entrypoint: ['/coredns'], cmd: [], program: daemon('coredns', 53) });
  registerImage({
    repository: 'ghcr.io/flannel-io/flannel',
    defaultTag: 'v0.27.3',
    size: 30000000,
    entrypoint: [],
    cmd: [],
    program: {
      start(ctx) {
        if (ctx.argv[0] === 'cp') {
          const src = ctx.argv[2]!;
          const text = ctx.readFile(src);
          if (text !== null) writeHostFile(ctx.world.host(ctx.host), '/etc/cni/net.d/10-flannel.conflist', text);
          return { state: 'exited', exitCode: 0, reason: 'Completed' };
        }
        const node: any = ctx.api.peek('nodes', null, ctx.node);
        const cidr = node?.spec?.podCIDR;
        if (!cidr) return { state: 'exited', exitCode: 1 };
        const first = intToV4((v4ToInt(cidr.split('/')[0]) >>> 0) + 1);
        writeHostFile(ctx.world.host(ctx.host), '/run/flannel/subnet.env', `FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=${first}/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n`);
        ctx.spawn(['/opt/bin/flanneld', '--ip-masq', '--kube-subnet-mgr'], { comm: 'flanneld' });
        return { state: 'running' };
      },
      termination: () => 100,
    },
  });
}
