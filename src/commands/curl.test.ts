import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';

describe('curl and the simulated HTTP servers', () => {
  it('the reverse proxy spreads requests over its backends in turn, and names itself in Server', async () => {
    const s = await Session.create({ scenario: getScenario('proxy-lab'), host: 'client', seed: 3 });
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) bodies.push((await s.run('curl -s http://10.0.0.10/')).output);
    expect(bodies).toEqual(['Hello from web1\n', 'Hello from web2\n', 'Hello from web1\n', 'Hello from web2\n']);
    const head = await s.run('curl -s -I http://10.0.0.10/');
    expect(head.output.split('\r\n').slice(0, 2)).toEqual(['HTTP/1.1 200 OK', 'Server: nginx/1.22.1']);
    expect(head.output).toContain('Content-Length: 16\r\n');
    expect((await s.run('curl -s -o /dev/null -w "%{http_code} %{remote_ip}\\n" http://proxy/')).output).toBe('200 10.0.0.10\n');
  });

  it('reports connection failures as curl does', async () => {
    const s = await Session.create({ scenario: getScenario('proxy-lab'), host: 'client', seed: 3 });
    expect(await s.run('curl http://10.0.0.10:81/')).toEqual({ output: "curl: (7) Failed to connect to 10.0.0.10 port 81 after 0 ms: Couldn't connect to server\n", exitCode: 7 });
    expect(await s.run('curl -s http://10.0.0.10:81/')).toEqual({ output: '', exitCode: 7 });
    expect(await s.run('curl http://no-such-host/')).toEqual({ output: 'curl: (6) Could not resolve host: no-such-host\n', exitCode: 6 });
    const t = await s.run('curl --connect-timeout 2 http://10.0.0.99/');
    expect(t.exitCode).toBe(28);
    expect(t.output).toMatch(/^curl: \(28\) Connection timed out after 20\d\d milliseconds\n$/);
  });

  it('nc talks HTTP to a backend and scans ports', async () => {
    const s = await Session.create({ scenario: getScenario('proxy-lab'), host: 'client', seed: 3 });
    const r = await s.run("printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc 10.0.0.11 8080");
    expect(r.output.startsWith('HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\n')).toBe(true);
    expect(r.output.endsWith('\r\n\r\nHello from web1\n')).toBe(true);
    expect(await s.run('nc -zv 10.0.0.12 8079-8080')).toEqual({
      output: 'nc: connect to 10.0.0.12 port 8079 (tcp) failed: Connection refused\nConnection to 10.0.0.12 8080 port [tcp/http-alt] succeeded!\n',
      exitCode: 0,
    });
    expect(await s.run('nc -z 10.0.0.12 8079')).toEqual({ output: '', exitCode: 1 });
  });
});
