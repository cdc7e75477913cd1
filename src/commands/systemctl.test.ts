import { describe, expect, it } from 'vitest';
import { Session } from '../shell/session';
import { registerUnit } from '../sim/systemd';
import { spawnProcess } from '../sim/process';

registerUnit({
  name: 'kubelet',
  description: 'kubelet: The Kubernetes Node Agent',
  fragment: '/usr/lib/systemd/system/kubelet.service',
  dropIns: { dir: '/usr/lib/systemd/system/kubelet.service.d', files: ['10-kubeadm.conf'] },
  docs: ['https://kubernetes.io/docs/'],
  comm: 'kubelet',
  start: (world, host) => spawnProcess(world, host, world.host(host).rootNs, ['/usr/bin/kubelet', '--config=/var/lib/kubelet/config.yaml'], { comm: 'kubelet' }),
});

describe('systemctl', () => {
  it('stops and starts a service: status, is-active and exit codes follow its process', async () => {
    const s = await Session.create({ seed: 1, columns: 80 });
    const run = (l: string) => s.run(l, { fresh: true, noHistory: true });
    expect(await run('systemctl status nope')).toEqual({ output: 'Unit nope.service could not be found.\n', exitCode: 4 });
    expect(await run('systemctl start kubelet')).toEqual({ output: '', exitCode: 0 });
    s.world.advance(125_000);
    const st = await run('systemctl status kubelet');
    expect(st.exitCode).toBe(0);
    expect(st.output.split('\n').slice(0, 5)).toEqual([
      '● kubelet.service - kubelet: The Kubernetes Node Agent',
      '     Loaded: loaded (/usr/lib/systemd/system/kubelet.service; enabled; preset: enabled)',
      '    Drop-In: /usr/lib/systemd/system/kubelet.service.d',
      '             └─10-kubeadm.conf',
      expect.stringMatching(/^ {5}Active: active \(running\) since Thu 2026-11-26 15:00:\d\d UTC; 2min \d+s ago$/),
    ]);
    expect(await run('systemctl is-active kubelet')).toEqual({ output: 'active\n', exitCode: 0 });
    expect(await run('systemctl stop kubelet')).toEqual({ output: '', exitCode: 0 });
    expect((await run('ps -e | grep -c kubelet')).output).toBe('0\n');
    expect(await run('systemctl is-active kubelet')).toEqual({ output: 'inactive\n', exitCode: 3 });
    const down = await run('systemctl status kubelet');
    expect(down.exitCode).toBe(3);
    expect(down.output).toContain('○ kubelet.service - kubelet: The Kubernetes Node Agent\n');
    expect(down.output).toMatch(/Active: inactive \(dead\) since Thu 2026-11-26 15:0\d:\d\d UTC; \d+s ago\n/);
    expect(await run('systemctl is-enabled kubelet')).toEqual({ output: 'enabled\n', exitCode: 0 });
    expect(await run('systemctl is-enabled nope')).toEqual({ output: 'Failed to get unit file state for nope.service: No such file or directory\n', exitCode: 1 });
    expect(await run('systemctl enable nope')).toEqual({ output: 'Failed to enable unit: Unit file nope.service does not exist.\n', exitCode: 1 });
    expect(await run('systemctl enable kubelet')).toEqual({ output: '', exitCode: 0 });
    expect(await run('systemctl is-active kubelet')).toEqual({ output: 'inactive\n', exitCode: 3 });
    expect(await run('systemctl enable --now kubelet')).toEqual({ output: '', exitCode: 0 });
    expect(await run('systemctl is-active kubelet')).toEqual({ output: 'active\n', exitCode: 0 });
    expect(await run('systemctl stop kubelet')).toEqual({ output: '', exitCode: 0 });
    expect((await run('systemctl restart kubelet')).exitCode).toBe(0);
    expect((await run('ps -e | grep -c kubelet')).output).toBe('1\n');
  });
});
