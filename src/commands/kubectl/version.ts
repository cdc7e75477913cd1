// kubectl version: the client's build (kubectl 1.33.1, the captured ground truth), then the server's.
import type { Ctx } from './index';
import { ordered, type CmdResult } from '../types';
import { toYaml } from './yaml';
import { refusedLine } from './server';
import { UsageError } from './generators';

export const CLIENT_VERSION = {
  major: '1', minor: '33', gitVersion: 'v1.33.1', gitCommit: '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828', gitTreeState: 'clean',
  buildDate: '2025-05-15T08:27:33Z', goVersion: 'go1.24.2', compiler: 'gc', platform: 'linux/amd64',
};
const KUSTOMIZE = 'v5.6.0';

export function clientVersion(ctx: Ctx, server: Record<string, string> | null = null): CmdResult {
  const o = ctx.flags.str('output');
  if (o !== '' && o !== 'yaml' && o !== 'json') throw new UsageError("--output must be 'yaml' or 'json'");
  const clientOnly = ctx.flags.bool('client');
  const out: Array<[1 | 2, string]> = [];
  const doc: Record<string, unknown> = { clientVersion: CLIENT_VERSION, kustomizeVersion: KUSTOMIZE };
  if (server) doc.serverVersion = server;
  if (o === 'json') out.push([1, JSON.stringify(doc, null, 2) + '\n']);
  else if (o === 'yaml') out.push([1, toYaml(doc) + '\n']);
  else {
    out.push([1, `Client Version: ${CLIENT_VERSION.gitVersion}\nKustomize Version: ${KUSTOMIZE}\n`]);
    if (server) out.push([1, `Server Version: ${server.gitVersion}\n`]);
  }
  if (clientOnly || server) return ordered(out, 0);
  out.push([2, refusedLine()]);
  return ordered(out, 1);
}
