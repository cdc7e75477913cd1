import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';

// Go's net/http TLS servers met in plain text (net/http conn.serve, tlsRecordHeaderLooksLikeHTTP), and curl
// 7.88.1's rendering of that answer, captured on this project's machine against a server writing the same bytes
// in a namespace: body and exit 0; -v with "HTTP 1.0, assume close after body" and "Closing connection 0";
// -f exit 22.
const GO_400 = 'Client sent an HTTP request to an HTTPS server.\n';

describe("the cluster's Go servers over plain HTTP", () => {
  it('the kubelet (:10250), kube-apiserver (:6443), the scheduler (:10259) and controller-manager (:10257) answer 400', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster') });
    expect(await s.run('curl http://node01:10250/')).toEqual({ output: GO_400, exitCode: 0 });
    expect(await s.run('curl -s http://controlplane:6443/api/v1/pods')).toEqual({ output: GO_400, exitCode: 0 });
    expect(await s.run('curl -s http://127.0.0.1:10259/healthz; curl -s http://127.0.0.1:10257/healthz')).toEqual({ output: GO_400 + GO_400, exitCode: 0 });
    expect(await s.run('curl -v http://node01:10250/pods')).toEqual({
      output:
        '*   Trying 192.168.121.11:10250...\n* Connected to node01 (192.168.121.11) port 10250 (#0)\n> GET /pods HTTP/1.1\n> Host: node01:10250\n> User-Agent: curl/7.88.1\n> Accept: */*\n> \n' +
        '* HTTP 1.0, assume close after body\n< HTTP/1.0 400 Bad Request\n< \n' + GO_400 + '* Closing connection 0\n',
      exitCode: 0,
    });
    expect(await s.run('curl -si http://node01:10250/')).toEqual({ output: 'HTTP/1.0 400 Bad Request\r\n\r\n' + GO_400, exitCode: 0 });
    expect(await s.run('curl -f http://node01:10250/')).toEqual({ output: 'curl: (22) The requested URL returned error: 400\n', exitCode: 22 });
    // the raw bytes, as nc shows them: no headers at all
    expect((await s.run("printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 1 node01 10250")).output).toBe('HTTP/1.0 400 Bad Request\r\n\r\n' + GO_400);
    // TLS is not simulated: an https:// request is not mistaken for plain text (no answer, as before)
    expect((await s.run('curl -sk -m 2 https://node01:10250/; echo rc=$?')).output).toBe('rc=28\n');
  });

  it("the kubelet's healthz port (127.0.0.1:10248) answers plain HTTP as the healthz package does", async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster') });
    expect(await s.run('curl -s http://localhost:10248/healthz')).toEqual({ output: 'ok', exitCode: 0 });
    expect((await s.run("curl -s 'http://127.0.0.1:10248/healthz?verbose'")).output).toBe('[+]ping ok\n[+]syncloop ok\nhealthz check passed\n');
    const nf = (await s.run('curl -si http://127.0.0.1:10248/metrics')).output;
    expect(nf).toMatch(/^HTTP\/1\.1 404 Not Found\r\nContent-Type: text\/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nDate: .* GMT\r\nContent-Length: 19\r\n\r\n404 page not found\n$/);
    // only on localhost, as kubeadm's KubeletConfiguration binds it
    expect((await s.run('curl -s -m 2 http://node01:10248/healthz; echo rc=$?')).output).toBe('rc=7\n');
  });
});
