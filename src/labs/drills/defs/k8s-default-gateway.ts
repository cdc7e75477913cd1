import { defineDrill } from '../schema';
import { answerFile, defaultRoute, nsOf } from '../check';
import { ANSWERS_DIR_SETUP, answerAlternatives, answerPath, NODE } from './lib';

export default defineDrill({
  id: 'k8s-default-gateway',
  title: 'Find the node’s default gateway',
  domain: 'cluster',
  competencies: ['pod-connectivity'],
  difficulty: 'easy',
  minutes: 3,
  weight: 2,
  summary: 'Read the node’s routing table and write down the address of its default gateway.',
  scenario: 'k8s-cluster',
  params(r) {
    const hosts = Array.from({ length: 253 }, (_, i) => i + 2).filter((n) => n !== 10);
    const [g, d] = r.sample(hosts, 2) as [number, number];
    return { gw: `${NODE.net}.${g}`, decoyNet: `10.${r.int(20, 90)}.0.0/16`, decoyVia: `${NODE.net}.${d}`, file: answerPath(r) };
  },
  setup: (p) => [ANSWERS_DIR_SETUP, `ip route replace default via ${p.gw} dev ${NODE.nic}`, `ip route add ${p.decoyNet} via ${p.decoyVia} dev ${NODE.nic}`],
  task: (p) => `What is the default gateway of this node? Write its IP address (only the address) to \`${p.file}\`.`,
  requirements: (p) => [
    {
      id: 'answer',
      text: `${p.file} holds the default gateway`,
      check: (c) => {
        const ns = nsOf(c.world, c.host, null);
        const gw = ns ? defaultRoute(ns)?.gateway : null;
        if (!gw) return 'the node has no default route any more';
        return answerFile(c.world, c.host, p.file, gw);
      },
    },
  ],
  hints: () => ['The default route is the one for 0.0.0.0/0.', '`ip route show default` (or `route -n`, the line with destination 0.0.0.0).'],
  solution: (p) => ['ip route show default', `echo ${p.gw} > ${p.file}`],
  wrong: (p) => [
    { name: 'writes the gateway of another route', lines: [`echo ${p.decoyVia} > ${p.file}`], fails: 'answer', mentions: 'not the right answer' },
    { name: 'writes the node’s own address', lines: [`echo ${NODE.ip} > ${p.file}`], fails: 'answer' },
  ],
  alternatives: (p) => [
    ...answerAlternatives([[p.file, p.gw]], ['ip route']),
    { name: 'awk on ip route', lines: [`ip route show default | awk '{print $3}' > ${p.file}`] },
    { name: 'net-tools: route -n', lines: [`route -n | awk '$1 == "0.0.0.0" {print $2}' > ${p.file}`] },
  ],
});
