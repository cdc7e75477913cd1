// The names the shell plants in command lines and environments, and the
// terminal's undo sentinel: one definition each, for the shell and the page
// (src/components) alike.

/** The marker variable a command sees when its stdout is not the terminal (pipeline, redirection, substitution). */
export const NOTTY_VAR = 'NETLAB_NOTTY';
/**
 * The marker variable one of our commands sees, set to 1, when its stdout and
 * stderr end up in the same place (the terminal, `2>&1 | ...`, `&>file`):
 * the session then writes a result's `chunks` in order (a warning before the
 * answer). Elsewhere (`2>/dev/null`, `| ...`, `>file`) the streams stay apart.
 */
export const MERGED_VAR = 'NETLAB_MERGED';
/** io.exec starts a nested line with `: MARK` when the calling command's stdout and stderr go to different places. */
export const SEPARATE_MARK = '__netlab_separate_streams__';
/** The helper command the session puts around a simple command's redirections (see session.ts redirectHelper). */
export const REDIR_CMD = '__netlab_redir';
/** bash's `help` without arguments is the interpreter's own builtin in just-bash: the line rewriter calls this command instead. */
export const HELP_CMD = '__netlab_help';
/** The line an undo entry carries when it undoes a Reset (the terminal's Undo stack). */
export const RESET_LINE = '(reset)';
