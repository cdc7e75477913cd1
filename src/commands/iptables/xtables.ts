// libxtables' shared pieces: the version, exit statuses, xtables_error()
// and the number/string helpers every extension uses.
export const IPT_VERSION = '1.8.9 (nf_tables)';

// exit statuses of libxtables
export const OTHER_PROBLEM = 1;
export const PARAMETER_PROBLEM = 2;
export const VERSION_PROBLEM = 3;
export const RESOURCE_PROBLEM = 4;

/**
 * xtables_error(): what the tool prints before it exits with `status`. The
 * program's name is filled in when it is printed (`render`): the same error
 * reads "iptables v1.8.9 (nf_tables): MSG" or "ip6tables v1.8.9 ...", and
 * -restore adds the line of its input the error occurred at.
 */
export class XtError extends Error {
  constructor(
    public status: number,
    /** the message after "PROG vVERSION: ", or null for none */
    public msg: string | null,
    /** text printed before it (a warning, or a message of its own) */
    public before = '',
  ) {
    super(msg ?? before);
  }

  render(prog = 'iptables', line: number | null = null): string {
    let text = this.before;
    if (this.msg !== null) text += `${prog} v${IPT_VERSION}: ${this.msg}\n`;
    if (line !== null) text += `Error occurred at line: ${line}\n`;
    if (this.status === PARAMETER_PROBLEM) text += `Try \`${prog} -h' or '${prog} --help' for more information.\n`;
    else if (this.status === VERSION_PROBLEM) text += `Perhaps ${prog} or your kernel needs to be upgraded.\n`;
    return text;
  }

  /** As iptables prints it. */
  get text(): string {
    return this.render();
  }
}

/** xtables_error(): exit with `status` after "PROG v1.8.9 (nf_tables): MSG" and the hint lines of its status. */
export function xtError(status: number, msg: string): never {
  throw new XtError(status, msg);
}

/** xtables_strtoui with base 0 (decimal, 0x hex, 0 octal). */
export function strtoui(s: string, min: number, max: number): number | null {
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^0[0-7]*$/.test(s)) v = parseInt(s, 8);
  else if (/^[1-9]\d*$/.test(s)) v = parseInt(s, 10);
  else return null;
  return v >= min && v <= max ? v : null;
}

/** xtables_save_string(): bare if only [A-Za-z0-9_-], else double-quoted with \" \\ \' escaped. */
export function saveString(v: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(v)) return ` ${v}`;
  return ` "${v.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}
