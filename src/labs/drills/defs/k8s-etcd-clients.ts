import { defineDrill, type CheckContext } from '../schema';
import { answerFile, nsOf } from '../check';
import { connectLocal } from '../../../sim/sockets';
import { ANSWERS_DIR_SETUP, answerPath } from './lib';

/** Established connections whose server side is etcd's client port 2379 (what `netstat -anp | grep etcd` shows as etcd's). */
export function etcdClientConnections(c: CheckContext): number {
  const host = c.world.state.hosts[c.host];
  const ns = nsOf(c.world, c.host, null);
  if (!host || !ns) return 0;
  const etcd = new Set(host.processes.filter((p) => p.comm === 'etcd').map((p) => p.pid));
  return ns.sockets.filter((s) => s.proto === 'tcp' && s.state === 'ESTABLISHED' && s.localPort === 2379 && s.pid != null && etcd.has(s.pid)).length;
}

export default defineDrill({
  id: 'k8s-etcd-clients',
  title: 'Count etcd’s client connections',
  domain: 'cluster',
  competencies: ['troubleshoot-cluster'],
  difficulty: 'medium',
  minutes: 4,
  weight: 3,
  summary: 'Count the TCP connections established to etcd’s client port on the node, and write the number down.',
  scenario: 'k8s-cluster',
  params(r) {
    return { extra: r.int(3, 57), file: answerPath(r) };
  },
  setup: () => [ANSWERS_DIR_SETUP],
  prepare(world, p) {
    // the API server opens more connections to etcd as it works
    const host = world.state.hosts['controlplane']!;
    const apiserver = host.processes.find((x) => x.comm === 'kube-apiserver');
    for (let i = 0; i < p.extra; i++) connectLocal(world, host.rootNs, apiserver?.pid ?? null, '127.0.0.1', 0, '127.0.0.1', 2379);
  },
  task: (p) =>
    `etcd serves its clients on port 2379. How many TCP connections are established to that port right now, counted once each (from etcd's side)? ` +
    `Write the number to \`${p.file}\`.`,
  requirements: (p) => [
    {
      id: 'answer',
      text: `${p.file} holds the number of connections to etcd's port 2379`,
      check: (c) => answerFile(c.world, c.host, p.file, String(etcdClientConnections(c))),
    },
  ],
  hints: (p) => [
    'Each connection shows twice on the node: once for the client (kube-apiserver) and once for the server (etcd).',
    '`netstat -anp | grep 2379` shows both ends; keep the lines whose local address ends in :2379 and whose program is etcd.',
    `\`netstat -tnp | grep ESTABLISHED | grep ':2379 ' | grep etcd | wc -l > ${p.file}\` (check what the filter keeps before you count).`,
  ],
  solution: (p) => [`netstat -tnp | grep ESTABLISHED | awk '$4 ~ /:2379$/' | grep -c etcd > ${p.file}`, `cat ${p.file}`],
  wrong: (p) => [
    { name: 'counts both ends of every connection', lines: [`netstat -tnp | grep ESTABLISHED | grep -c ':2379' > ${p.file}`], fails: 'answer', mentions: 'not the right answer' },
    { name: 'counts the listening sockets', lines: [`netstat -tlnp | grep -c ':2379' > ${p.file}`], fails: 'answer', mentions: 'not the right answer' },
  ],
  alternatives: (p) => [
    { name: 'awk on the local address and state, wc -l', lines: [`netstat -tn | awk '$6 == "ESTABLISHED" && $4 ~ /:2379$/' | wc -l > ${p.file}`] },
    { name: 'ss, established only, counted by grep', lines: [`ss -tnp | grep ESTAB | awk '$4 ~ /:2379$/' | grep -c etcd | tee ${p.file}`] },
    { name: 'a variable, then left logged into node01', lines: [`N=$(netstat -tnp | grep ESTABLISHED | awk '$4 ~ /:2379$/' | wc -l)`, `echo $N > ${p.file}`, 'ssh node01'] },
  ],
});
