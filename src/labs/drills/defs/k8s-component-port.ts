import { defineDrill, type CheckContext } from '../schema';
import { answerFile, nsOf } from '../check';
import { ANSWERS_DIR_SETUP, answerPath } from './lib';

/** Components on the live cluster's control-plane node that hold exactly one listening TCP socket, and how the task names them. */
const COMPONENTS = [
  { comm: 'kube-scheduler', what: 'kube-scheduler', port: 10259 },
  { comm: 'kube-controller', what: 'kube-controller-manager', port: 10257 },
  { comm: 'kube-apiserver', what: 'kube-apiserver', port: 6443 },
  { comm: 'containerd', what: 'containerd (its CRI streaming server, on a port chosen at start)', port: 0 },
] as const;

/** The TCP ports a process of this name listens on, read from the kernel's socket table. */
export function listeningPorts(c: CheckContext, comm: string): number[] {
  const host = c.world.state.hosts[c.host];
  const ns = nsOf(c.world, c.host, null);
  if (!host || !ns) return [];
  const pids = new Set(host.processes.filter((p) => p.comm === comm).map((p) => p.pid));
  return [...new Set(ns.sockets.filter((s) => s.proto === 'tcp' && s.state === 'LISTEN' && s.pid != null && pids.has(s.pid)).map((s) => s.localPort))];
}

export default defineDrill({
  id: 'k8s-component-port',
  title: 'Which port does this component listen on?',
  domain: 'cluster',
  competencies: ['troubleshoot-cluster'],
  difficulty: 'easy',
  minutes: 3,
  weight: 2,
  summary: 'Find the TCP port a control-plane component listens on, from the node’s socket table, and write it down.',
  scenario: 'k8s-cluster',
  params(r) {
    const c = r.pick(COMPONENTS);
    return { comm: c.comm, what: c.what, port: c.port, file: answerPath(r) };
  },
  setup: () => [ANSWERS_DIR_SETUP],
  task: (p) => `On the control-plane node, find the TCP port that ${p.what} listens on, and write the number (only the number) to \`${p.file}\`.`,
  requirements: (p) => [
    {
      id: 'answer',
      text: `${p.file} holds the port ${p.what} listens on`,
      check: (c) => {
        const ports = listeningPorts(c, p.comm).map(String);
        if (ports.length === 0) return `${p.what} is not listening any more`;
        return answerFile(c.world, c.host, p.file, ports);
      },
    },
  ],
  hints: (p) => [
    'The kernel knows every listening socket and which process holds it.',
    '`netstat -tlnp` (or `ss -tlnp`) lists listening TCP sockets with the program name.',
    `\`netstat -tlnp | grep ${p.comm}\`, then \`echo PORT > ${p.file}\`.`,
  ],
  solution: (p) => [`netstat -tlnp | grep ${p.comm}`, `netstat -tlnp | grep ${p.comm} | awk '{print $4}' | sed 's/.*://' > ${p.file}`, `cat ${p.file}`],
  wrong: (p) => [
    { name: 'writes the etcd client port', lines: [`echo 2379 > ${p.file}`], fails: 'answer', mentions: 'not the right answer' },
    { name: 'writes the answer to the wrong file', lines: [`echo 10259 > /opt/answers/answer.txt`], fails: 'answer', mentions: `${p.file} does not exist` },
  ],
  // the port is read from the node (containerd's is chosen at start), in other styles
  alternatives: (p) => [
    { name: 'ss, the port after the last colon', lines: [`ss -ltnp | grep ${p.comm} | awk '{print $4}' | awk -F: '{print $NF}' > ${p.file}`] },
    { name: 'netstat, split in awk', lines: [`netstat -tlnp | awk '/${p.comm}/ {n = split($4, a, ":"); print a[n]}' > ${p.file}`] },
    { name: 'a variable, then left logged into node01', lines: [`P=$(netstat -ntlp | grep ${p.comm} | awk '{print $4}' | sed 's/.*://')`, `echo "$P" > ${p.file}`, 'ssh node01'] },
  ],
});
