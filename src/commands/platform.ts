// The kernel and distribution of the host a command runs on, as uname(2) and
// /proc/version report them: a Kubernetes cluster's nodes run the Ubuntu
// kernel their Node objects report (6.8.0-51-generic: Ubuntu 24.04's generic
// kernel, the lab's machines being KVM guests); other hosts are Debian 12
// machines (the iproute2 6.1, net-tools 2.10 and iptables 1.8.9 the tools
// print are Debian 12's). /proc/version is the kernel's linux_proc_banner:
// "SYSNAME version RELEASE (BUILDER@HOST) (COMPILER, LINKER) VERSION".
import type { ProcProvider, Sys } from './types';
import { KernelError } from '../sim/errors';

/** The kernel and platform `uname` reports for the host a command runs on. */
export interface Platform {
  sysname: string;
  release: string;
  version: string;
  machine: string;
  processor: string;
  hardware: string;
  os: string;
  /** who built the kernel, and with what (the two parentheses of /proc/version) */
  builtBy: string;
  compiler: string;
}

const DEBIAN: Omit<Platform, 'sysname'> = {
  release: '6.1.0-27-amd64',
  version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)',
  machine: 'x86_64',
  processor: 'unknown',
  hardware: 'unknown',
  os: 'GNU/Linux',
  builtBy: 'debian-kernel@lists.debian.org',
  compiler: 'gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40',
};
/** the kernel the cluster scenarios' Node objects report (nodeInfo.kernelVersion) on Ubuntu 24.04 */
const UBUNTU: Omit<Platform, 'sysname'> = {
  release: '6.8.0-51-generic',
  version: '#52-Ubuntu SMP PREEMPT_DYNAMIC Thu Dec  5 13:09:44 UTC 2024',
  machine: 'x86_64',
  processor: 'x86_64',
  hardware: 'x86_64',
  os: 'GNU/Linux',
  builtBy: 'buildd@lcy02-amd64-091',
  compiler: 'x86_64-linux-gnu-gcc-13 (Ubuntu 13.3.0-6ubuntu2~24.04) 13.3.0, GNU ld (GNU Binutils for Ubuntu) 2.42',
};

export function platformOf(sys: Sys): Platform {
  const st = sys.world.state;
  const clustered = st.cluster !== undefined || st.kube !== undefined;
  return { sysname: 'Linux', ...(clustered ? UBUNTU : DEBIAN) };
}

/** /proc/version (0444, one line) */
export const procVersion: ProcProvider = {
  read(sys, path) {
    if (path !== '/proc/version') return null;
    const p = platformOf(sys);
    return `${p.sysname} version ${p.release} (${p.builtBy}) (${p.compiler}) ${p.version}\n`;
  },
  // root opens it for writing (CAP_DAC_OVERRIDE), but the file has no write handler: the write fails with EIO
  write(_sys, _path, content) {
    if (content !== '') throw new KernelError('EIO');
  },
  list: () => null,
  stat: (sys, path) => (path === '/proc/version' ? { type: 'file', mode: 0o444 } : null),
};
