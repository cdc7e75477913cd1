// Every command question of every bank, run in the simulated shell: each of
// its correct command sequences passes, and the empty answer and each of its
// wrong sequences fail. A failure here means either a bank mistake or a
// command/scenario that does not behave like the real one yet.
import { describe, expect, it } from 'vitest';
import { banks } from './banks';
import { runCommandCheck } from './command';
import type { CommandQuestion } from './types';
import { FAKE_LINES } from '../checks';

for (const bank of banks) {
  const questions = bank.questions.filter((q): q is CommandQuestion => q.kind === 'command');
  if (questions.length === 0) continue;
  describe(`command questions of "${bank.chapter}"`, () => {
    for (const q of questions) {
      q.solutions.forEach((lines, i) => {
        it(`${q.id}: solution ${i + 1} passes (${lines.join(' ; ')})`, async () => {
          const g = await runCommandCheck(q, lines);
          const transcript = g.runs.map((r) => `$ ${r.line}\n${r.output}[exit ${r.exitCode}]`).join('\n');
          expect(g.correct, `${g.feedback}\n${transcript}`).toBe(true);
        });
      });

      it(`${q.id}: the empty answer fails`, async () => {
        const g = await runCommandCheck(q, '  \n# nothing\n');
        expect(g.correct).toBe(false);
        expect(g.feedback).toBe('Type at least one command.');
      });

      q.wrong.forEach((lines, i) => {
        it(`${q.id}: wrong answer ${i + 1} fails with a hint (${lines.join(' ; ')})`, async () => {
          const g = await runCommandCheck(q, lines);
          expect(g.correct).toBe(false);
          expect(g.feedback ?? '').not.toBe('');
          expect(g.feedback).not.toMatch(/grader (could not|found no)/);
        });
      });
    }
  });
}

describe('targeted hints come from what the commands did', () => {
  const find = (chapter: string, id: string) => {
    const q = banks.find((b) => b.chapter === chapter)?.questions.find((x) => x.id === id);
    if (!q || q.kind !== 'command') throw new Error(`no command question ${chapter}/${id}`);
    return q;
  };

  it('a gateway off the connected networks: the kernel\'s own error becomes the hint', async () => {
    const g = await runCommandCheck(find('routing', 'route-to-c'), ['ip route add 192.165.2.0/24 via 192.165.2.1']);
    expect(g.correct).toBe(false);
    expect(g.runs[0]!.output).toContain('Nexthop has invalid gateway');
    expect(g.feedback).toMatch(/gateway is not on a connected network/);
  });

  it('the book\'s DNAT rule without -p tcp: the hint says where -p tcp goes', async () => {
    const g = await runCommandCheck(find('namespaces', 'port-forward'), ['iptables -t nat -A PREROUTING --dport 8080 --to-destination 192.168.15.3:80 -j DNAT']);
    expect(g.correct).toBe(false);
    expect(g.feedback).toMatch(/-p tcp/);
  });

  it('an address without its prefix length: the hint explains the /32', async () => {
    const g = await runCommandCheck(find('switching', 'configure-a'), ['ip addr add 192.165.1.10 dev eth0']);
    expect(g.correct).toBe(false);
    expect(g.feedback).toMatch(/assumes \/32/);
  });

  it('an answer the learner typed as a multi-line block runs line by line, skipping comments', async () => {
    const g = await runCommandCheck(find('map', 'pod-namespace'), '# make the namespace\nip netns add pod1\n\nip -n pod1 link set lo up\n');
    expect(g.runs.map((r) => r.line)).toEqual(['ip netns add pod1', 'ip -n pod1 link set lo up']);
    expect(g.correct).toBe(true);
  });
});

describe('a command question cannot be faked from the learner\'s shell', () => {
  const find = (chapter: string, id: string) => {
    const q = banks.find((b) => b.chapter === chapter)?.questions.find((x) => x.id === id);
    if (!q || q.kind !== 'command') throw new Error(`no command question ${chapter}/${id}`);
    return q;
  };

  it('server-header: a curl function that prints a made-up Server header fails (the expected header is probed in a fresh shell)', async () => {
    const fake = ['curl() { echo "Server: x"; }', 'curl -sI http://10.0.0.10/ | grep -i "^server:"'];
    const g = await runCommandCheck(find('proxies', 'server-header'), fake);
    expect(g.runs[1]!.output.trim()).toBe('Server: x');
    expect(g.correct).toBe(false);
  });

  it('server-header: the real header passes after the learner defined functions and aliases for every tool the grader uses', async () => {
    const g = await runCommandCheck(find('proxies', 'server-header'), ['alias grep=false', 'curl() { return 1; }', 'command curl -sI http://10.0.0.10/ | command grep -i "^server:"']);
    expect(g.correct).toBe(true);
  });

  it('both-backends: a curl function that prints both backends\' pages fails (neither backend received anything)', async () => {
    const fake = ["curl() { echo 'Hello from web1'; echo 'Hello from web2'; }", 'curl -s http://10.0.0.10/', 'curl -s http://10.0.0.10/'];
    const g = await runCommandCheck(find('proxies', 'both-backends'), fake);
    expect(g.runs[1]!.output).toContain('Hello from web2');
    expect(g.correct).toBe(false);
  });

  it('ping-b: a ping function that prints the statistics of three replies fails (nothing was sent)', async () => {
    const fake = ["ping() { echo '--- 192.165.1.11 ping statistics ---'; echo '3 packets transmitted, 3 received, 0% packet loss, time 2003ms'; }", 'ping -c 3 192.165.1.11'];
    const g = await runCommandCheck(find('map', 'ping-b'), fake);
    expect(g.runs[1]!.output).toContain('3 packets transmitted, 3 received');
    expect(g.correct).toBe(false);
  });
});

/**
 * Every command question of every bank is graded outside the learner's
 * shell, from the state: after the learner's shell replaced the tools with
 * functions and aliases that succeed and print plausible text (runner.ts
 * FAKE_LINES, and the few tools the quizzes add), each correct solution that
 * calls one of those tools no longer passes. (A solution that uses none of
 * them, such as `echo ... >> /etc/hosts`, rightly still passes.)
 */
const QUIZ_FAKES = [
  ...FAKE_LINES,
  'route() { echo "0.0.0.0 10.0.0.1 0.0.0.0 UG 0 0 0 eth0"; return 0; }',
  'netstat() { echo 3; return 0; }',
  'ss() { return 0; }',
  'host() { echo "x has address 10.0.0.1"; return 0; }',
  'bridge() { return 0; }',
];
const FAKED = new Set(['ip', 'ping', 'curl', 'wget', 'nc', 'kubectl', 'nslookup', 'dig', 'getent', 'iptables', 'iptables-save', 'sysctl', 'route', 'netstat', 'ss', 'host', 'bridge']);

/** The command words of a line (first word of each pipeline or list element). */
function commandWords(line: string): string[] {
  return line
    .split(/\|\||&&|[|;&]|\$\(|\bdo\b|\bthen\b/)
    .map((part) => part.trim().split(/\s+/)[0] ?? '')
    .filter((w) => w !== '');
}

for (const bank of banks) {
  const questions = bank.questions.filter((q): q is CommandQuestion => q.kind === 'command');
  if (questions.length === 0) continue;
  describe(`command questions of "${bank.chapter}" cannot be faked`, () => {
    for (const q of questions) {
      q.solutions.forEach((lines, i) => {
        const uses = [...new Set(lines.flatMap(commandWords).filter((w) => FAKED.has(w)))];
        if (uses.length === 0) return;
        it(`${q.id}: solution ${i + 1} with ${uses.join(', ')} faked fails`, async () => {
          const g = await runCommandCheck(q, [...QUIZ_FAKES, ...lines]);
          const transcript = g.runs.map((r) => `$ ${r.line}\n${r.output}[exit ${r.exitCode}]`).join('\n');
          expect(g.correct, transcript).toBe(false);
        });
      });
    }
  });
}
