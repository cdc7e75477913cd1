// `sed` as the shell registers it: GNU sed's a, i and c commands over just-bash's sed (./sed.ts), whose code is
// a chunk loaded on the first sed, as just-bash's own sed is (not part of a terminal's start: issue 17).
import { defineCommand } from 'just-bash/browser';
import { chunkOnce } from './chunks';

const sedChunk = chunkOnce('sed', () => import('./sed'));

type Orig = (a: string[]) => Promise<{ stdout: string; stderr: string; exitCode: number }>;

export const sedCommand = defineCommand('sed', async (args, ctx) => {
  const orig = (ctx as { origCommand?: Orig }).origCommand;
  if (!orig) return { stdout: '', stderr: 'sed: not available\n', exitCode: 127 };
  const { gnuSedArgs } = await sedChunk();
  const r = await orig(gnuSedArgs(args));
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
});
