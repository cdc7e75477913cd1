import { defineDrill, type CheckContext } from '../schema';
import { answerFile, nsOf } from '../check';
import { ANSWERS_DIR_SETUP, answerAlternatives, answerPath, NODE } from './lib';

/** The MAC address of the interface that carries `ip`. */
function macOf(c: CheckContext, ip: string): string | null {
  const ns = nsOf(c.world, c.host, null);
  const a = ns?.addrs.find((x) => x.local === ip);
  return (a && ns?.links.find((l) => l.ifindex === a.ifindex)?.mac) ?? null;
}

export default defineDrill({
  id: 'k8s-node-mac',
  title: 'The MAC address behind the node IP',
  domain: 'cluster',
  competencies: ['pod-connectivity'],
  difficulty: 'easy',
  minutes: 3,
  weight: 2,
  summary: 'Find the interface that carries the node’s InternalIP and write down its MAC address.',
  scenario: 'k8s-cluster',
  params(r) {
    const mac = Array.from({ length: 6 }, (_, i) => (i === 0 ? (r.int(0, 63) * 4) | 2 : r.int(0, 255)).toString(16).padStart(2, '0')).join(':');
    return { mac, file: answerPath(r) };
  },
  setup: (p) => [ANSWERS_DIR_SETUP, `ip link set dev ${NODE.nic} address ${p.mac}`],
  task: (p) =>
    `The node's InternalIP (see \`kubectl get nodes -o wide\`) is carried by one of its network interfaces. ` +
    `Write that interface's MAC address to \`${p.file}\`.`,
  requirements: (p) => [
    {
      id: 'answer',
      text: `${p.file} holds the MAC address of the interface with ${NODE.ip}`,
      check: (c) => {
        const mac = macOf(c, NODE.ip);
        if (!mac) return `no interface carries ${NODE.ip} any more`;
        return answerFile(c.world, c.host, p.file, mac, (s) => s.toLowerCase());
      },
    },
  ],
  hints: () => [
    '`kubectl get nodes -o wide` shows the InternalIP.',
    '`ip -br addr` shows which interface has it; `ip link show DEV` shows its `link/ether` address.',
  ],
  solution: (p) => ['kubectl get nodes -o wide', `ip -br addr | grep ${NODE.ip}`, `ip link show ${NODE.nic}`, `echo ${p.mac} > ${p.file}`],
  wrong: (p) => [
    { name: 'writes the broadcast address', lines: [`echo ff:ff:ff:ff:ff:ff > ${p.file}`], fails: 'answer', mentions: 'not the right answer' },
    { name: 'writes the interface name', lines: [`echo ${NODE.nic} > ${p.file}`], fails: 'answer', mentions: NODE.nic },
  ],
  alternatives: (p) => [
    ...answerAlternatives([[p.file, p.mac]], [`ip -br link show ${NODE.nic}`]),
    { name: 'awk on ip link', lines: [`ip link show ${NODE.nic} | awk '/link\\/ether/ {print $2}' > ${p.file}`] },
    { name: 'net-tools: ifconfig, upper case', lines: [`ifconfig ${NODE.nic} | awk '/ether/ {print toupper($2)}' > ${p.file}`] },
  ],
});
