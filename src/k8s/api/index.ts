// The API of the simulated cluster: see ../README.md.
export * from './types';
export * from './registry';
export * from './errors';
export * from './selectors';
export * from './store';
export { mergePatch, strategicMergePatch, jsonPatch, type JsonPatchOp } from './patch';
export { defaultPullPolicy, qosClass } from './defaults';
export { isDns1123Label, isDns1123Subdomain, isDns1035Label } from './validation';
