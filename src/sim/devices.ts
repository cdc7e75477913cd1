// The character devices every host has in /dev (Linux's mem devices, major 1): not files of Host.files but
// nodes the shell's filesystem serves, so they behave alike on every host and pod and after a restore.
// /dev/null reads as empty and discards what is written; /dev/zero reads as NUL bytes (a bounded read here:
// 64 KiB, where the real device never ends) and discards writes too.
export interface CharDevice {
  major: number;
  minor: number;
  /** permission bits (crw-rw-rw-) */
  mode: number;
  /** what a read returns */
  read: () => string;
}

const ZEROS = 64 * 1024;

export const DEVICES: ReadonlyMap<string, CharDevice> = new Map([
  ['/dev/null', { major: 1, minor: 3, mode: 0o666, read: () => '' }],
  ['/dev/zero', { major: 1, minor: 5, mode: 0o666, read: () => '\0'.repeat(ZEROS) }],
]);

/** The device at an absolute, normalised path, or undefined. */
export function deviceAt(path: string): CharDevice | undefined {
  return path.startsWith('/dev/') ? DEVICES.get(path) : undefined;
}

/** The device names in /dev. */
export function deviceNames(): string[] {
  return [...DEVICES.keys()].map((p) => p.slice('/dev/'.length));
}
