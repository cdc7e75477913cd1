// The Kubernetes layer is loaded on first use and registers nothing until it is installed (issue 17).
import { describe, expect, it } from 'vitest';
import { tcpServices } from '../sim/packet-model';
import { unitDef } from '../sim/systemd';
import { cniPlugin, imageInfo } from '../k8s/plugins';
import { kubernetesLoaded, KUBERNETES_UNITS, loadKubernetes } from './k8s-lazy';
import { Session } from '../shell/session';
import { getScenario } from '../labs/scenarios/index';

describe('the Kubernetes layer on first use', () => {
  it('importing src/k8s registers nothing: its hooks come with installKubernetes()', async () => {
    const entry = await import('../k8s/entry');
    expect(kubernetesLoaded()).toBeNull();
    expect(tcpServices.has('app:nginx')).toBe(false);
    expect(unitDef('kubelet')).toBeNull();
    expect(cniPlugin('flannel')).toBeUndefined();
    expect(imageInfo('nginx')).toBeUndefined();
    entry.installKubernetes();
    expect(tcpServices.has('app:nginx')).toBe(true);
    expect(cniPlugin('flannel')?.type).toBe('flannel');
    expect(imageInfo('nginx')?.repository).toBe('docker.io/library/nginx');
    // systemctl loads the layer for exactly the units it registers
    for (const u of KUBERNETES_UNITS) expect(unitDef(u)?.name).toBe(u);
  });

  it('a Linux session never loads it; a cluster scenario, a restored cluster and kubectl do', async () => {
    const linux = await Session.create({ seed: 1 });
    expect((await linux.run('ip -br link && systemctl status nope; echo $?')).output).toBe('lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \nUnit nope.service could not be found.\n4\n');
    expect(kubernetesLoaded()).toBeNull();
    // kubectl without a cluster says what the real one says (and brings the layer)
    const r = await linux.run('kubectl get pods');
    expect(r.output).toMatch(/^(E\d{4} .*\n)*The connection to the server localhost:8080 was refused - did you specify the right host or port\?\n$/);
    expect(r.exitCode).toBe(1);
    expect(kubernetesLoaded()).not.toBeNull();
    const cluster = await Session.create({ scenario: getScenario('k8s-cluster'), seed: 1 });
    const restored = await Session.restore(cluster.snapshot());
    expect((await restored.run('kubectl get nodes -o name')).output).toBe('node/controlplane\nnode/node01\n');
    expect(await loadKubernetes()).toBe(kubernetesLoaded());
  });
});
