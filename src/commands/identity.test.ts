import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';

describe('the learner is root', () => {
  it('whoami and id say root, as coreutils 9.1 does, and refuse what coreutils refuses', async () => {
    const s = await Session.create();
    expect(await s.run('whoami')).toEqual({ output: 'root\n', exitCode: 0 });
    expect(await s.run('whoami x')).toEqual({ output: "whoami: extra operand \u2018x\u2019\nTry 'whoami --help' for more information.\n", exitCode: 1 });
    expect(await s.run('id')).toEqual({ output: 'uid=0(root) gid=0(root) groups=0(root)\n', exitCode: 0 });
    expect(await s.run('id -un; id -u; id -gn; id -G')).toEqual({ output: 'root\n0\nroot\n0\n', exitCode: 0 });
    expect(await s.run('id bob')).toEqual({ output: 'id: \u2018bob\u2019: no such user\n', exitCode: 1 });
    expect(await s.run('id -n')).toEqual({ output: 'id: cannot print only names or real IDs in default format\n', exitCode: 1 });
    expect(await s.run('id -ug')).toEqual({ output: 'id: cannot print "only" of more than one choice\n', exitCode: 1 });
  });

  it('ls -l shows files owned by root', async () => {
    const s = await Session.create();
    const r = await s.run('ls -l /etc');
    expect(r.output).toMatch(/^-rw-r--r-- 1 root root +\d+ .* hosts$/m);
    expect(r.output).not.toContain(' user ');
  });
});

describe('uname', () => {
  it('names the host and a Debian 12 kernel on a plain host', async () => {
    const s = await Session.create({ scenario: getScenario('router-two-networks') });
    const host = (await s.run('hostname')).output.trim();
    expect(await s.run('uname -a')).toEqual({ output: `Linux ${host} 6.1.0-27-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01) x86_64 GNU/Linux\n`, exitCode: 0 });
    expect((await s.run('uname')).output).toBe('Linux\n');
    expect((await s.run('uname -srm')).output).toBe('Linux 6.1.0-27-amd64 x86_64\n');
    expect((await s.run('uname -p -i')).output).toBe('unknown unknown\n');
    // the host name follows the kernel's (hostname NAME changes it)
    await s.run('hostname lab1');
    expect((await s.run('uname -n')).output).toBe('lab1\n');
    expect(await s.run('uname -z')).toEqual({ output: "uname: invalid option -- 'z'\nTry 'uname --help' for more information.\n", exitCode: 1 });
    expect(await s.run('uname foo')).toEqual({ output: "uname: extra operand \u2018foo\u2019\nTry 'uname --help' for more information.\n", exitCode: 1 });
  });

  it('reports the kernel a cluster node reports to Kubernetes', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-node') });
    const r = await s.run('uname -r');
    expect(r.output).toBe('6.8.0-51-generic\n');
    expect((await s.run('uname -a')).output).toMatch(/^Linux \S+ 6\.8\.0-51-generic #52-Ubuntu SMP PREEMPT_DYNAMIC .* x86_64 x86_64 x86_64 GNU\/Linux\n$/);
  });
});

describe('/proc/version', () => {
  // the kernel's banner, "SYSNAME version RELEASE (BUILDER) (COMPILER) VERSION"; the strings are those of the
  // real kernels: Debian 12's 6.1.0-27-amd64 and Ubuntu 24.04's 6.8.0-51-generic (x86_64 build)
  it('is the Debian 12 kernel on a plain host, a read-only file of /proc, agreeing with uname', async () => {
    const s = await Session.create({ scenario: getScenario('router-two-networks') });
    expect(await s.run('cat /proc/version')).toEqual({
      output: 'Linux version 6.1.0-27-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)\n',
      exitCode: 0,
    });
    const v = (await s.run('cat /proc/version')).output;
    expect(v).toContain(` ${(await s.run('uname -r')).output.trim()} `);
    expect(v.trimEnd().endsWith((await s.run('uname -v')).output.trim())).toBe(true);
    expect((await s.run('ls /proc')).output.split(/\s+/)).toContain('version');
    expect((await s.run('stat /proc/version')).output).toContain('Access: (100444/-r--r--r--)');
    // as on the real kernel (checked in a namespace as root): the open succeeds, the write has no handler
    expect(await s.run('echo x > /proc/version')).toEqual({ output: 'bash: echo: write error: Input/output error\n', exitCode: 1 });
    expect((await s.run('cat /proc/version')).output).toBe(v);
  });

  it('is Ubuntu 24.04\'s 6.8.0-51-generic on a cluster node', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster') });
    const want = 'Linux version 6.8.0-51-generic (buildd@lcy02-amd64-091) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.3.0-6ubuntu2~24.04) 13.3.0, GNU ld (GNU Binutils for Ubuntu) 2.42) #52-Ubuntu SMP PREEMPT_DYNAMIC Thu Dec  5 13:09:44 UTC 2024\n';
    expect((await s.run('cat /proc/version')).output).toBe(want);
    expect((await s.run('grep -o "version [^ ]*" /proc/version')).output).toBe('version 6.8.0-51-generic\n');
  });
});

describe('stty and the terminal size', () => {
  it('COLUMNS, LINES and stty size follow the terminal the line runs in, and the tools use that width', async () => {
    const s = await Session.create();
    expect((await s.run('echo $COLUMNS $LINES; stty size', { columns: 132, rows: 40 })).output).toBe('132 40\n40 132\n');
    // the next line without a size keeps the last one (the terminal did not change)
    expect((await s.run('echo $COLUMNS')).output).toBe('132\n');
    expect(s.snapshot().env.COLUMNS).toBeUndefined();
    expect(await s.run('echo x | stty size')).toEqual({ output: "stty: 'standard input': Inappropriate ioctl for device\n", exitCode: 1 });
  });
});
