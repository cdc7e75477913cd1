import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  completed,
  createEditor,
  feed,
  lineOf,
  listColumns,
  resize,
  showPrompt,
  splitKeys,
  type EditorAction,
  type EditorState,
} from './editor';

const PROMPT = 'root@controlplane:~# ';

/** A minimal VT100 screen: enough of xterm's behaviour to check what the editor draws. */
class Screen {
  rows: string[][] = [[]];
  x = 0;
  y = 0;
  wrapPending = false;
  constructor(readonly cols: number) {}
  private row(y: number): string[] {
    while (this.rows.length <= y) this.rows.push([]);
    return this.rows[y]!;
  }
  write(s: string): void {
    let i = 0;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '\x1b') {
        const m = /^\x1b\[([0-9;]*)([A-Za-z])/.exec(s.slice(i));
        if (!m) throw new Error(`unexpected escape ${JSON.stringify(s.slice(i, i + 6))}`);
        const n = m[1] ? Number(m[1]) : 1;
        this.wrapPending = false;
        switch (m[2]) {
          case 'A':
            this.y = Math.max(0, this.y - n);
            break;
          case 'B':
            this.y += n;
            break;
          case 'C':
            this.x = Math.min(this.cols - 1, this.x + n);
            break;
          case 'D':
            this.x = Math.max(0, this.x - n);
            break;
          case 'J':
            if (m[1] === '2') this.rows = [[]];
            else {
              this.row(this.y).length = Math.min(this.row(this.y).length, this.x);
              this.rows.length = this.y + 1;
            }
            break;
          case 'K':
            this.row(this.y).length = Math.min(this.row(this.y).length, this.x);
            break;
          case 'H':
            this.x = 0;
            this.y = 0;
            break;
          default:
            throw new Error(`unexpected CSI ${m[0]}`);
        }
        i += m[0].length;
        continue;
      }
      if (c === '\r') {
        this.x = 0;
        this.wrapPending = false;
      } else if (c === '\n') {
        this.y++;
        this.wrapPending = false;
      } else if (c === '\x07') {
        // bell
      } else {
        if (this.wrapPending) {
          this.x = 0;
          this.y++;
          this.wrapPending = false;
        }
        const r = this.row(this.y);
        while (r.length < this.x) r.push(' ');
        r[this.x] = c;
        if (this.x === this.cols - 1) this.wrapPending = true;
        else this.x++;
      }
      i++;
    }
  }
  /** the text from (0, startCol), rows concatenated (rows are full width when wrapped) */
  textFrom(startCol: number): string {
    return this.rows
      .map((r, i) => {
        const padded = i < this.rows.length - 1 ? [...r, ...Array(Math.max(0, this.cols - r.length)).fill(' ')] : r;
        return padded.join('');
      })
      .join('')
      .slice(startCol);
  }
  lines(): string[] {
    return this.rows.map((r) => r.join('').trimEnd());
  }
}

function run(state: EditorState, data: string, screen?: Screen): { state: EditorState; actions: EditorAction[]; out: string } {
  const step = feed(state, data);
  screen?.write(step.out);
  return step;
}

function fresh(opts: { columns?: number; history?: string[]; prompt?: string } = {}) {
  const screen = new Screen(opts.columns ?? 80);
  const prompt = opts.prompt ?? PROMPT;
  screen.write(prompt);
  const state = createEditor({ prompt, columns: opts.columns ?? 80, history: opts.history });
  return { state, screen };
}

describe('splitKeys', () => {
  it('splits escape sequences, control characters and text', () => {
    expect(splitKeys('ab\x1b[D\x1b[3~\x01\x1bOH\x1bb\r')).toEqual(['a', 'b', '\x1b[D', '\x1b[3~', '\x01', '\x1bOH', '\x1bb', '\r']);
  });
  it('keeps astral characters whole', () => {
    expect(splitKeys('a😀b')).toEqual(['a', '😀', 'b']);
  });
});

describe('line editing', () => {
  it('types text and runs it on Enter', () => {
    const { state, screen } = fresh();
    const r = run(state, 'echo hello | wc -c\r', screen);
    expect(r.actions).toEqual([{ type: 'run', line: 'echo hello | wc -c' }]);
    expect(r.state.mode).toBe('running');
    expect(screen.lines()[0]).toBe(PROMPT + 'echo hello | wc -c');
    expect(screen.y).toBe(1);
    expect(screen.x).toBe(0);
  });

  it('moves with left/right/Home/End and edits in the middle', () => {
    const { state, screen } = fresh();
    let s = run(state, 'ip lik', screen).state;
    s = run(s, '\x1b[D\x1b[D', screen).state; // cursor before "ik"... after "ip l"
    s = run(s, '\x1b[C', screen).state; // after "ip li"
    s = run(s, 'n', screen).state;
    expect(lineOf(s)).toBe('ip link');
    s = run(s, '\x1b[H', screen).state;
    expect(s.cursor).toBe(0);
    s = run(s, 'sudo ', screen).state;
    s = run(s, '\x1b[F', screen).state;
    s = run(s, ' show', screen).state;
    expect(lineOf(s)).toBe('sudo ip link show');
    expect(screen.lines()[0]).toBe(PROMPT + 'sudo ip link show');
    expect(screen.x).toBe(PROMPT.length + 'sudo ip link show'.length);
  });

  it('Backspace deletes before the cursor, Delete under it', () => {
    const { state, screen } = fresh();
    let s = run(state, 'ipp addr', screen).state;
    s = run(s, '\x01\x1b[C\x1b[C', screen).state; // after "ip"
    s = run(s, '\x1b[3~', screen).state; // delete the second p
    expect(lineOf(s)).toBe('ip addr');
    s = run(s, '\x05\x7f\x7f', screen).state;
    expect(lineOf(s)).toBe('ip ad');
    expect(screen.lines()[0]).toBe(PROMPT + 'ip ad');
    // Backspace at the start and Delete at the end do nothing
    s = run(s, '\x1b[3~', screen).state;
    s = run(s, '\x01\x7f', screen).state;
    expect(lineOf(s)).toBe('ip ad');
  });

  it('Ctrl-A/E move, Ctrl-U/K cut, Ctrl-Y yanks back', () => {
    const { state, screen } = fresh();
    let s = run(state, 'ip route show table main', screen).state;
    s = run(s, '\x01', screen).state;
    expect(s.cursor).toBe(0);
    s = run(s, '\x05', screen).state;
    expect(s.cursor).toBe(24);
    // cursor after "ip route show"
    s = run(s, '\x1b[D'.repeat(11), screen).state;
    s = run(s, '\x0b', screen).state;
    expect(lineOf(s)).toBe('ip route show');
    expect(s.killed).toBe(' table main');
    s = run(s, '\x19', screen).state;
    expect(lineOf(s)).toBe('ip route show table main');
    s = run(s, '\x1b[D'.repeat(10), screen).state; // before "table"... after "show "
    s = run(s, '\x15', screen).state;
    expect(lineOf(s)).toBe('table main');
    expect(s.cursor).toBe(0);
    expect(screen.lines()[0]).toBe(PROMPT + 'table main');
  });

  it('Ctrl-W cuts the previous whitespace-delimited word', () => {
    const { state, screen } = fresh();
    let s = run(state, 'ip netns exec red ip -br a  ', screen).state;
    s = run(s, '\x17', screen).state;
    expect(lineOf(s)).toBe('ip netns exec red ip -br ');
    s = run(s, '\x17', screen).state;
    expect(lineOf(s)).toBe('ip netns exec red ip ');
    expect(s.killed).toBe('-br ');
    expect(screen.lines()[0]).toBe(PROMPT + 'ip netns exec red ip');
  });

  it('Alt-b/Alt-f move by words', () => {
    const { state } = fresh();
    let s = feed(state, 'ip link set dev eth0').state;
    s = feed(s, '\x1bb').state;
    expect(s.cursor).toBe(16); // before eth0
    s = feed(s, '\x1bb\x1bb').state;
    expect(s.cursor).toBe(8); // before set
    s = feed(s, '\x1bf').state;
    expect(s.cursor).toBe(11);
  });

  it('ignores unknown escape sequences and control characters', () => {
    const { state } = fresh();
    const s = feed(state, 'a\x1b[15~\x00\x1b[Zb').state;
    expect(lineOf(s)).toBe('ab');
  });
});

describe('Ctrl-C and Ctrl-L', () => {
  it('Ctrl-C at the prompt cancels the line and shows a new prompt', () => {
    const { state, screen } = fresh();
    let s = run(state, 'ip link add', screen).state;
    s = run(s, '\x1b[D\x1b[D', screen).state;
    const r = run(s, '\x03', screen);
    expect(r.actions).toEqual([]);
    expect(lineOf(r.state)).toBe('');
    expect(screen.lines()).toEqual([PROMPT + 'ip link add^C', PROMPT.trimEnd()]);
    expect(screen.x).toBe(PROMPT.length);
    expect(r.state.histIndex).toBe(r.state.history.length);
  });

  it('Ctrl-C while a command runs interrupts it and drops the typeahead', () => {
    const { state } = fresh();
    let r = feed(state, 'sleep 100\r');
    expect(r.state.mode).toBe('running');
    r = feed(r.state, 'echo queued\r');
    expect(r.state.typeahead).toBe('echo queued\r');
    r = feed(r.state, '\x03');
    expect(r.actions).toEqual([{ type: 'interrupt' }]);
    expect(r.out).toBe('^C');
    expect(r.state.typeahead).toBe('');
    const p = showPrompt(r.state, { startCol: 0 });
    expect(p.actions).toEqual([]);
    expect(p.state.mode).toBe('edit');
  });

  it('Ctrl-L clears the screen and keeps the line being typed', () => {
    const { state, screen } = fresh();
    let s = run(state, 'echo one\r', screen).state;
    screen.write('one\r\n');
    s = showPrompt(s).state;
    screen.write(PROMPT);
    s = run(s, 'ip addr', screen).state;
    s = run(s, '\x1b[D', screen).state;
    const r = run(s, '\x0c', screen);
    expect(r.out.startsWith('\x1b[H\x1b[2J')).toBe(true);
    expect(screen.lines()).toEqual([PROMPT + 'ip addr']);
    expect(screen.y).toBe(0);
    expect(screen.x).toBe(PROMPT.length + 6);
    expect(lineOf(r.state)).toBe('ip addr');
  });
});

describe('history', () => {
  it('Up and Down walk the history and keep the line being typed', () => {
    const { state, screen } = fresh({ history: ['ip link', 'ip addr'] });
    let s = run(state, 'ip ro', screen).state;
    s = run(s, '\x1b[A', screen).state;
    expect(lineOf(s)).toBe('ip addr');
    s = run(s, '\x1b[A', screen).state;
    expect(lineOf(s)).toBe('ip link');
    s = run(s, '\x1b[A', screen).state; // at the oldest: stays
    expect(lineOf(s)).toBe('ip link');
    s = run(s, '\x1b[B', screen).state;
    expect(lineOf(s)).toBe('ip addr');
    s = run(s, '\x1b[B', screen).state;
    expect(lineOf(s)).toBe('ip ro');
    expect(screen.lines()[0]).toBe(PROMPT + 'ip ro');
    s = run(s, '\x1b[B', screen).state;
    expect(lineOf(s)).toBe('ip ro');
  });

  it('records run lines like bash with ignoreboth, and takes the session history at the prompt', () => {
    const { state } = fresh();
    let s = feed(state, 'ip link\r').state;
    s = showPrompt(s).state;
    s = feed(s, 'ip link\r').state; // duplicate of the previous line
    s = showPrompt(s).state;
    s = feed(s, ' secret\r').state; // leading space
    s = showPrompt(s).state;
    expect(s.history).toEqual(['ip link']);
    s = showPrompt(s, { history: ['a', 'b', 'c'] }).state;
    s = feed(s, '\x1b[A').state;
    expect(lineOf(s)).toBe('c');
  });

  it('an edited history line does not change the history', () => {
    const { state } = fresh({ history: ['ip link'] });
    let s = feed(state, '\x1b[A\x7f\x7f\x7f\x7froute').state;
    expect(lineOf(s)).toBe('ip route');
    const r = feed(s, '\r');
    expect(r.actions).toEqual([{ type: 'run', line: 'ip route' }]);
    expect(r.state.history).toEqual(['ip link', 'ip route']);
  });
});

describe('Tab completion', () => {
  it('asks for completions at the cursor and applies a single one with a space', () => {
    const { state, screen } = fresh();
    let r = run(state, 'ec', screen);
    r = run(r.state, '\t', screen);
    expect(r.actions).toEqual([{ type: 'complete', line: 'ec', cursor: 2 }]);
    expect(r.state.mode).toBe('completing');
    const c = completed(r.state, { from: 0, candidates: ['echo'] });
    screen.write(c.out);
    expect(lineOf(c.state)).toBe('echo ');
    expect(c.state.mode).toBe('edit');
    expect(screen.lines()[0]).toBe(PROMPT + 'echo');
    expect(screen.x).toBe(PROMPT.length + 5);
  });

  it('completes a directory without a space and keeps text after the cursor', () => {
    const { state } = fresh();
    let s = feed(state, 'cat /et/hosts').state;
    s = feed(s, '\x1b[D'.repeat(6)).state;
    const r = feed(s, '\t');
    expect(r.actions).toEqual([{ type: 'complete', line: 'cat /et/hosts', cursor: 7 }]);
    const c = completed(r.state, { from: 4, candidates: ['/etc/'] });
    expect(lineOf(c.state)).toBe('cat /etc//hosts');
    expect(c.state.cursor).toBe(9);
  });

  it('inserts the common prefix, rings on the first useless Tab and lists on the second', () => {
    const { state, screen } = fresh();
    let r = run(state, 'ip n', screen);
    r = run(r.state, '\t', screen);
    let c = completed(r.state, { from: 3, candidates: ['neighbour', 'netns', 'netconf'] });
    screen.write(c.out);
    expect(lineOf(c.state)).toBe('ip ne');
    r = run(c.state, '\t', screen);
    c = completed(r.state, { from: 3, candidates: ['neighbour', 'netns', 'netconf'] });
    screen.write(c.out);
    expect(c.out).toBe('\x07');
    expect(lineOf(c.state)).toBe('ip ne');
    r = run(c.state, '\t', screen);
    c = completed(r.state, { from: 3, candidates: ['neighbour', 'netns', 'netconf'] });
    screen.write(c.out);
    expect(screen.lines()).toEqual([PROMPT + 'ip ne', 'neighbour  netconf    netns', PROMPT + 'ip ne']);
    expect(screen.y).toBe(2);
    expect(screen.x).toBe(PROMPT.length + 5);
  });

  it('rings when nothing completes', () => {
    const { state } = fresh();
    const r = feed(state, 'zzz\t');
    const c = completed(r.state, { from: 0, candidates: [] });
    expect(c.out).toBe('\x07');
    expect(lineOf(c.state)).toBe('zzz');
  });

  it('replays keys typed while completions were computed', () => {
    const { state } = fresh();
    let r = feed(state, 'hostn\tx');
    expect(r.state.typeahead).toBe('x');
    r = completed(r.state, { from: 0, candidates: ['hostname'] });
    expect(lineOf(r.state)).toBe('hostname x');
  });

  it('lays out candidates in columns, down then across', () => {
    expect(listColumns(['a', 'bb', 'c', 'd', 'e'], 10)).toBe('a   d\r\nbb  e\r\nc\r\n');
  });
});

describe('paste', () => {
  it('runs the lines of a pasted block one after another and leaves an unfinished last line', () => {
    const { state } = fresh();
    let r = feed(state, 'ip netns add red\rip netns add blue\rip netns');
    expect(r.actions).toEqual([{ type: 'run', line: 'ip netns add red' }]);
    r = showPrompt(r.state);
    expect(r.actions).toEqual([{ type: 'run', line: 'ip netns add blue' }]);
    expect(r.out).toBe(PROMPT + 'ip netns add blue\r\n');
    r = showPrompt(r.state);
    expect(r.actions).toEqual([]);
    expect(lineOf(r.state)).toBe('ip netns');
    expect(r.state.mode).toBe('edit');
  });

  it('a 40-line script runs all its lines in order', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `echo line ${i + 1}`);
    let r = feed(fresh().state, lines.join('\r') + '\r');
    const ran: string[] = [];
    for (let i = 0; i < 100 && r.actions.length; i++) {
      for (const a of r.actions) if (a.type === 'run') ran.push(a.line);
      r = showPrompt(r.state);
    }
    expect(ran).toEqual(lines);
  });
});

describe('drawing', () => {
  it('the prompt follows output that did not end with a newline', () => {
    const screen = new Screen(80);
    let s = createEditor({ prompt: PROMPT });
    screen.write(PROMPT);
    s = feed(s, 'printf abc\r').state;
    screen.write('\r\n');
    screen.write('abc');
    const p = showPrompt(s, { startCol: 3 });
    screen.write(p.out);
    const r = feed(p.state, 'xyz\x1b[D\x7f');
    screen.write(r.out);
    expect(screen.lines()[1]).toBe('abc' + PROMPT + 'xz');
    expect(screen.x).toBe(3 + PROMPT.length + 1);
  });

  it('redraws lines wider than the terminal (property)', () => {
    const key = fc.oneof(
      fc.constantFrom('a', 'b', ' ', '-', '/', 'é'),
      fc.constantFrom('\x7f', '\x1b[3~', '\x1b[D', '\x1b[C', '\x01', '\x05', '\x15', '\x0b', '\x17', '\x19', '\x1bb', '\x1bf', '\x1b[A', '\x1b[B', '\x0c'),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 40 }),
        fc.integer({ min: 0, max: 30 }),
        fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('r', 'o', 't', '@', ':', '~', '#', ' ') }),
        fc.array(key, { maxLength: 80 }),
        (cols, startColRaw, prompt, keys) => {
          const startCol = startColRaw % cols;
          const screen = new Screen(cols);
          screen.write('x'.repeat(startCol));
          let s = createEditor({ prompt, columns: cols, history: ['one two', 'a-much-longer-history-line-that-wraps'] });
          const p = showPrompt(s, { startCol });
          screen.write(p.out);
          s = p.state;
          let origin = startCol;
          for (const k of keys) {
            const r = feed(s, k);
            screen.write(r.out);
            if (k === '\x0c') origin = 0;
            s = r.state;
          }
          const text = prompt + lineOf(s);
          expect(screen.textFrom(origin).trimEnd()).toBe(text.trimEnd());
          const pos = origin + prompt.length + s.cursor;
          expect([screen.y, screen.x]).toEqual([Math.floor(pos / cols), pos % cols]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps drawing right after a resize', () => {
    const { state } = fresh({ columns: 30 });
    let s = feed(state, 'x'.repeat(20)).state;
    s = resize(s, 20);
    expect(s.cursorRow).toBe(Math.floor((PROMPT.length + 20) / 20));
  });
});

describe('continuation lines (PS2)', () => {
  it('sends the lines so far with each Enter, shows PS2 when the command goes on, and PS1 after', () => {
    let { state, screen } = fresh();
    let r = run(state, 'cat > /tmp/a <<EOF\r', screen);
    expect(r.actions).toEqual([{ type: 'run', line: 'cat > /tmp/a <<EOF' }]);
    let p = showPrompt(r.state, { continued: true });
    screen.write(p.out);
    expect(p.state.prompt).toBe('> ');
    r = run(p.state, 'one\r', screen);
    expect(r.actions).toEqual([{ type: 'run', line: 'cat > /tmp/a <<EOF\none' }]);
    p = showPrompt(r.state, { continued: true });
    screen.write(p.out);
    r = run(p.state, 'EOF\r', screen);
    expect(r.actions).toEqual([{ type: 'run', line: 'cat > /tmp/a <<EOF\none\nEOF' }]);
    p = showPrompt(r.state, {});
    screen.write(p.out);
    expect(p.state.prompt).toBe(PROMPT);
    expect(p.state.pending).toEqual([]);
    expect(screen.lines().filter(Boolean)).toEqual([PROMPT + 'cat > /tmp/a <<EOF', '> one', '> EOF', PROMPT.trimEnd()]);
  });

  it('Ctrl-C at PS2 abandons the pending lines and goes back to PS1', () => {
    let { state, screen } = fresh();
    const r = run(state, 'for i in 1 2; do\r', screen);
    const p = showPrompt(r.state, { continued: true });
    screen.write(p.out);
    const c = run(p.state, 'echo $i\x03', screen);
    expect(c.state.pending).toEqual([]);
    expect(c.state.prompt).toBe(PROMPT);
    const e = run(c.state, 'true\r', screen);
    expect(e.actions).toEqual([{ type: 'run', line: 'true' }]);
    expect(screen.lines()).toContain('> echo $i^C');
  });

  it('a pasted heredoc waits for each answer and runs the rest as typeahead', () => {
    const { state } = fresh();
    const r = feed(state, 'cat <<EOF | wc -l\na\nb\nEOF\necho done\n');
    expect(r.actions).toEqual([{ type: 'run', line: 'cat <<EOF | wc -l' }]);
    let p = showPrompt(r.state, { continued: true });
    expect(p.actions).toEqual([{ type: 'run', line: 'cat <<EOF | wc -l\na' }]);
    p = showPrompt(p.state, { continued: true });
    p = showPrompt(p.state, { continued: true });
    expect(p.actions).toEqual([{ type: 'run', line: 'cat <<EOF | wc -l\na\nb\nEOF' }]);
    p = showPrompt(p.state, {});
    expect(p.actions).toEqual([{ type: 'run', line: 'echo done' }]);
  });
});

describe('reverse-i-search', () => {
  it('Ctrl-R finds the latest line containing the text, again finds older ones, Enter runs it', () => {
    let { state, screen } = fresh({ history: ['ip link show', 'ping -c1 10.0.0.1', 'ip route'] });
    let r = run(state, '\x12', screen);
    expect(screen.lines()[0]).toBe("(reverse-i-search)`':");
    r = run(r.state, 'p', screen);
    expect(screen.lines()[0]).toBe("(reverse-i-search)`p': ip route");
    r = run(r.state, '\x12', screen);
    expect(screen.lines()[0]).toBe("(reverse-i-search)`p': ping -c1 10.0.0.1");
    r = run(r.state, 'x', screen);
    expect(screen.lines()[0]).toBe("(failed reverse-i-search)`px': ping -c1 10.0.0.1");
    r = run(r.state, '\x7f\r', screen);
    expect(r.actions).toEqual([{ type: 'run', line: 'ping -c1 10.0.0.1' }]);
    expect(screen.lines()[0]).toBe(PROMPT + 'ping -c1 10.0.0.1');
  });

  it('Ctrl-G gives back the line typed before; an arrow key keeps the line found for editing', () => {
    let { state, screen } = fresh({ history: ['ip link show', 'ss -tln'] });
    let r = run(state, 'draft\x12ss\x07', screen);
    expect(lineOf(r.state)).toBe('draft');
    expect(screen.lines()[0]).toBe(PROMPT + 'draft');
    r = run(r.state, '\x12link\x1b[C', screen);
    expect(r.state.search).toBeNull();
    expect(lineOf(r.state)).toBe('ip link show');
    expect(screen.lines()[0]).toBe(PROMPT + 'ip link show');
  });

  it('Ctrl-S searches forward with the (i-search) prompt', () => {
    let { state, screen } = fresh({ history: ['a1', 'b1', 'a2'] });
    let r = run(state, '\x12a\x12', screen);
    expect(lineOf(r.state)).toBe('a1');
    r = run(r.state, '\x13', screen);
    expect(screen.lines()[0]).toBe("(i-search)`a': a2");
  });
});

describe('long input', () => {
  it('takes a pasted line of 200 KB whole and refuses one over MAX_LINE without keeping it', () => {
    const { state } = fresh();
    const big = 'echo ' + 'x'.repeat(200_000);
    const r = feed(state, big + '\r');
    expect(r.actions).toEqual([{ type: 'run', line: big }]);
    const huge = 'y'.repeat(1_100_000);
    const h = feed(state, huge + '\recho ok\r');
    expect(h.actions).toEqual([{ type: 'run', line: 'echo ok' }]);
    expect(h.state.history).toEqual(['echo ok']);
  });

  it('a paste of many lines is replayed line by line without re-reading the whole rest', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `echo ${i}`);
    let step = feed(fresh().state, lines.join('\n') + '\n');
    const ran: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      for (const a of step.actions) if (a.type === 'run') ran.push(a.line);
      step = showPrompt(step.state, {});
    }
    expect(ran).toEqual(lines);
  });
});
