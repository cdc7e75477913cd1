// libxtables' shared pieces: the version, exit statuses, xtables_error()
// and the number/string helpers every extension uses.
export const IPT_VERSION = '1.8.9 (nf_tables)';

// exit statuses of libxtables
export const OTHER_PROBLEM = 1;
export const PARAMETER_PROBLEM = 2;
export const VERSION_PROBLEM = 3;
export const RESOURCE_PROBLEM = 4;

export class XtError extends Error {
  constructor(
    public status: number,
    public text: string,
  ) {
    super(text);
  }
}

/** xtables_error(): "iptables v1.8.9 (nf_tables): MSG" plus the hint lines of its status. */
export function xtError(status: number, msg: string, prog = 'iptables'): never {
  let text = `${prog} v${IPT_VERSION}: ${msg}\n`;
  if (status === PARAMETER_PROBLEM) text += `Try \`${prog} -h' or '${prog} --help' for more information.\n`;
  else if (status === VERSION_PROBLEM) text += `Perhaps ${prog} or your kernel needs to be upgraded.\n`;
  throw new XtError(status, text);
}

/** The text xtError() would print (for a message that prefixes another). */
export function errText(status: number, msg: string): string {
  try {
    xtError(status, msg);
  } catch (e) {
    return (e as XtError).text;
  }
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
