import { defineDrill } from '../schema';
import { fileText } from '../check';
import { APP_NAMES, NS_POOL, answerFile, appPort, deployment, onNode, putObjects, service, servicePort } from './k8s-lib';

/** A line of iptables-save that belongs to Service NS/NAME (kube-proxy's comments name it, quoted). */
export function ruleOfService(line: string, ns: string, name: string): boolean {
  if (!line.startsWith('-A ')) return false;
  const id = `${ns}/${name}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`["\\s]${id}(["\\s:])`).test(line);
}

export default defineDrill({
  id: 'k8s-svc-iptables-rules',
  title: 'The iptables rules of one Service',
  domain: 'services',
  competencies: ['services', 'troubleshoot-network'],
  difficulty: 'hard',
  minutes: 7,
  weight: 5,
  summary: 'On a worker node, save the nat rules kube-proxy wrote for one Service (and only that Service) to a file.',
  scenario: 'k8s-cluster',
  params(r) {
    const name = r.pick(APP_NAMES);
    const port = appPort(r);
    return { name, ns: r.pick(NS_POOL), decoy: `${name}-${r.pick(['admin', 'metrics', 'v2', 'canary'])}`, port, svcPort: servicePort(r, port), replicas: r.int(2, 3), file: answerFile(r), nodePort: r.pick([true, false]) };
  },
  setup: () => [{ host: 'node01', line: 'mkdir -p /opt/answers' }],
  prepare: (w, p) =>
    putObjects(w, [
      deployment({ name: p.name, namespace: p.ns, replicas: p.replicas, labels: { app: p.name }, port: p.port }),
      service({ name: p.name, namespace: p.ns, selector: { app: p.name }, port: p.svcPort, targetPort: p.port, ...(p.nodePort ? { type: 'NodePort' as const } : {}) }),
      service({ name: p.decoy, namespace: p.ns, selector: { app: p.name }, port: p.svcPort + 1, targetPort: p.port }),
    ]),
  task: (p) =>
    `On the node \`node01\` (\`ssh node01\`), write every rule of the \`nat\` table that kube-proxy made for the Service \`${p.name}\` in namespace \`${p.ns}\`, in \`iptables-save\` format (one \`-A ...\` line per rule), to \`${p.file}\` on node01.\n` +
    `Include the rules of the Service's own chains and the jumps to them, and no rule of any other Service.`,
  requirements: (p) => [
    {
      id: 'rules',
      text: `${p.file} on node01 holds every nat rule of Service ${p.ns}/${p.name}, and no other Service's`,
      check: async (c) => {
        const text = fileText(c.world, 'node01', p.file);
        if (text == null) return `${p.file} does not exist on node01`;
        const r = await onNode(c, 'node01', 'iptables-save -t nat');
        const want = r.output.split('\n').filter((l) => ruleOfService(l, p.ns, p.name));
        if (want.length === 0) return `kube-proxy has no rules for ${p.ns}/${p.name} on node01 any more`;
        const got = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('-A '));
        const missing = want.filter((l) => !got.includes(l));
        if (missing.length) return `${p.file} lacks ${missing.length} of the ${want.length} rules of ${p.ns}/${p.name}`;
        const extra = got.filter((l) => !want.includes(l));
        if (extra.length) return `${p.file} holds ${extra.length} rule(s) that are not ${p.ns}/${p.name}'s`;
        return true;
      },
    },
  ],
  hints: (p) => [
    '`iptables-save -t nat` prints the nat table; kube-proxy puts a comment with `NAMESPACE/NAME` on each of its rules.',
    `A plain \`grep ${p.ns}/${p.name}\` also matches Services whose names start with \`${p.name}\`: anchor the pattern on the characters after the name.`,
    `\`iptables-save -t nat | grep -E '"${p.ns}/${p.name}[ ":]' > ${p.file}\``,
  ],
  solution: (p) => ['ssh node01', `iptables-save -t nat | grep -E '"${p.ns}/${p.name}[ ":]|for ${p.ns}/${p.name} ' > ${p.file}`, `wc -l ${p.file}`, 'exit'],
  alternatives: (p) => [
    { name: 'iptables -S instead of iptables-save', lines: ['ssh node01', `iptables -t nat -S | grep -E '"${p.ns}/${p.name}[ ":]|for ${p.ns}/${p.name} ' > ${p.file}`, 'exit'] },
    { name: 'awk with the quoted comment, left logged in on node01', lines: ['ssh node01', `iptables-save -t nat | awk 'index($0, "\\"${p.ns}/${p.name}\\"") || index($0, "\\"${p.ns}/${p.name} ") || index($0, "for ${p.ns}/${p.name} ")' > ${p.file}`] },
    { name: 'two greps appended, after a look at the chains', lines: ['ssh node01', `iptables -t nat -L KUBE-SERVICES -n | grep ${p.name}`, `iptables-save -t nat | grep '"${p.ns}/${p.name}[ ":]' > ${p.file}`, `iptables-save -t nat | grep 'for ${p.ns}/${p.name} ' >> ${p.file}`, 'exit'] },
  ],
  wrong: (p) => [
    { name: 'greps the name without anchoring it', lines: ['ssh node01', `iptables-save -t nat | grep ${p.ns}/${p.name} > ${p.file}`, 'exit'], fails: 'rules', mentions: 'not' },
    { name: 'writes the file on the control plane', lines: [`mkdir -p /opt/answers`, `iptables-save -t nat | grep -E '"${p.ns}/${p.name}[ ":]' > ${p.file}`], fails: 'rules', mentions: 'does not exist on node01' },
    { name: 'keeps only the KUBE-SERVICES jump', lines: ['ssh node01', `iptables-save -t nat | grep KUBE-SERVICES | grep '"${p.ns}/${p.name} ' > ${p.file}`, 'exit'], fails: 'rules', mentions: 'lacks' },
  ],
});
