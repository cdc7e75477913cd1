// The full-screen editors as just-bash commands: `vi` and `vim` (src/shell/vim/),
// `nano` (src/shell/nano/). They use the terminal of the line being run and
// the shell's file system (SimFs), so a file the simulator owns changes the
// system as a redirection would.
//
// Other commands launch the editor on a file by running it through the shell:
//   const r = await io.exec(`${io.env.VISUAL || io.env.EDITOR || 'vi'} ${shellQuote(path)}`);
// io.exec goes through this shell, so the editor gets the terminal; its exit
// status is r.exitCode (see src/shell/README.md).
import { defineCommand } from 'just-bash/browser';
import type { SimFs } from './simfs';
import type { Tty } from './tty';
import type { EditorFs, runVim } from './vim/command';
import { NOTTY_VAR } from './markers';
import { chunkOnce } from './chunks';

type Runner = typeof runVim;
// the commands' code (what starts an editor) is a chunk loaded on the first vi or nano, as the editors are
const vim: () => Promise<Runner> = chunkOnce('vim', async () => (await import('./vim/command')).runVim);
const nano: () => Promise<Runner> = chunkOnce('nano', async () => (await import('./nano/command')).runNano);

function editorFs(fs: SimFs): EditorFs {
  return {
    async read(path) {
      try {
        return { text: await fs.readFile(path) };
      } catch (e) {
        const code = (e as { code?: string }).code;
        return { error: code === 'EISDIR' ? 'EISDIR' : code === 'EACCES' ? 'EACCES' : 'ENOENT' };
      }
    },
    async write(path, text) {
      const err = fs.openError(path);
      if (err) return err;
      try {
        await fs.writeFile(path, text);
        return null;
      } catch (e) {
        return (e as { code?: string }).code ?? 'EIO';
      }
    },
    writeError: (path) => fs.openError(path),
  };
}

/**
 * The line's execution deadline (just-bash's maxExecutionTimeMs: 10 s in the page, so that a runaway command
 * ends by itself) does not run while an editor waits for the learner: vi open for ten minutes is not a
 * runaway. `holdDeadline` is our patch to just-bash (patches/just-bash+3.4.2.patch): the time it is held
 * is not counted, for this command and the ones around it (kubectl edit waiting for its editor).
 */
interface HeldScope {
  holdDeadline?: () => () => void;
}

export function fullScreenCommands(tty: () => Tty | null, fs: SimFs) {
  const run = (load: () => Promise<Runner>) => async (args: string[], ctx: { cwd: string; env: Map<string, string>; executionScope?: unknown }) => {
    const fn = await load();
    // stdout not the terminal (a pipe, a redirection): no screen to draw on
    const t = ctx.env.get(NOTTY_VAR) === '1' ? null : tty();
    const release = t ? (ctx.executionScope as HeldScope | undefined)?.holdDeadline?.() : undefined;
    try {
      return await fn(args, { cwd: ctx.cwd, home: ctx.env.get('HOME') || '/root', tty: t }, editorFs(fs));
    } finally {
      release?.();
    }
  };
  return [defineCommand('vi', run(vim)), defineCommand('vim', run(vim)), defineCommand('nano', run(nano))];
}
