// Helpers for the kernel's unit tests (imported by *.test.ts only).
import { isKernelError } from './errors';

/**
 * Runs `fn` and names its outcome as the kernel would report it to user space: `ok`, or the errno of the
 * KernelError it threw (with `:extack` when asked and present). Any other exception is a bug and propagates.
 */
export function errnoOf(fn: () => unknown, opts: { extack?: boolean } = {}): string {
  try {
    fn();
  } catch (e) {
    if (isKernelError(e)) return e.errno + (opts.extack && e.extack ? `:${e.extack}` : '');
    throw e;
  }
  return 'ok';
}
