import { defineDrill } from '../schema';
import { answerFile } from '../check';
import { ANSWERS_DIR_SETUP, answerAlternatives } from './lib';

const FLANNEL = '/etc/cni/net.d/10-flannel.conflist';

/** Leftover configurations of other plugins, ignored by the runtime because they sort after the one in use. */
const LEFTOVERS = [
  { file: 'bridge.conflist', text: '{\\n  "cniVersion": "1.0.0",\\n  "name": "containerd-net",\\n  "plugins": [\\n    {\\n      "type": "bridge",\\n      "bridge": "cni0",\\n      "isGateway": true,\\n      "ipMasq": true,\\n      "ipam": {\\n        "type": "host-local",\\n        "ranges": [[{"subnet": "10.88.0.0/16"}]]\\n      }\\n    },\\n    {\\n      "type": "portmap",\\n      "capabilities": {"portMappings": true}\\n    }\\n  ]\\n}\\n' },
  { file: 'weave.conflist', text: '{\\n    "cniVersion": "0.3.0",\\n    "name": "weave",\\n    "plugins": [\\n        {\\n            "name": "weave",\\n            "type": "weave-net",\\n            "hairpinMode": true\\n        },\\n        {\\n            "type": "portmap",\\n            "capabilities": {"portMappings": true},\\n            "snat": true\\n        }\\n    ]\\n}\\n' },
  { file: 'calico.conflist', text: '{\\n  "name": "k8s-pod-network",\\n  "cniVersion": "0.3.1",\\n  "plugins": [\\n    {\\n      "type": "calico",\\n      "ipam": {"type": "calico-ipam"},\\n      "policy": {"type": "k8s"}\\n    },\\n    {\\n      "type": "portmap",\\n      "snat": true,\\n      "capabilities": {"portMappings": true}\\n    }\\n  ]\\n}\\n' },
] as const;

export default defineDrill({
  id: 'k8s-cni-config',
  title: 'Which CNI configuration is in use?',
  domain: 'cluster',
  competencies: ['cluster-config'],
  difficulty: 'medium',
  minutes: 5,
  weight: 3,
  summary: 'Find the CNI configuration file the container runtime loads, and the plugin it configures.',
  scenario: 'k8s-cluster',
  params(r) {
    const prio = r.int(5, 40);
    const leftover = r.pick(LEFTOVERS);
    const [f1, f2] = r.sample(Array.from({ length: 17 }, (_, i) => i + 1), 2) as [number, number];
    return {
      conf: `/etc/cni/net.d/${String(prio).padStart(2, '0')}-flannel.conflist`,
      leftover: `/etc/cni/net.d/${String(r.int(prio + 1, 99)).padStart(2, '0')}-${leftover.file}`,
      leftoverText: leftover.text,
      pathFile: `/opt/answers/q${f1}.txt`,
      pluginFile: `/opt/answers/q${f2}.txt`,
    };
  },
  setup: (p) => [ANSWERS_DIR_SETUP, ...(p.conf === FLANNEL ? [] : [`mv ${FLANNEL} ${p.conf}`]), `printf '${p.leftoverText}' > ${p.leftover}`],
  task: (p) =>
    `The container runtime loads the first network configuration it finds in the node's CNI configuration directory (in lexical order of the file names) and ignores the others.\n` +
    `- Write the full path of the configuration file in use to \`${p.pathFile}\`.\n` +
    `- Write the CNI plugin it configures (the \`type\` of its first plugin) to \`${p.pluginFile}\`.`,
  requirements: (p) => [
    { id: 'path', text: `${p.pathFile} holds the path of the configuration in use`, check: (c) => answerFile(c.world, c.host, p.pathFile, p.conf) },
    { id: 'plugin', text: `${p.pluginFile} names the plugin it configures`, check: (c) => answerFile(c.world, c.host, p.pluginFile, 'flannel', (s) => s.toLowerCase()) },
  ],
  hints: () => [
    'The CNI configuration directory is /etc/cni/net.d; the plugin binaries live in /opt/cni/bin.',
    '`ls /etc/cni/net.d` sorts the names as the runtime does; `cat` the first .conf/.conflist file.',
  ],
  solution: (p) => ['ls /etc/cni/net.d', `cat ${p.conf}`, `echo ${p.conf} > ${p.pathFile}`, `echo flannel > ${p.pluginFile}`],
  wrong: (p) => [
    { name: 'takes the last file', lines: [`echo ${p.leftover} > ${p.pathFile}`, `echo flannel > ${p.pluginFile}`], fails: 'path', mentions: 'not the right answer' },
    { name: 'names the chained plugin', lines: [`echo ${p.conf} > ${p.pathFile}`, `echo portmap > ${p.pluginFile}`], fails: 'plugin', mentions: 'portmap' },
  ],
  alternatives: (p) => [
    ...answerAlternatives([[p.pathFile, p.conf], [p.pluginFile, 'flannel']], ['ls -l /etc/cni/net.d', `cat ${p.conf}`]),
    { name: 'the first file by ls, its first type by grep', lines: [`ls -d /etc/cni/net.d/* | head -1 > ${p.pathFile}`, `grep -m1 '"type"' $(cat ${p.pathFile}) | cut -d'"' -f4 > ${p.pluginFile}`] },
  ],
});
