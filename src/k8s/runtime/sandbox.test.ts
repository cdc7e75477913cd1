import { describe, expect, it } from 'vitest';
import { World } from '../../sim/world';
import { readHostFile, removeHostFile, writeHostFile } from '../../sim/files';
import { bootstrapCluster } from '../bootstrap';
import { kube } from '../cluster';

const ready = (w: World, node: string) => ((kube(w)!.get('nodes', null, node) as any).status.conditions.find((c: any) => c.type === 'Ready') as { status: string; message: string });

describe("the runtime's CNI config", () => {
  it('a node goes NotReady when its CNI config is moved away and Ready again when it is moved back (same number of files)', () => {
    const w = World.create({ seed: 31 });
    bootstrapCluster(w);
    const h = w.host('controlplane');
    const conf = '/etc/cni/net.d/10-flannel.conflist';
    const text = readHostFile(h, conf)!;
    expect(ready(w, 'controlplane').status).toBe('True');
    // mv /etc/cni/net.d/10-flannel.conflist /root/
    removeHostFile(h, conf);
    writeHostFile(h, '/root/10-flannel.conflist', text, w.now());
    w.advance(5000);
    expect(ready(w, 'controlplane')).toMatchObject({ status: 'False', message: expect.stringContaining('cni plugin not initialized') });
    // mv /root/10-flannel.conflist /etc/cni/net.d/
    removeHostFile(h, '/root/10-flannel.conflist');
    writeHostFile(h, conf, text, w.now());
    w.advance(5000);
    expect(ready(w, 'controlplane').status).toBe('True');
  });
});
