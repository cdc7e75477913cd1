// What kubectl prints when no API server answers (no kubeconfig: it tries http://localhost:8080): the
// discovery client logs its failure once per attempt (how many depends on the command), then the summary.
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import { klog } from './klog';

const ATTEMPTS: Record<string, number> = { run: 1, 'api-resources': 1, explain: 2, logs: 4, exec: 4 };
const REFUSED = 'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n';

export function noServer(ctx: Ctx): CmdResult {
  const top = ctx.path.split(' ')[0]!;
  const n = ATTEMPTS[top] ?? 5;
  const line = klog(ctx.sys, 'E', 'memcache.go:265', '"Unhandled Error" err="couldn\'t get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp 127.0.0.1:8080: connect: connection refused"');
  const out: Array<[1 | 2, string]> = [];
  for (let i = 0; i < n; i++) out.push([2, line]);
  if (top === 'api-resources') out.push([1, 'NAME   SHORTNAMES   APIVERSION   NAMESPACED   KIND\n']);
  if (top === 'cluster-info') out.push([1, "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"]);
  out.push([2, REFUSED]);
  return ordered(out, 1);
}

export function refusedLine(): string {
  return REFUSED;
}
