// The controllers in the order one pass runs them.
import { CONTROLLERS } from './framework';
import { LIFECYCLE_CONTROLLERS } from './lifecycle';
import { WORKLOAD_CONTROLLERS } from './workloads';
import { SCHEDULER } from './scheduling';
import { SERVICE_CONTROLLERS } from './services';
import { KUBELET } from '../runtime/kubelet';

const [namespaces, nodeIpam, garbageCollector, nodeLifecycle] = LIFECYCLE_CONTROLLERS;

if (CONTROLLERS.length === 0) CONTROLLERS.push(namespaces!, nodeIpam!, ...WORKLOAD_CONTROLLERS, SCHEDULER, KUBELET, ...SERVICE_CONTROLLERS, garbageCollector!, nodeLifecycle!);

export { CONTROLLERS };
