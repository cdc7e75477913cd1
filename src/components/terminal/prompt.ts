// Build time only (Terminal.astro's frontmatter): the prompt a terminal's
// static box shows, computed by building the scenario's session, so that it
// is exactly the prompt the live shell will show.
import { Session } from '../../shell/session';
import { scenarios } from '../../labs/scenarios/index';

const cache = new Map<string, Promise<string>>();

/** The prompt, and the id of the host (`host` may be a host id or a host name). */
export async function initialPrompt(scenario: string, host?: string): Promise<{ prompt: string; host: string }> {
  const def = scenarios[scenario];
  if (!def) {
    throw new Error(`<Terminal scenario="${scenario}">: no such scenario (known: ${Object.keys(scenarios).sort().join(', ')})`);
  }
  // a host id, or the host's name (drill pages pass the name)
  const hostDef = host === undefined ? def.hosts.find((x) => x.id === def.defaultHost) : (def.hosts.find((x) => x.id === host) ?? def.hosts.find((x) => x.hostname === host));
  const h = hostDef?.id ?? host ?? def.defaultHost;
  if (!hostDef) {
    throw new Error(`<Terminal scenario="${scenario}" host="${h}">: the scenario has no such host (hosts: ${def.hosts.map((x) => x.id).join(', ')})`);
  }
  const key = `${scenario}\u0000${h}`;
  let p = cache.get(key);
  if (!p) {
    p = Session.create({ scenario: def, host: h }).then(
      (s) => s.prompt(),
      (e: unknown) => {
        // the live shell will say what is wrong; the page still builds
        console.warn(`[netlab] <Terminal scenario="${scenario}" host="${h}">: ${e instanceof Error ? e.message : String(e)}`);
        return `root@${hostDef.hostname ?? h}:~# `;
      },
    );
    cache.set(key, p);
  }
  return { prompt: await p, host: h };
}
