// Kernel operations report failure the way netlink does: an errno, and
// sometimes an extended-ack message. Commands turn these into the real tool's
// text (`RTNETLINK answers: File exists`, `Error: Nexthop has invalid
// gateway.`). A KernelError is the only exception a sim operation may throw;
// anything else is a bug (the property tests check this).

export type Errno =
  | 'EPERM' | 'ENOENT' | 'ESRCH' | 'EIO' | 'ENXIO' | 'E2BIG' | 'EBADF' | 'EAGAIN' | 'ENOMEM' | 'EACCES'
  | 'EBUSY' | 'EEXIST' | 'EXDEV' | 'ENODEV' | 'ENOTDIR' | 'EISDIR' | 'EINVAL' | 'ENFILE' | 'EMFILE'
  | 'ENOSPC' | 'ERANGE' | 'EOPNOTSUPP' | 'EAFNOSUPPORT' | 'EADDRINUSE' | 'EADDRNOTAVAIL' | 'ENETDOWN'
  | 'ENETUNREACH' | 'ECONNREFUSED' | 'EHOSTUNREACH' | 'ETIMEDOUT' | 'ENOTSUP' | 'ENOBUFS' | 'ENOTEMPTY'
  | 'ELOOP' | 'ENAMETOOLONG' | 'ENOTCONN' | 'EMLINK';

/** strerror() texts, as glibc prints them. */
export const STRERROR: Record<Errno, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  E2BIG: 'Argument list too long',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EXDEV: 'Invalid cross-device link',
  ENODEV: 'No such device',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  ENOSPC: 'No space left on device',
  ERANGE: 'Numerical result out of range',
  EOPNOTSUPP: 'Operation not supported',
  ENOTSUP: 'Operation not supported',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENETDOWN: 'Network is down',
  ENETUNREACH: 'Network is unreachable',
  ECONNREFUSED: 'Connection refused',
  EHOSTUNREACH: 'No route to host',
  ETIMEDOUT: 'Connection timed out',
  ENOBUFS: 'No buffer space available',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  ENOTCONN: 'Transport endpoint is not connected',
  EMLINK: 'Too many links',
};

export class KernelError extends Error {
  constructor(
    public readonly errno: Errno,
    /** netlink extended ack text, without the "Error: " prefix (e.g. "Nexthop has invalid gateway.") */
    public readonly extack: string | null = null,
  ) {
    super(extack ?? STRERROR[errno]);
    this.name = 'KernelError';
  }

  /** a batch of operations (nfCommit) failed at this one */
  opIndex?: number;
}

export function isKernelError(e: unknown): e is KernelError {
  return e instanceof KernelError;
}
