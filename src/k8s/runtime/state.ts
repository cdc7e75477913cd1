// What the kubelets and the container runtime keep (ClusterState.runtime):
// per node its host and heartbeats, the images it holds and its static pod
// manifests' hashes; per pod its sandbox (netns, IPs) and containers (ids,
// states, restart counts, back-offs, processes, logs).
import type { Api } from '../api/store';
import type { HostId, NsId } from '../../sim/types';

export interface LogLine {
  /** simulated ms */
  t: number;
  s: 'stdout' | 'stderr';
  text: string;
}

export interface ContainerRt {
  name: string;
  init: boolean;
  /** containerd id of the current (or last) instance, 64 hex; '' before the first create */
  id: string;
  image: string;
  state: 'waiting' | 'running' | 'terminated';
  reason: string;
  message?: string;
  restartCount: number;
  startedAt: number | null;
  finishedAt: number | null;
  exitCode: number | null;
  /** the reason of the last exit (Completed, Error, OOMKilled...) */
  exitReason?: string;
  last: { exitCode: number; reason: string; startedAt: number; finishedAt: number; id: string } | null;
  pids: number[];
  /** what happens at `nextAt` */
  next: 'pull' | 'pulled' | 'start' | 'exit' | 'restart' | null;
  nextAt: number | null;
  /** exit planned by the program (running containers that crash later) */
  exitCode2?: number;
  pullBackoffMs: number;
  crashBackoffMs: number;
  log: LogLine[];
  prevLog: LogLine[];
  ready: boolean;
}

export interface PodRt {
  uid: string;
  ns: string;
  name: string;
  node: string;
  sandboxId: string;
  netnsName: string;
  nsId: NsId | null;
  ips: string[];
  /** sandbox set-up: retry time after a CNI failure */
  sandboxRetryAt: number | null;
  sandboxError: string | null;
  /** failed sandbox attempts in a row (their retry backs off) */
  sandboxFailures?: number;
  sandboxReadyAt: number | null;
  containers: ContainerRt[];
  /** termination in progress: when the containers are gone */
  killAt: number | null;
  startTime: number;
  /** signature of the state last written to the pod's status (skip identical writes) */
  sig?: string;
}

export interface NodeRt {
  host: HostId;
  /** sim ms of the kubelet's last status post; null before the first */
  lastHeartbeat: number | null;
  /** normalised image references present */
  images: string[];
  /** static pods: manifest path → config hash of the pod started from it ('' = broken file) */
  manifests: Record<string, string>;
  /** when the static pod path was last read (the kubelet checks it about every second) */
  manifestsCheckedAt?: number;
  /** the host's file count at that check (a new file makes it look again) */
  manifestsFileCount?: number;
  /** image pulls in flight: reference → when it completes, and when it began */
  pulls?: Record<string, number>;
  pullStarted?: Record<string, number>;
  /** what the last node status post reflected (skip identical posts) */
  statusKey?: string;
  bootId: string;
  machineId: string;
}

export interface KubeletRuntime {
  nodes: Record<string, NodeRt>;
  pods: Record<string, PodRt>;
  /** resourceVersion the running programs were last told about (onClusterChange) */
  notifiedRv: number;
}

export function kubeletRuntime(api: Api): KubeletRuntime {
  const rt = api.state.runtime as { kubelet?: KubeletRuntime };
  return (rt.kubelet ??= { nodes: {}, pods: {}, notifiedRv: 0 });
}

/** The runtime record of a pod (by uid), or undefined. */
export function podRuntime(api: Api, uid: string): PodRt | undefined {
  return kubeletRuntime(api).pods[uid];
}
