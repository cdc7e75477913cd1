// The order of a command's stdout and stderr (CmdResult.chunks): written in
// order where the two streams meet, kept apart where redirections split them.
import { describe, expect, it } from 'vitest';
import { Session } from './session';
import { ordered } from '../commands/types';
import { getScenario } from '../labs/scenarios/index';

const WARN = 'Warning: /8 as prefix is invalid, only /32 (or none) is supported.\n';
const ANSWER = '10.1.0.0 dev v0 src 10.1.0.1 uid 0 \n    cache \n';

async function routed(): Promise<Session> {
  const s = await Session.create();
  await s.run('ip link add v0 type veth peer name v1; ip link set v0 up; ip link set v1 up; ip addr add 10.1.0.1/24 dev v0');
  return s;
}

describe('ordered()', () => {
  it('splits the chunks into the two streams and keeps them in order', () => {
    const r = ordered([[2, 'w1\n'], [1, 'a\n'], [2, ''], [2, 'w2\n'], [1, 'b\n']], 3);
    expect(r).toEqual({ stdout: 'a\nb\n', stderr: 'w1\nw2\n', exitCode: 3, chunks: [[2, 'w1\n'], [1, 'a\n'], [2, 'w2\n'], [1, 'b\n']] });
  });
});

describe('stderr printed before stdout by one command', () => {
  it('comes first on the terminal, alone or in a compound line', async () => {
    const s = await routed();
    expect(await s.run('ip route get 10.1.0.0/8')).toEqual({ output: WARN + ANSWER, exitCode: 0 });
    expect((await s.run('echo a; ip route get 10.1.0.0/8; echo b')).output).toBe('a\n' + WARN + ANSWER + 'b\n');
    expect((await s.run('for i in 1 2; do ip route get 10.1.0.0/8; done')).output).toBe((WARN + ANSWER).repeat(2));
  });

  it('an alias of one of our commands keeps the order too', async () => {
    const s = await routed();
    await s.run("alias r='ip route'");
    expect((await s.run('r get 10.1.0.0/8')).output).toBe(WARN + ANSWER);
    expect((await s.run('r get 10.1.0.0/8 2>/dev/null')).output).toBe(ANSWER);
  });

  it('2>/dev/null hides the warning; >/dev/null keeps only it', async () => {
    const s = await routed();
    expect((await s.run('ip route get 10.1.0.0/8 2>/dev/null')).output).toBe(ANSWER);
    expect((await s.run('ip route get 10.1.0.0/8 >/dev/null')).output).toBe(WARN);
  });

  it('a pipe gets stdout only (the warning goes to the terminal)', async () => {
    const s = await routed();
    const r = await s.run('ip route get 10.1.0.0/8 | wc -l');
    expect(r.output.split('\n').filter(Boolean).sort()).toEqual(['2', WARN.trim()].sort());
    expect((await s.run('ip route get 10.1.0.0/8 2>/dev/null | wc -l')).output).toBe('2\n');
  });

  it('2>&1 into a pipe or &> into a file keeps the order; 2>&1 >/dev/null passes the warning only', async () => {
    const s = await routed();
    expect((await s.run('ip route get 10.1.0.0/8 2>&1 | cat')).output).toBe(WARN + ANSWER);
    expect((await s.run('ip route get 10.1.0.0/8 2>&1 >/dev/null | cat')).output).toBe(WARN);
    expect((await s.run('ip route get 10.1.0.0/8 &>/tmp/o; cat /tmp/o')).output).toBe(WARN + ANSWER);
    expect((await s.run('ip route get 10.1.0.0/8 >/tmp/p 2>&1; cat /tmp/p')).output).toBe(WARN + ANSWER);
    expect((await s.run('ip route get 10.1.0.0/8 2>/tmp/e >/tmp/f; cat /tmp/e; echo --; cat /tmp/f')).output).toBe(WARN + '--\n' + ANSWER);
  });

  it('getent and dig warn before their other output', async () => {
    const s = await Session.create();
    expect(await s.run('getent nosuchdb foo')).toEqual({ output: "Unknown database: nosuchdb\nTry `getent --help' or `getent --usage' for more information.\n", exitCode: 1 });
    expect((await s.run('getent nosuchdb foo 2>/dev/null')).output).toBe("Try `getent --help' or `getent --usage' for more information.\n");
    const dig = (await s.run('dig -t BOGUS example.com')).output;
    expect(dig.startsWith(';; Warning, ignoring invalid type BOGUS\n')).toBe(true);
    expect((await s.run('dig -t BOGUS example.com 2>/dev/null')).output).not.toContain('Warning');
  });

  it('net-tools usage: interleaved on the terminal, 2>/dev/null keeps the stdout part', async () => {
    const s = await Session.create();
    const all = (await s.run('route -A')).output;
    const out = (await s.run('route -A 2>/dev/null')).output;
    const err = (await s.run('route -A 2>&1 >/dev/null')).output;
    expect(all.startsWith("route: option requires an argument -- 'A'\nUsage: route")).toBe(true);
    expect(out.startsWith('Usage: route')).toBe(true);
    expect(err.startsWith("route: option requires an argument -- 'A'\n")).toBe(true);
    expect(err).not.toContain('Usage: route');
    expect(all.length).toBe(out.length + err.length);
  });

  it("sysctl: a key's error comes between the values around it", async () => {
    const s = await Session.create();
    const cmd = 'sysctl net.ipv4.ip_forward nosuch.key net.ipv4.conf.all.forwarding';
    expect(await s.run(cmd)).toEqual({ output: 'net.ipv4.ip_forward = 0\nsysctl: cannot stat /proc/sys/nosuch/key: No such file or directory\nnet.ipv4.conf.all.forwarding = 0\n', exitCode: 1 });
    expect((await s.run(`${cmd} 2>/dev/null`)).output).toBe('net.ipv4.ip_forward = 0\nnet.ipv4.conf.all.forwarding = 0\n');
  });

  it('curl -v: request and response headers, the body, then the connection note', async () => {
    const s = await Session.create({ scenario: getScenario('proxy-lab'), host: 'client', seed: 3 });
    const lines = (await s.run('curl -v http://10.0.0.10/')).output.split('\n');
    const body = lines.indexOf('Hello from web1');
    expect(lines[body - 1]).toBe('< ');
    expect(lines[body + 1]).toBe('* Connection #0 to host 10.0.0.10 left intact');
    expect(lines[0]).toBe('*   Trying 10.0.0.10:80...');
    expect((await s.run('curl -v http://10.0.0.10/ 2>/dev/null')).output).toBe('Hello from web2\n');
  });

  it("nc -v: 'succeeded!' before the reply", async () => {
    const s = await Session.create({ scenario: getScenario('proxy-lab'), host: 'client', seed: 3 });
    const r = await s.run("printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -v 10.0.0.11 8080");
    expect(r.output.startsWith('Connection to 10.0.0.11 8080 port [tcp/http-alt] succeeded!\nHTTP/1.0 200 OK\r\n')).toBe(true);
  });

  it('ping -b warns before PING', async () => {
    const s = await routed();
    const r = await s.run('ping -b -c 1 10.1.0.255');
    expect(r.output.startsWith('WARNING: pinging broadcast address\nPING 10.1.0.255 (10.1.0.255) 56(84) bytes of data.\n')).toBe(true);
    expect((await s.run('ping -b -c 1 10.1.0.255 2>/dev/null')).output.startsWith('PING ')).toBe(true);
  });

  it('lines run by a command (ip netns exec, bash -c) honour the caller\'s redirections', async () => {
    const s = await Session.create();
    await s.run('ip netns add x');
    const err = "ls: cannot access '/nope': No such file or directory\n";
    expect((await s.run('ip netns exec x ls /nope; echo rc=$?')).output).toBe(err + 'rc=2\n');
    expect((await s.run('ip netns exec x ls /nope 2>/dev/null; echo rc=$?')).output).toBe('rc=2\n');
    expect((await s.run('ip netns exec x bash -c "ls /nope; echo hi"')).output).toBe(err + 'hi\n');
    expect((await s.run('ip netns exec x bash -c "ls /nope; echo hi" 2>/dev/null')).output).toBe('hi\n');
    expect((await s.run('bash -c "ls /nope; echo hi" 2>/dev/null')).output).toBe('hi\n');
    expect((await s.run('bash -c "ls /nope; echo hi" 2>&1 | cat')).output).toBe(err + 'hi\n');
  });

  it('the marker stays out of the environment', async () => {
    const s = await Session.create();
    expect((await s.run('env | grep -c NETLAB_MERGED')).output).toBe('0\n');
  });
});
