// kubectl run -i / -it with --rm: the exam's way to test a Service or a policy from a throw-away pod
// (kubectl's run.go: create, wait until running, attach, delete, and the exit status with --restart=Never).
import { describe, expect, it } from 'vitest';
import { getScenario } from '../../labs/scenarios/index';
import { Session } from '../../shell/session';

async function cluster() {
  const s = await Session.create({ scenario: getScenario('k8s-cluster'), seed: 3 });
  for (const l of ['kubectl create deployment web --image=nginx --replicas=2', 'kubectl expose deployment web --port=80', 'kubectl rollout status deployment web']) {
    expect((await s.run(l)).exitCode, l).toBe(0);
  }
  return s;
}

describe('kubectl run attached to the pod', () => {
  it('streams the command output, deletes the pod with --rm and returns the exit status with --restart=Never', async () => {
    const s = await cluster();
    const ok = await s.run('kubectl run tmp --image=busybox --rm -it --restart=Never -- wget -qO- -T 2 http://web');
    expect(ok.exitCode).toBe(0);
    expect(ok.output).toMatch(/^If you don't see a command prompt, try pressing enter\.\n<!DOCTYPE html>[\s\S]*<\/html>\npod "tmp" deleted\n$/);
    expect((await s.run('kubectl get pod tmp')).exitCode).toBe(1);
    const bad = await s.run('kubectl run tmp --image=busybox --rm -i --restart=Never -- wget -qO- -T 2 http://nothere');
    expect(bad.exitCode).toBe(1);
    expect(bad.output).toBe("If you don't see a command prompt, try pressing enter.\nwget: bad address 'nothere'\npod \"tmp\" deleted\npod default/tmp terminated (Error)\n");
  });

  it("keeps the pod without --rm: its status and logs are the command's", async () => {
    const s = await cluster();
    const r = await s.run("kubectl run probe --image=busybox -i -q --restart=Never -- sh -c 'echo start; wget -qO- -T 1 http://web:81'");
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/^start\nwget: /);
    expect(r.output).toMatch(/pod default\/probe terminated \(Error\)\n$/);
    expect((await s.run('kubectl get pod probe --no-headers')).output).toMatch(/^probe +0\/1 +Error +0 /);
    expect((await s.run('kubectl logs probe')).output).toMatch(/^start\nwget: /);
    expect((await s.run("kubectl get pod probe -o jsonpath='{.spec.containers[0].stdin} {.spec.containers[0].stdinOnce}'")).output).toBe('true true');
  });

  it("runs the curl image's entrypoint rule (curl ARGS for options), and says how a session ends with restart Always", async () => {
    const s = await cluster();
    const r = await s.run("kubectl run c --image=curlimages/curl --rm -it -- -s -o /dev/null -w '%{http_code}\\n' http://web");
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe("If you don't see a command prompt, try pressing enter.\n200\nSession ended, resume using 'kubectl attach c -c c -i -t' command when the pod is running\npod \"c\" deleted\n");
  });

  it("gives kubectl's validation errors (captured from kubectl 1.33), and refuses a shell that would wait for input", async () => {
    const s = await cluster();
    const cases: Array<[string, string]> = [
      ['kubectl run x --image=busybox -t -- true', 'error: -i/--stdin is required for containers with -t/--tty=true\n'],
      ['kubectl run x --image=busybox --rm -- true', 'error: --rm should only be used for attached containers\n'],
      ['kubectl run x --image=busybox --attach=false -i --rm -- true', 'error: --rm should only be used for attached containers\n'],
      ['kubectl run x --image=busybox -i --dry-run=client -- true', "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\n"],
    ];
    for (const [line, err] of cases) {
      const r = await s.run(line);
      expect(r.exitCode, line).toBe(1);
      expect(r.output, line).toBe(`${err}See 'kubectl run -h' for help and examples\n`);
    }
    // kubectl exec -i hands the terminal to a shell: refused the same way; without -i, sh exits at once (no input)
    await s.run('kubectl run c --image=busybox -- sleep 3600');
    await s.run('kubectl wait --for=condition=Ready pod/c');
    const ex = await s.run('kubectl exec -it c -- /bin/sh');
    expect(ex.exitCode).toBe(1);
    expect(ex.output).toMatch(/^error: an interactive shell in a pod is not available/);
    expect(await s.run('kubectl exec c -- sh')).toMatchObject({ exitCode: 0, output: '' });
    expect((await s.run("kubectl exec -it c -- sh -c 'echo hi'")).output).toBe('hi\n');
    const sh = await s.run('kubectl run x --image=busybox --rm -it --restart=Never -- sh');
    expect(sh.exitCode).toBe(1);
    expect(sh.output).toMatch(/^error: an interactive shell in a pod is not available/);
    expect((await s.run('kubectl get pod x')).exitCode).toBe(1);
  });

  it("runs in the pod's UTS namespace: hostname and uname -n say the pod's name (or spec.hostname), the node keeps its own", async () => {
    const s = await cluster();
    const pod = (await s.run("kubectl get pod -l app=web -o jsonpath='{.items[0].metadata.name}'")).output;
    expect(pod).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}$/);
    expect((await s.run(`kubectl exec ${pod} -- hostname`)).output).toBe(`${pod}\n`);
    expect((await s.run(`kubectl exec ${pod} -- uname -n`)).output).toBe(`${pod}\n`);
    // /etc/hosts of the pod (the kubelet's) names its IP: hostname -i reads it
    const ip = (await s.run(`kubectl get pod ${pod} -o jsonpath='{.status.podIP}'`)).output;
    expect((await s.run(`kubectl exec ${pod} -- hostname -i`)).output).toBe(`${ip} \n`);
    // a container cannot set it (no CAP_SYS_ADMIN), and the node's name is untouched
    expect(await s.run(`kubectl exec ${pod} -- hostname other`)).toMatchObject({ exitCode: 1, output: 'hostname: you must be root to change the host name\ncommand terminated with exit code 1\n' });
    expect((await s.run('hostname')).output).toBe('controlplane\n');
    expect((await s.run('kubectl run h --image=busybox --restart=Never --overrides=\'{"spec":{"hostname":"named"}}\' -i -q --rm -- hostname')).output).toBe('named\npod "h" deleted\n');
  });
});
