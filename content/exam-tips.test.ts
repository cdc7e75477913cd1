// The exam tips' commands work in the course's own terminal (issue 15: tips that the terminal refused).
// Every complete kubectl command quoted in an "Exam tip" aside (inline code, no placeholder in capitals)
// runs on the live cluster, where the Services the tips name exist, and exits 0.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getScenario } from '../src/labs/scenarios/index';
import { Session } from '../src/shell/session';
import { CHAPTERS } from './chapters';

const dir = fileURLToPath(new URL('.', import.meta.url));

/** `kubectl ...` inline code of the Exam tip asides (a span may wrap across lines), without placeholders. */
export function tipCommands(src: string): string[] {
  const out: string[] = [];
  for (const m of src.matchAll(/<Aside[^>]*title="Exam tip"[^>]*>([\s\S]*?)<\/Aside>/g)) {
    for (const c of m[1]!.matchAll(/`(kubectl [^`]+)`/g)) {
      const cmd = c[1]!.replace(/\s+/g, ' ').trim();
      if (cmd.split(' ').length >= 3 && !/\b[A-Z]{3,}\b/.test(cmd)) out.push(cmd);
    }
  }
  return out;
}

describe('exam tips', () => {
  const commands = CHAPTERS.flatMap((ch) => tipCommands(readFileSync(`${dir}${ch.slug}.mdx`, 'utf8')).map((cmd) => ({ slug: ch.slug, cmd })));

  it('quote the throw-away test pod (kubectl run --rm), wrapped lines included', () => {
    expect(commands.filter((c) => /^kubectl run .*--rm/.test(c.cmd)).map((c) => c.slug)).toEqual(expect.arrayContaining(['dns', 'coredns']));
  });

  it('run in the terminal of the live cluster and exit 0', async () => {
    const s = await Session.create({ scenario: getScenario('k8s-cluster'), seed: 7 });
    // the Services the tips look up: web (default) and web-service (payroll)
    for (const l of ['kubectl create deployment web --image=nginx', 'kubectl expose deployment web --port=80', 'kubectl create namespace payroll', 'kubectl -n payroll create deployment web-service --image=nginx', 'kubectl -n payroll expose deployment web-service --port=80', 'kubectl -n payroll rollout status deployment web-service']) {
      expect((await s.run(l)).exitCode, l).toBe(0);
    }
    for (const { slug, cmd } of commands) {
      const r = await s.run(cmd);
      expect(r.exitCode, `${slug}: ${cmd}\n${r.output}`).toBe(0);
    }
  });
});
