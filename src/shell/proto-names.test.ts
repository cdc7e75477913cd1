// Names that are Object.prototype members (`__proto__`, `toString`, `hasOwnProperty`, ...) chosen by the learner
// for namespaces, links, chains, pods, hosts: every tool must treat them as any other name. Property: a script run
// with such a name prints exactly what it prints with a neutral name of the same shape (letters replaced by x/X),
// with the name put back; and no line ends in an internal error.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Session, type SessionSnapshot } from './session';
import { getScenario } from '../labs/scenarios/index';
import { installTestNetwork } from '../k8s/net.test-util';

installTestNetwork();

const PROTO_NAMES = [
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable',
  'toLocaleString', '__defineGetter__', '__lookupSetter__',
].filter((n) => n.length <= 15); // (interface names are cut at IFNAMSIZ-1)

/** the same name with its letters neutral: `__proto__` -> `__xxxxx__`, `toString` -> `xxXxxxxx` */
const neutral = (name: string) => name.replace(/[a-z]/g, 'x').replace(/[A-Z]/g, 'X');

/** scripts over one name N (the learner's words, run line by line) */
const LINUX_SCRIPTS: string[][] = [
  ['ip netns add {N}', 'ip netns add {N}', 'ip netns list', 'ip netns exec {N} ip -br a', 'ip -n {N} link', 'ip netns exec {N} true; echo $?', 'ip netns del {N}', 'ip netns del {N}', 'ip -n {N} link'],
  ['ip -n {N} link', 'ip netns exec {N} true; echo $?', 'ip netns pids {N}', 'ip netns identify', 'ip link set lo netns {N}'],
  ['ip link add {N} type dummy', 'ip link add {N} type dummy', 'ip -br link show {N}', 'ip link set {N} up', 'ip addr add 10.9.0.1/24 dev {N}', 'ip -4 -br addr show dev {N}', 'ip route show dev {N}', 'sysctl net.ipv4.conf.{N}.forwarding', 'cat /proc/sys/net/ipv4/conf/{N}/rp_filter', 'ip link del {N}', 'ip link show {N}'],
  ['ifconfig lo {N}', 'ifconfig {N}', 'ifconfig {N} up', 'ifconfig lo {N} up', 'route add -net 10.1.0.0/16 dev {N}', 'arp -i {N}', 'ip link show {N}', 'ip route get 10.1.0.1 oif {N}'],
  ['ip link add br0 type bridge', 'ip link add {N} type veth peer name p1', 'ip link set {N} master br0', 'bridge link show', 'ip link set {N} nomaster', 'ip link set {N} name {N}2', 'ip -br link'],
  ['iptables -N {N}', 'iptables -N {N}', 'iptables -A INPUT -j {N}', 'iptables -A {N} -m {N} -j ACCEPT', 'iptables -A {N} -p {N} -j ACCEPT', 'iptables -t {N} -L', 'iptables -S', 'iptables -L {N} -n', 'iptables -F {N}', 'iptables -X {N}', 'iptables-save | grep -c {N}'],
  ['ip rule add table {N}', 'ip route show table {N}', 'ip route add 10.0.0.0/8 dev lo table {N}', 'ss -N {N} -t', 'ss -A {N}', 'ss -A tcp,{N}', 'ss -f {N}', 'ss state {N}', 'ping -c1 -I {N} 127.0.0.1', 'traceroute -i {N} 127.0.0.1', 'nc -s {N} 127.0.0.1 80'],
  ['getent hosts {N}', 'getent {N}', 'host {N}', 'dig +short {N}', 'nslookup {N}', 'ssh {N} true', 'systemctl status {N}', 'man {N}', 'hostname {N}', 'hostname', 'sysctl {N}', 'sysctl -w {N}=1', 'ls /sys/class/net/{N}', 'ping -c1 {N}'],
];

const K8S_SCRIPTS: string[][] = [
  ['kubectl get pod {N}', 'kubectl get ns {N}', 'kubectl create namespace {N}', 'kubectl get {N}', 'kubectl describe {N}', 'kubectl run {N} --image=nginx', 'kubectl get pods -n {N}', 'kubectl label node controlplane {N}=v', 'kubectl get nodes -l {N}=v -o name', 'kubectl explain {N}', 'kubectl logs {N}', 'kubectl delete pod {N}', 'kubectl create configmap c --from-literal={N}=v', 'kubectl get cm c -o jsonpath={.data}'],
  ['kubectl create namespace a', 'kubectl create configmap {N} -n a', 'kubectl annotate ns a {N}=v', 'kubectl get ns a -o jsonpath={.metadata.annotations}', 'kubectl config use-context {N}', 'kubectl config get-contexts {N}', 'kubectl get --raw /api/v1/namespaces/{N}', 'kubectl api-resources --api-group={N}'],
];

const snapshots = new Map<string, SessionSnapshot>();
async function fresh(scenario: string): Promise<Session> {
  let snap = snapshots.get(scenario);
  if (!snap) {
    snap = (await Session.create({ scenario: getScenario(scenario), seed: 7 })).snapshot();
    snapshots.set(scenario, snap);
  }
  return Session.restore(snap);
}

async function transcript(scenario: string, script: string[], name: string): Promise<string[]> {
  const s = await fresh(scenario);
  const out: string[] = [];
  for (const line of script) {
    const r = await s.run(line.replaceAll('{N}', name));
    out.push(`${r.exitCode}\n${r.output}`);
  }
  return out;
}

async function check(scenario: string, script: string[], name: string): Promise<void> {
  const other = neutral(name);
  const [got, want] = [await transcript(scenario, script, name), await transcript(scenario, script, other)];
  for (let i = 0; i < script.length; i++) {
    expect(got[i], `${script[i]} with ${name}`).not.toMatch(/internal error/);
    expect(got[i], `${script[i]!.replaceAll('{N}', name)}`).toBe(want[i]!.replaceAll(other, name).replaceAll(other.toLowerCase(), name.toLowerCase()));
  }
}

describe('names that are Object.prototype members are names like any other', () => {
  it('in the kernel and the Linux tools', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PROTO_NAMES), fc.constantFrom(...LINUX_SCRIPTS), (name, script) => check('blank', script, name)),
      { numRuns: 40, seed: 19 },
    );
  });

  it('in the cluster and kubectl', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PROTO_NAMES), fc.constantFrom(...K8S_SCRIPTS), (name, script) => check('k8s-cluster', script, name)),
      { numRuns: 12, seed: 19 },
    );
  });
});
