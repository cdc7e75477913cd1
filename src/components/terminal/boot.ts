// The only terminal code a reading page loads: a custom element that, when
// the learner clicks or focuses the static box (or presses one of its
// buttons), loads xterm (./live) and the shell worker (./spawn) as lazy
// chunks and makes the box live.
import { promptKey, storageKey } from './keys';
import { addRunButtons, setDocked } from './page-tools';
import type { ShellClient } from './client';
import { prebuiltState, prewarm } from '../engine/spawn';

type LiveClient = { client: ShellClient };

class NetlabTerminal extends HTMLElement {
  private started = false;

  connectedCallback(): void {
    // drills start their terminals themselves (src/components/drill/terminal.ts)
    if (this.hasAttribute('data-manual')) return;
    const all = Array.from(document.querySelectorAll('netlab-terminal'));
    const key = storageKey(location.pathname, this.dataset.id || String(all.indexOf(this)));
    this.dataset.key = key;
    try {
      const p = localStorage.getItem(promptKey(key));
      const el = this.querySelector('.nt-prompt');
      if (p && el) el.textContent = p;
    } catch {
      // no storage: the static prompt stays
    }
    const screen = this.querySelector<HTMLElement>('.nt-screen');
    // the pointer on its way to the terminal: fetch xterm and start loading the engine now
    this.addEventListener('pointerenter', () => this.prefetch(), { once: true });
    this.addEventListener('focusin', () => this.prefetch(), { once: true });
    screen?.addEventListener('click', () => this.start());
    screen?.addEventListener('focus', () => this.start());
    screen?.addEventListener('keydown', (ev) => {
      if (this.started) return;
      const printable = ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey;
      if (printable || ev.key === 'Enter') {
        ev.preventDefault();
        this.start(undefined, printable ? ev.key : '');
      }
    });
    for (const b of this.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
      if (b.dataset.action === 'dock') {
        b.addEventListener('click', () => setDocked(this, !this.hasAttribute('data-docked')));
        continue;
      }
      if (b.dataset.action === 'map') {
        // the network map (issue 16): its code and the layout load only now, the terminal starts if it has not
        b.addEventListener('click', () => {
          if (!this.started) this.start(undefined, '', false);
          void Promise.all([import('../map/panel'), this.live]).then(([m, h]) => m.toggleMap(this, h.client, b));
        });
        continue;
      }
      b.addEventListener('click', () => {
        if (!this.started) this.start(b.dataset.action as 'undo' | 'reset');
      });
    }
  }

  private prefetched = false;

  /** Load the terminal's chunks and start an engine worker ahead of the click (the click then takes it). */
  private prefetch(): void {
    if (this.prefetched || this.started) return;
    this.prefetched = true;
    this.startEngine();
    void import('./spawn').catch(() => {});
    void import('./live').catch(() => {});
  }

  /**
   * The engine worker's code and the scenario's starting state start loading now, side by side, without waiting
   * for the terminal's chunks (one round trip each fewer on a slow link). A terminal with a save in this browser
   * starts from it: no prebuilt state then.
   */
  private startEngine(): void {
    prewarm();
    let saved = false;
    try {
      saved = localStorage.getItem(this.dataset.key!) !== null;
    } catch {
      // no storage: no save
    }
    if (!saved) void prebuiltState(this.dataset.scenario || 'blank');
  }

  private pendingInput = '';
  private handle: { type(text: string): void } | null = null;
  private liveResolve: ((h: LiveClient) => void) | null = null;
  /** the live terminal's handle, once mounted */
  private readonly live = new Promise<LiveClient>((r) => (this.liveResolve = r));

  /** The live terminal's client, once the learner has started it (a chapter's live map diagram waits on it). */
  whenLive(): Promise<LiveClient> {
    return this.live;
  }

  /**
   * Types `text` at the prompt as a paste, each line run in turn ("Run in terminal"), starting the terminal if
   * it is not live yet. The focus and the page's scroll position stay where they are.
   */
  runText(text: string): void {
    const keys = text.replace(/\r?\n/g, '\r').replace(/\r?$/, '\r');
    if (this.handle) this.handle.type(keys);
    else this.start(undefined, keys, false);
  }

  start(action?: 'undo' | 'reset', input = '', focus = true): void {
    this.pendingInput += input;
    if (this.started) return;
    this.started = true;
    performance.mark('netlab:activate');
    this.dataset.state = 'loading';
    if (!this.prefetched) this.startEngine();
    const key = this.dataset.key!;
    const scenario = this.dataset.scenario || 'blank';
    const label = this.querySelector<HTMLElement>('.nt-screen')?.dataset.label ?? 'Terminal';
    // keys typed while the chunks load are not lost
    const early = (ev: KeyboardEvent) => {
      if (ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey) this.pendingInput += ev.key;
      else if (ev.key === 'Enter') this.pendingInput += '\r';
    };
    this.addEventListener('keydown', early);
    const host = this.dataset.host || undefined;
    const spawned = import('./spawn').then((m) => m.spawn(key, scenario, host));
    Promise.all([import('./live'), spawned]).then(
      ([live, { client, started }]) => {
        this.removeEventListener('keydown', early);
        this.handle = live.mount(this, { key, scenario, host, label, client, started, action, input: this.pendingInput, focus });
        this.liveResolve?.({ client });
      },
      (e: unknown) => {
        this.removeEventListener('keydown', early);
        this.started = false;
        this.dataset.state = 'error';
        const status = this.querySelector('.nt-status');
        if (status) status.textContent = `The terminal could not load (${e instanceof Error ? e.message : String(e)}). Click to retry.`;
      },
    );
  }
}

if (!customElements.get('netlab-terminal')) customElements.define('netlab-terminal', NetlabTerminal);

addRunButtons();
