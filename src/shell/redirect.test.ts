// Failed redirections to files, as bash reports them (captured on real Linux,
// on a machine of the corpus's kind): an open that fails (EACCES, ENOENT,
// EISDIR) prints `bash: PATH: strerror` and does not run the command; a
// write the kernel refuses (EINVAL) prints `bash: CMD: write error: ...`;
// both give status 1 and the line goes on.
import { describe, expect, it } from 'vitest';
import { Session } from './session';

const FWD = '/proc/sys/net/ipv4/ip_forward';

describe('redirection to a file that refuses the write', () => {
  it('a value the kernel rejects: bash: echo: write error, status 1, the line goes on', async () => {
    const s = await Session.create();
    expect(await s.run(`echo abc > ${FWD}`)).toEqual({ output: 'bash: echo: write error: Invalid argument\n', exitCode: 1 });
    expect((await s.run('echo $?')).output).toBe('1\n');
    expect(await s.run(`echo abc > ${FWD}; echo rc=$?`)).toEqual({ output: 'bash: echo: write error: Invalid argument\nrc=1\n', exitCode: 0 });
    expect((await s.run(`printf 'x\\n' > ${FWD}`)).output).toBe('bash: printf: write error: Invalid argument\n');
    expect((await s.run(`cat ${FWD}`)).output).toBe('0\n');
  });

  it('inside a loop each iteration gets its own status and the loop goes on', async () => {
    const s = await Session.create();
    const r = await s.run(`for v in a 1; do echo $v > ${FWD}; echo "rc=$?"; done`);
    expect(r.output).toBe('bash: echo: write error: Invalid argument\nrc=1\nrc=0\n');
    expect((await s.run(`cat ${FWD}`)).output).toBe('1\n');
  });

  it('&& and || see the failure; 2>/dev/null hides the message, not the status', async () => {
    const s = await Session.create();
    expect((await s.run(`echo x > ${FWD} && echo yes || echo no`)).output).toBe('bash: echo: write error: Invalid argument\nno\n');
    expect((await s.run(`echo 1 > ${FWD} && echo yes`)).output).toBe('yes\n');
    expect((await s.run(`echo x > ${FWD} 2>/dev/null; echo rc=$?`)).output).toBe('rc=1\n');
  });
});

describe('redirection to a file that cannot be opened', () => {
  it('a read-only /proc file: Permission denied, the command does not run', async () => {
    const s = await Session.create();
    expect(await s.run('echo 1 > /proc/sys/net/ipv4/conf/all/mc_forwarding')).toEqual({ output: 'bash: /proc/sys/net/ipv4/conf/all/mc_forwarding: Permission denied\n', exitCode: 1 });
    expect((await s.run('cat /proc/sys/net/ipv4/conf/all/mc_forwarding')).output).toBe('0\n');
  });

  it('a missing file or directory: No such file or directory, with the path as typed', async () => {
    const s = await Session.create();
    expect(await s.run('echo 1 > /proc/sys/net/ipv4/nosuch; echo rc=$?')).toEqual({ output: 'bash: /proc/sys/net/ipv4/nosuch: No such file or directory\nrc=1\n', exitCode: 0 });
    expect((await s.run('cd /tmp; echo 1 > nosuch/x; echo rc=$?')).output).toBe('bash: nosuch/x: No such file or directory\nrc=1\n');
    expect((await s.run('echo x > /proc/sys/net/ipv4')).output).toBe('bash: /proc/sys/net/ipv4: Is a directory\n');
  });

  it('the command is not run when its redirection fails', async () => {
    const s = await Session.create();
    expect((await s.run('ip link add v9 type veth peer name v10 > /nosuch/log; ip -br link show v9')).output).toBe('bash: /nosuch/log: No such file or directory\nDevice "v9" does not exist.\n');
  });

  it('a 2>/dev/null before the failing target hides the message, one after it does not', async () => {
    const s = await Session.create();
    expect(await s.run('echo 1 2>/dev/null > /nosuch/x')).toEqual({ output: '', exitCode: 1 });
    expect(await s.run('echo 1 > /nosuch/x 2>/dev/null')).toEqual({ output: 'bash: /nosuch/x: No such file or directory\n', exitCode: 1 });
  });

  it('a later command of the line still runs, in order', async () => {
    const s = await Session.create();
    expect((await s.run('echo a; echo 1 > /nosuch/x; echo b')).output).toBe('a\nbash: /nosuch/x: No such file or directory\nb\n');
  });
});

describe('kernel files with their modes', () => {
  it('a write-only file (route/flush) takes a write but gives nothing to read', async () => {
    const s = await Session.create();
    expect(await s.run('echo 1 > /proc/sys/net/ipv4/route/flush; echo rc=$?')).toEqual({ output: 'rc=0\n', exitCode: 0 });
    expect((await s.run('test -e /proc/sys/net/ipv4/route/flush && echo exists')).output).toBe('exists\n');
    expect((await s.run('cat /proc/sys/net/ipv4/route/flush; echo rc=$?')).output).toMatch(/^cat: \/proc\/sys\/net\/ipv4\/route\/flush: .*\nrc=1\n$/);
  });

  it('a file without a writer (/proc/net/route) and a directory refuse the open', async () => {
    const s = await Session.create();
    expect((await s.run('echo 1 > /proc/net/route')).output).toBe('bash: /proc/net/route: Permission denied\n');
    expect((await s.run('echo 1 > /proc/sys')).output).toBe('bash: /proc/sys: Is a directory\n');
  });
});

describe('tee to a file that refuses', () => {
  it('names the error as GNU tee does: open failures before the copy, refused writes after', async () => {
    const s = await Session.create();
    expect(await s.run(`echo abc | tee ${FWD}; echo rc=$?`)).toEqual({ output: 'abc\ntee: /proc/sys/net/ipv4/ip_forward: Invalid argument\nrc=1\n', exitCode: 0 });
    expect((await s.run('echo 1 | tee /proc/sys/net/ipv4/conf/all/mc_forwarding')).output).toBe('tee: /proc/sys/net/ipv4/conf/all/mc_forwarding: Permission denied\n1\n');
    expect((await s.run('echo 1 | tee /nosuch/x /tmp/ok; echo rc=$?; cat /tmp/ok')).output).toBe('tee: /nosuch/x: No such file or directory\n1\nrc=1\n1\n');
    expect((await s.run(`echo 1 | tee ${FWD} > /dev/null; cat ${FWD}`)).output).toBe('1\n');
    expect((await s.run(`echo abc | tee ${FWD} 2>/dev/null`)).output).toBe('abc\n');
  });
});

describe('compound commands with redirections', () => {
  it('report open and write failures the same way and let the line go on', async () => {
    const s = await Session.create();
    expect((await s.run('{ echo a; } > /proc/sys/net/ipv4/nosuch; echo after')).output).toBe('bash: /proc/sys/net/ipv4/nosuch: No such file or directory\nafter\n');
    expect((await s.run(`{ echo a; } > ${FWD}; echo rc=$?`)).output).toBe('bash: echo: write error: Invalid argument\nrc=1\n');
    expect((await s.run('if true; then echo yes; fi > /nosuch/z; echo rc=$?')).output).toBe('bash: /nosuch/z: No such file or directory\nrc=1\n');
  });

  it('still write where they should', async () => {
    const s = await Session.create();
    expect((await s.run('for i in 1 2; do echo $i; done > /tmp/o; (echo sub) >> /tmp/o; cat /tmp/o')).output).toBe('1\n2\nsub\n');
    expect((await s.run('f() { echo in f; } > /tmp/q; f; cat /tmp/q')).output).toBe('in f\n');
    expect((await s.run('while read l; do echo "<$l>"; done < /tmp/o')).output).toBe('<1>\n<2>\n<sub>\n');
  });
});

describe('ordinary redirections are unchanged', () => {
  it('write, append, variables and ~ in the target; exit status of the command', async () => {
    const s = await Session.create();
    expect((await s.run('echo hi > /tmp/f; echo there >> /tmp/f; cat /tmp/f')).output).toBe('hi\nthere\n');
    expect((await s.run('f=/tmp/g; echo a > $f; cat "$f"; echo b > ~/h; cat /root/h')).output).toBe('a\nb\n');
    expect((await s.run('ls /nope > /tmp/o; echo rc=$?')).output).toBe("ls: cannot access '/nope': No such file or directory\nrc=2\n");
    expect((await s.run(`echo 1 > ${FWD}; cat ${FWD}`)).output).toBe('1\n');
  });

  it('$_ is still the last word of the redirected command', async () => {
    const s = await Session.create();
    expect((await s.run('echo hello world > /tmp/f; echo $_; pwd > /tmp/g; echo $_')).output).toBe('world\npwd\n');
  });

  it('set -x traces the commands as bash does, without the session\'s own words', async () => {
    const s = await Session.create();
    expect((await s.run('set -x; echo hi > /tmp/f; ip -br link > /dev/null; set +x')).output).toBe('+ echo hi\n+ ip -br link\n+ set +x\n');
  });

  it('the helper stays out of sight (completion, /bin)', async () => {
    const s = await Session.create();
    expect(s.commandNames().some((n) => n.startsWith('__'))).toBe(false);
    expect((await s.run('ls /bin | grep -c __')).output).toBe('0\n');
  });
});
