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
import { runVim, type EditorFs } from './vim/command';
import { runNano } from './nano/command';
import { NOTTY_VAR } from './markers';

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

export function fullScreenCommands(tty: () => Tty | null, fs: SimFs) {
  const run = (fn: typeof runVim | typeof runNano) => async (args: string[], ctx: { cwd: string; env: Map<string, string> }) => {
    // stdout not the terminal (a pipe, a redirection): no screen to draw on
    const t = ctx.env.get(NOTTY_VAR) === '1' ? null : tty();
    return fn(args, { cwd: ctx.cwd, home: ctx.env.get('HOME') || '/root', tty: t }, editorFs(fs));
  };
  return [defineCommand('vi', run(runVim)), defineCommand('vim', run(runVim)), defineCommand('nano', run(runNano))];
}
