// busybox wget in a busybox pod on the simulated cluster, and issue 12's
// end-to-end check: a Deployment behind a Service, reached from a client pod
// over kube-proxy's rules, every replica answering in turn.
import { beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';

type S = Awaited<ReturnType<typeof Session.create>>;

async function clusterWithClient(): Promise<S> {
  const s = await Session.create({ scenario: getScenario('k8s-cluster'), host: 'controlplane' });
  for (const l of ['kubectl create deployment web --image=nginx --replicas=3', 'kubectl expose deployment web --port=80', 'kubectl run client --image=busybox --restart=Never -- sleep 3600']) {
    expect((await s.run(l)).exitCode).toBe(0);
  }
  await s.run('sleep 30');
  return s;
}

const out = async (s: S, line: string) => (await s.run(line)).output;

describe('busybox wget in a pod', () => {
  let s: S;
  let ip: string;
  beforeAll(async () => {
    s = await clusterWithClient();
    ip = (await out(s, 'kubectl get svc web -o jsonpath={.spec.clusterIP}')).trim();
  });

  it('-qO- prints the page; -O- adds the messages and the progress line (as busybox 1.37 on a pipe)', async () => {
    const q = await s.run('kubectl exec client -- wget -qO- web');
    expect(q.exitCode).toBe(0);
    expect(q.output).toMatch(/^<!DOCTYPE html>\n[\s\S]*<title>Welcome to nginx!<\/title>[\s\S]*<\/html>\n$/);
    const v = await s.run('kubectl exec client -- wget -O- web 2>&1 >/dev/null | tr -d "\\r"');
    expect(v.output).toBe(`Connecting to web (${ip}:80)\nwriting to stdout\n-                    100% |********************************|   615  0:00:00 ETA\nwritten to stdout\n`);
  });

  it('saves index.html, refuses to overwrite it without -O, and -O FILE overwrites', async () => {
    const a = await s.run('kubectl exec client -- wget web 2>&1 | tr -d "\\r"');
    expect(a).toEqual({ output: `Connecting to web (${ip}:80)\nsaving to 'index.html'\nindex.html           100% |********************************|   615  0:00:00 ETA\n'index.html' saved\n`, exitCode: 0 });
    const b = await s.run('kubectl exec client -- wget web 2>&1');
    expect(b).toEqual({ output: `Connecting to web (${ip}:80)\nwget: can't open 'index.html': File exists\ncommand terminated with exit code 1\n`, exitCode: 1 });
    const c = await s.run('kubectl exec client -- wget -q -O page.html web');
    expect(c).toEqual({ output: '', exitCode: 0 });
  });

  it('-S shows the response headers, --spider only checks, -U and --header reach the server', async () => {
    const r = await out(s, 'kubectl exec client -- wget -S --spider -U probe/1 --header "X-Test: 1" web 2>&1');
    expect(r).toMatch(new RegExp(`^Connecting to web \\(${ip.replace(/\./g, '\\.')}:80\\)\n  HTTP/1.1 200 OK\n  Server: nginx/[\\d.]+\n  Date: .+ GMT\n  Content-Type: text/html\n  Content-Length: 615\n  Last-Modified: .+\n  Connection: close\n  ETag: .+\n  Accept-Ranges: bytes\n  \nremote file exists\n$`));
    const pods = (await out(s, 'kubectl get pods -l app=web -o name')).trim().split('\n');
    let logs = '';
    for (const p of pods) logs += await out(s, `kubectl logs ${p}`);
    expect(logs).toMatch(/^10\.244\.\d+\.\d+ - - \[\d\d\/Nov\/2026:\d\d:\d\d:\d\d \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "probe\/1" "-"$/m);
  });

  it('its errors and exit codes: 404, bad address, refused, timed out, usage', async () => {
    expect(await s.run('kubectl exec client -- wget -q web/nope')).toEqual({ output: 'wget: server returned error: HTTP/1.1 404 Not Found\ncommand terminated with exit code 1\n', exitCode: 1 });
    expect(await s.run('kubectl exec client -- wget nosuchname')).toEqual({ output: "wget: bad address 'nosuchname'\ncommand terminated with exit code 1\n", exitCode: 1 });
    const podIP = (await out(s, 'kubectl get pod client -o jsonpath={.status.podIP}')).trim();
    const refused = await s.run(`kubectl exec client -- wget ${podIP}:81`);
    expect(refused).toEqual({ output: `Connecting to ${podIP}:81 (${podIP}:81)\nwget: can't connect to remote host (${podIP}): Connection refused\ncommand terminated with exit code 1\n`, exitCode: 1 });
    // an address on the node network where nothing answers ARP: wget's 2 s run out before the node gives up
    expect(await s.run('kubectl exec client -- wget -q -T 2 192.168.121.99')).toEqual({ output: 'wget: download timed out\ncommand terminated with exit code 1\n', exitCode: 1 });
    // a cluster IP no Service holds leaves through the node's gateway, the lab's KVM host, which has no
    // route out (no internet): its ICMP network unreachable ends the connect
    expect(await s.run('kubectl exec client -- wget -q -T 2 10.96.0.99')).toEqual({ output: "wget: can't connect to remote host (10.96.0.99): Network is unreachable\ncommand terminated with exit code 1\n", exitCode: 1 });
    const usage = await s.run('kubectl exec client -- wget -x web');
    expect(usage.exitCode).toBe(1);
    expect(usage.output).toMatch(/^wget: invalid option -- 'x'\nBusyBox v1\.37\.0 .* multi-call binary\.\n\nUsage: wget \[-cqS\] \[--spider\]/);
  });

  it('is a busybox applet: not on the nodes, not in an nginx container', async () => {
    expect(await s.run('wget web')).toEqual({ output: 'bash: wget: command not found\n', exitCode: 127 });
    const pod = (await out(s, 'kubectl get pods -l app=web -o name')).trim().split('\n')[0]!;
    const r = await s.run(`kubectl exec ${pod} -- wget -qO- web`);
    expect(r.exitCode).toBe(1);
    expect(r.output).toContain('exec: "wget": executable file not found in $PATH: unknown');
  });
});

describe('issue 12: a Deployment behind a Service, from a client pod', () => {
  it('reaches all three pods by kube-proxy probabilities, scale rewrites them, nslookup answers, the NodePort answers on every node', async () => {
    const s = await clusterWithClient();
    const pods = (await out(s, 'kubectl get pods -l app=web -o name')).trim().split('\n');
    expect(pods).toHaveLength(3);
    for (let i = 0; i < 24; i++) {
      const r = await s.run('kubectl exec client -- wget -qO- web');
      expect(r.exitCode).toBe(0);
      expect(r.output).toContain('<h1>Welcome to nginx!</h1>');
    }
    // each replica's nginx logged requests from the client pod: the rules spread them over all three
    const client = (await out(s, 'kubectl get pod client -o jsonpath={.status.podIP}')).trim();
    const counts: number[] = [];
    for (const p of pods) {
      const lines = (await out(s, `kubectl logs ${p}`)).split('\n').filter((l) => l.startsWith(`${client} - - [`) && l.includes('"GET / HTTP/1.1" 200 615 "-" "Wget" "-"'));
      counts.push(lines.length);
    }
    expect(counts.every((n) => n > 0)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(24);

    // node01's KUBE-SVC chain of default/web:http... here the port has no name: default/web
    const svcs = await out(s, 'ssh node01 iptables -t nat -L KUBE-SERVICES -n');
    const chain = /^(KUBE-SVC-[A-Z0-9]{16}) +(?:tcp|6) +-- +0\.0\.0\.0\/0 +\S+ +\/\* default\/web cluster IP \*\//m.exec(svcs)?.[1];
    expect(chain).toBeDefined();
    const three = await out(s, `ssh node01 iptables -t nat -L ${chain} -n`);
    const jumps = three.split('\n').filter((l) => l.startsWith('KUBE-SEP-'));
    expect(jumps).toHaveLength(3);
    expect(jumps[0]).toContain('statistic mode random probability 0.33333333349');
    expect(jumps[1]).toContain('statistic mode random probability 0.50000000000');
    expect(jumps[2]).not.toContain('probability');
    expect((await s.run('kubectl scale deployment web --replicas=1')).exitCode).toBe(0);
    await s.run('sleep 35');
    const one = await out(s, `ssh node01 iptables -t nat -L ${chain} -n`);
    const left = one.split('\n').filter((l) => l.startsWith('KUBE-SEP-'));
    expect(left).toHaveLength(1);
    expect(one).not.toContain('probability');

    const clusterIP = (await out(s, 'kubectl get svc web -o jsonpath={.spec.clusterIP}')).trim();
    // busybox's nslookup: A and AAAA for each search domain, all sent at once and printed as the replies
    // arrive, the other domains' NXDOMAIN, exit 1 (as the real applet)
    const ns = await s.run('kubectl exec client -- nslookup web');
    expect(ns.exitCode).toBe(1);
    expect(ns.output.startsWith('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n')).toBe(true);
    expect(ns.output.endsWith('\n\ncommand terminated with exit code 1\n')).toBe(true);
    const lines = ns.output.split('\n').slice(3, -2).filter(Boolean).sort();
    const nx = (d: string) => `** server can't find web.${d}cluster.local: NXDOMAIN`;
    expect(lines).toEqual(['Name:\tweb.default.svc.cluster.local', `Address: ${clusterIP}`, nx('svc.'), nx('svc.'), nx(''), nx('')].sort());
    // an empty line after each reply: the AAAA answer for the Service's name is empty (it has no AAAA)
    expect(ns.output.split('\n').length).toBe(3 + 2 + 1 + 4 * 2 + 1 + 1 + 1);
    const fq = await s.run('kubectl exec client -- nslookup web.default.svc.cluster.local');
    // the A and the (empty) AAAA reply are printed in the order they arrive: the two queries may go to different
    // CoreDNS pods (kube-proxy's random pick), one on this node and one across the overlay
    const head = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';
    const a = `Name:\tweb.default.svc.cluster.local\nAddress: ${clusterIP}\n\n`;
    expect(fq.exitCode).toBe(0);
    expect([head + a + '\n', head + '\n' + a]).toContain(fq.output);
    // the node's own nslookup is BIND's
    expect((await s.run(`nslookup web.default.svc.cluster.local 10.96.0.10`)).output).toContain('Address: ' + clusterIP);

    expect((await s.run('kubectl expose deployment web --name=web-np --type=NodePort --port=80')).exitCode).toBe(0);
    const port = (await out(s, 'kubectl get svc web-np -o jsonpath={.spec.ports[0].nodePort}')).trim();
    const nodeIPs = (await out(s, 'kubectl get nodes -o jsonpath={.items[*].status.addresses[0].address}')).trim().split(' ');
    expect(nodeIPs.length).toBeGreaterThanOrEqual(2);
    for (const n of nodeIPs) {
      expect(await s.run(`curl -s -o /dev/null -w '%{http_code}\\n' http://${n}:${port}/`)).toEqual({ output: '200\n', exitCode: 0 });
      expect((await s.run(`kubectl exec client -- wget -qO- http://${n}:${port}/`)).output).toContain('<h1>Welcome to nginx!</h1>');
    }
  });
});
