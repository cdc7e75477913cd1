// The kubelet's node lease (coordination.k8s.io/v1 Lease in kube-node-lease), derived from the node: the
// simulated kubelet renews it when it posts the node's status, so its renew time is the Ready condition's
// last heartbeat. The HTTP server serves it (kubectl describe node reads it) and the simulated kubectl's
// describe prints the same.
import type { Api, KObject } from '../api';

export function nodeLease(api: Api, nodeName: string): KObject | null {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const node = api.peek('nodes', null, nodeName) as any;
  if (!node) return null;
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  const renew = ready?.lastHeartbeatTime ? String(ready.lastHeartbeatTime).replace(/Z$/, '.000000Z') : undefined;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: nodeName,
      namespace: 'kube-node-lease',
      uid: node.metadata.uid,
      resourceVersion: node.metadata.resourceVersion,
      creationTimestamp: node.metadata.creationTimestamp,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid }],
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: 40, ...(renew ? { renewTime: renew } : {}) },
  } as KObject;
}
