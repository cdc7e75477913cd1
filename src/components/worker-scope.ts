// The Web Worker global, typed by the messages a worker receives (In) and
// sends (Out); null when the module is not running in a worker (unit tests,
// the build).
export interface WorkerScope<In, Out> {
  post(msg: Out): void;
  listen(fn: (msg: In) => void): void;
}

export function workerScope<In, Out>(): WorkerScope<In, Out> | null {
  const scope = globalThis as unknown as {
    WorkerGlobalScope?: unknown;
    postMessage?: (msg: Out) => void;
    addEventListener?: (type: 'message', fn: (ev: MessageEvent<In>) => void) => void;
  };
  if (typeof scope.WorkerGlobalScope === 'undefined' || !scope.postMessage || !scope.addEventListener) return null;
  const post = scope.postMessage.bind(globalThis);
  const add = scope.addEventListener.bind(globalThis);
  return { post: (msg) => post(msg), listen: (fn) => add('message', (ev) => fn(ev.data)) };
}
