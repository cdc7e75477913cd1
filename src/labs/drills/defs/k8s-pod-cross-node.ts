import { defineDrill } from '../schema';
import { answerFile as answerIn } from '../check';
import { APP_NAMES, AGNHOST, NS_POOL, answerFile, appPort, applyLines, cluster, fromPod, getObj, putObjects, running, jsonApply } from './k8s-lib';

export default defineDrill({
  id: 'k8s-pod-cross-node',
  title: 'A pod on the control plane, reached from a worker',
  domain: 'services',
  competencies: ['pod-connectivity'],
  difficulty: 'medium',
  minutes: 7,
  weight: 5,
  summary: 'Run a pod on a given node, then check that a pod on another node reaches it directly by its IP, across the pod network.',
  scenario: 'k8s-cluster',
  params(r) {
    const name = `${r.pick(APP_NAMES)}-${r.pick(['probe', 'echo', 'target', 'server'])}`;
    return { name, ns: r.pick(NS_POOL), port: appPort(r), file: answerFile(r) };
  },
  setup: () => ['mkdir -p /opt/answers'],
  prepare: (w, p) => putObjects(w, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.ns } }], 5_000),
  task: (p) =>
    `- In namespace \`${p.ns}\`, run a pod \`${p.name}\` on the node **controlplane** (the control plane is tainted: pin the pod to the node by name) with the image \`${AGNHOST}\` and the arguments \`netexec --http-port=${p.port}\`.\n` +
    `- Write the pod's IP address to \`${p.file}\`.\n` +
    `- Pods on node01 must reach \`http://POD-IP:${p.port}/hostname\` directly, without a Service.`,
  requirements: (p) => [
    {
      id: 'pod',
      text: `pod ${p.name} runs on controlplane in ${p.ns}`,
      check: (c) => {
        const pod = getObj(cluster(c), 'pods', p.ns, p.name);
        if (!pod) return `there is no pod ${p.name} in namespace ${p.ns}`;
        if (pod.spec?.nodeName !== 'controlplane') return `pod ${p.name} runs on ${pod.spec?.nodeName ?? 'no node'}, not on controlplane`;
        return running(pod) ? true : `pod ${p.name} is not running`;
      },
    },
    {
      id: 'ip',
      text: `${p.file} holds the pod's IP address`,
      check: (c) => {
        const ip = getObj(cluster(c), 'pods', p.ns, p.name)?.status?.podIP;
        return ip ? answerIn(c.world, c.host, p.file, ip) : `pod ${p.name} has no IP address`;
      },
    },
    {
      id: 'reach',
      text: `a pod on node01 gets the answer ${p.name} from http://POD-IP:${p.port}/hostname`,
      check: async (c) => {
        const ip = getObj(cluster(c), 'pods', p.ns, p.name)?.status?.podIP;
        if (!ip) return `pod ${p.name} has no IP address`;
        const r = await fromPod(c, { namespace: 'default' }, `curl -s -m 3 http://${ip}:${p.port}/hostname`);
        return r.exitCode === 0 && r.output.trim() === p.name ? true : `http://${ip}:${p.port}/hostname does not answer with ${p.name} from a pod on node01`;
      },
    },
  ],
  hints: (p) => [
    'The scheduler respects the control plane\'s NoSchedule taint; a pod whose `spec.nodeName` is set skips the scheduler.',
    `Generate the pod with \`kubectl run ${p.name} --image=... --dry-run=client -o yaml -- netexec --http-port=${p.port}\`, add \`nodeName: controlplane\` under \`spec:\`, and apply.`,
    `\`kubectl -n ${p.ns} get pod ${p.name} -o jsonpath='{.status.podIP}'\``,
  ],
  solution: (p) => [
    ...applyLines(
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.ns }, spec: { nodeName: 'controlplane', containers: [{ name: 'server', image: AGNHOST, args: ['netexec', `--http-port=${p.port}`] }] } },
      `/root/${p.name}.yaml`,
    ),
    'sleep 10',
    `kubectl -n ${p.ns} get pod ${p.name} -o jsonpath='{.status.podIP}' > ${p.file}`,
    `curl -s http://$(cat ${p.file}):${p.port}/hostname`,
  ],
  alternatives: (p) => [
    { name: 'JSON on standard input', lines: [jsonApply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.ns }, spec: { nodeName: 'controlplane', containers: [{ name: 'agnhost', image: AGNHOST, args: ['netexec', `--http-port=${p.port}`] }] } }), 'sleep 5', `kubectl get pod ${p.name} -n ${p.ns} -o wide | awk 'NR == 2 {print $6}' > ${p.file}`] },
    {
      name: 'a toleration and a nodeSelector instead of nodeName',
      lines: [
        ...applyLines({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.ns }, spec: { nodeSelector: { 'kubernetes.io/hostname': 'controlplane' }, tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }], containers: [{ name: 'srv', image: AGNHOST, args: ['netexec', `--http-port=${p.port}`], ports: [{ containerPort: p.port }] }] } }, '/root/pod.yaml'),
        'sleep 10',
        `kubectl -n ${p.ns} get pod ${p.name} -o jsonpath='{.status.podIP}' > ${p.file}`,
      ],
    },
    { name: 'manifest, then the IP written with echo', lines: [...applyLines({ kind: 'Pod', apiVersion: 'v1', metadata: { namespace: p.ns, name: p.name }, spec: { containers: [{ image: AGNHOST, name: 'c', args: ['netexec', `--http-port=${p.port}`] }], nodeName: 'controlplane' } }, '/tmp/p.yaml'), 'sleep 8', `echo $(kubectl -n ${p.ns} get pod ${p.name} -o jsonpath='{.status.podIP}') > ${p.file}`] },
  ],
  wrong: (p) => [
    {
      name: 'lets the scheduler place the pod',
      lines: [`kubectl -n ${p.ns} run ${p.name} --image=${AGNHOST} -- netexec --http-port=${p.port}`],
      fails: 'pod',
      mentions: 'not on controlplane',
    },
    {
      name: 'writes the node’s address instead of the pod’s',
      lines: [jsonApply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.ns }, spec: { nodeName: 'controlplane', containers: [{ name: 'agnhost', image: AGNHOST, args: ['netexec', `--http-port=${p.port}`] }] } }), 'sleep 5', `kubectl get pod ${p.name} -n ${p.ns} -o wide | awk 'NR == 2 {print $6}' > /dev/null`, `echo 192.168.121.10 > ${p.file}`],
      fails: 'ip',
      mentions: 'not the right answer',
    },
  ],
});
