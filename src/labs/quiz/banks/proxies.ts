// Chapter 10: Proxies and reverse proxies.
import { defineBank } from '../types';
import type { World } from '../../../sim/world';
import { allOutput, fail, lastRun, outputLines, pass, rootNs } from '../predicates';

/** The hosts whose static HTTP servers are the backends, with their bodies. */
function backends(world: World): { host: string; body: string }[] {
  const out: { host: string; body: string }[] = [];
  for (const [id, h] of Object.entries(world.state.hosts)) {
    for (const p of h.processes) if (p.role?.kind === 'http' && p.role.config.mode === 'static' && p.role.config.body.trim() !== '') out.push({ host: id, body: p.role.config.body.trim() });
  }
  return out;
}

/** Packets a host's own interfaces received (to tell a request that really reached it from text a shell function printed). */
function received(world: World, host: string): number {
  return (rootNs(world, host)?.links ?? []).reduce((n, l) => n + l.stats.rxPackets, 0);
}

/** The bodies the static HTTP servers of the world answer with (the backends). */
function backendBodies(world: World): string[] {
  const out: string[] = [];
  for (const h of Object.values(world.state.hosts)) {
    for (const p of h.processes) if (p.role?.kind === 'http' && p.role.config.mode === 'static') out.push(p.role.config.body.trim());
  }
  return out.filter((b) => b !== '');
}

export default defineBank({
  chapter: 'proxies',
  title: 'Proxies and reverse proxies',
  questions: [
    {
      kind: 'single',
      id: 'forward-vs-reverse',
      prompt: 'What distinguishes a reverse proxy from a forward proxy?',
      options: [
        { id: 'side', text: 'A reverse proxy stands in front of servers and receives clients\' requests for them; a forward proxy stands in front of clients and makes requests on their behalf' },
        { id: 'direction', text: 'A reverse proxy only handles responses, a forward proxy only requests', feedback: 'Both pass requests and responses; they differ in whom they act for.' },
        { id: 'protocol', text: 'A reverse proxy works for HTTPS, a forward proxy for HTTP', feedback: 'Both kinds handle both protocols.' },
        { id: 'same', text: 'Nothing: the names are synonyms', feedback: 'They sit on opposite sides of the connection.' },
      ],
      answer: 'side',
      explanation: 'A forward proxy acts for clients (an office\'s web proxy: filtering, caching, hiding the clients). A reverse proxy acts for servers: clients connect to it as if it were the site, and it picks a backend (load balancing), terminates TLS, caches. NGINX, HAProxy and Ingress controllers are reverse proxies.',
    },
    {
      kind: 'multiple',
      id: 'reverse-tasks',
      prompt: 'Which of these are typical jobs of a reverse proxy? Select all that apply.',
      options: [
        { id: 'lb', text: 'Spreading requests over several backend servers' },
        { id: 'tls', text: 'Terminating TLS, so the backends speak plain HTTP' },
        { id: 'route', text: 'Sending `/api` to one service and `/` to another' },
        { id: 'filter', text: 'Stopping employees from visiting certain websites', feedback: 'That is a forward proxy\'s job: it acts for the clients of a network.' },
        { id: 'dhcp', text: 'Handing out IP addresses to the backends', feedback: 'That is DHCP (or, for pods, the CNI plugin\'s IPAM).' },
      ],
      answers: ['lb', 'tls', 'route'],
      explanation: 'A reverse proxy sees every request to the site, so it can balance load, terminate TLS (holding the certificate), route by host name or path, cache, and add headers such as X-Forwarded-For. An Ingress controller does exactly this for a cluster.',
    },
    {
      kind: 'text',
      id: 'proxy-pass',
      prompt: 'Which NGINX directive, inside a `location` block, sends requests on to a backend or an upstream group?',
      normalise: { case: 'sensitive', spaces: 'remove', quotes: true },
      accept: ['proxy_pass'],
      acceptPatterns: ['proxy_pass;?'],
      wrong: [{ answer: 'upstream', feedback: '`upstream` defines a group of backends; another directive sends requests to it.' }],
      placeholder: 'directive',
      explanation: '`proxy_pass http://backends;` forwards the request to the `upstream backends { server 10.0.1.11:8080; server 10.0.1.12:8080; }` group (or straight to a URL). NGINX then copies the response back to the client.',
    },
    {
      kind: 'single',
      id: 'default-balancing',
      prompt: 'An NGINX `upstream` block lists two servers and nothing else. How are requests spread over them?',
      options: [
        { id: 'rr', text: 'Round robin: one after the other, in turn' },
        { id: 'least', text: 'To the server with the fewest active connections', feedback: 'That is `least_conn`, which must be asked for.' },
        { id: 'hash', text: 'By a hash of the client\'s IP', feedback: 'That is `ip_hash`, which must be asked for.' },
        { id: 'first', text: 'All to the first; the second is a standby', feedback: 'Only servers marked `backup` are standbys.' },
      ],
      answer: 'rr',
      explanation: 'Without a method, NGINX uses weighted round robin (all weights 1 here), so successive requests alternate between the backends, as the lab shows. `least_conn`, `ip_hash` and `hash` change the method; `weight=` and `backup` tune it.',
    },
    {
      kind: 'text',
      id: 'xff',
      prompt: 'Behind a reverse proxy, every request seems to come from the proxy\'s IP. Which request header conventionally carries the original client\'s address?',
      normalise: { case: 'insensitive', spaces: 'remove' },
      accept: ['X-Forwarded-For'],
      acceptPatterns: ['x-forwarded-for:?', 'x-real-ip:?', 'forwarded:?'],
      explanation: 'Proxies append the client address to `X-Forwarded-For` (NGINX: `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`); `X-Real-IP` and the standard `Forwarded` header serve the same purpose. The backend must trust them only from the proxy.',
    },
    {
      kind: 'single',
      id: 'ingress',
      competencies: ['ingress'],
      prompt: 'In Kubernetes, what is an Ingress controller?',
      options: [
        { id: 'reverse', text: 'A reverse proxy running in the cluster, configured from Ingress (or Gateway API) resources' },
        { id: 'forward', text: 'A forward proxy that pods use to reach the internet', feedback: 'It handles traffic coming into the cluster, for Services.' },
        { id: 'kube-proxy', text: 'Another name for kube-proxy', feedback: 'kube-proxy does layer-4 NAT for Services; an Ingress controller is a layer-7 proxy.' },
        { id: 'cni', text: 'A CNI plugin', feedback: 'CNI plugins wire pods; they do not route HTTP.' },
      ],
      answer: 'reverse',
      explanation: 'An Ingress resource is only configuration (hosts, paths, backends, TLS); a controller is the reverse proxy that applies it, exposed itself through a NodePort or LoadBalancer Service. The community\'s own ingress-nginx, long the usual example, was retired in March 2026 (no releases or fixes since); maintained controllers remain, and the Gateway API, in the current CKA curriculum, is the successor of Ingress.',
    },
    {
      kind: 'multiple',
      id: 'ingress-to-httproute',
      competencies: ['gateway-api', 'ingress'],
      prompt: 'An Ingress (class `nginx`) sends host `shop.example.com`, path `/api` (`pathType: Prefix`) to Service `api` port 8080. You convert it into a Gateway API HTTPRoute. Which statements are right? Select all that apply.',
      options: [
        { id: 'hostnames', text: 'The host becomes an entry of the HTTPRoute\'s `spec.hostnames`' },
        { id: 'matches', text: 'The path becomes `matches: [{path: {type: PathPrefix, value: /api}}]` in a rule' },
        { id: 'backend', text: 'The backend becomes `backendRefs: [{name: api, port: 8080}]` in the same rule' },
        { id: 'class', text: '`ingressClassName` becomes a `gatewayClassName` field of the HTTPRoute', feedback: 'The class belongs to the Gateway (`spec.gatewayClassName`); an HTTPRoute attaches to a Gateway through `spec.parentRefs`.' },
        { id: 'no-parent', text: 'An HTTPRoute needs no parent: every Gateway of the cluster serves it', feedback: 'A route is served only by the Gateways named in its `parentRefs` (and that allow it): without one, nothing serves it.' },
      ],
      answers: ['hostnames', 'matches', 'backend'],
      explanation: 'The Gateway API splits what an Ingress holds: the GatewayClass names the controller, the Gateway (usually owned by the cluster operator) holds the listeners and TLS, and the HTTPRoute holds `parentRefs` (which Gateway), `hostnames`, and rules of `matches` and `backendRefs`. Prefix becomes `PathPrefix`, Exact stays `Exact`, and `backendRefs` may carry `weight`s to split traffic.',
    },
    {
      kind: 'single',
      id: 'backend-failure',
      prompt: 'One of the two backends stops. What does NGINX do with requests by default?',
      options: [
        { id: 'retry', text: 'A request that fails to connect is passed to the next server, and the failed one is avoided for a while' },
        { id: 'error', text: 'Every second request returns an error for ever', feedback: 'NGINX marks the server as failed (`max_fails`, `fail_timeout`) and tries the next one.' },
        { id: 'stop', text: 'NGINX stops serving until the backend returns', feedback: 'The other backend keeps serving.' },
        { id: 'dns', text: 'NGINX asks DNS for a new backend', feedback: 'Servers in an upstream are fixed in the configuration.' },
      ],
      answer: 'retry',
      explanation: 'With the defaults (`proxy_next_upstream error timeout`, `max_fails=1`, `fail_timeout=10s`), a connection error makes NGINX try the next server, and the failed one is left out for 10 seconds. That is passive health checking.',
    },
    {
      kind: 'command',
      id: 'both-backends',
      prompt: 'From the client, send two requests through the reverse proxy at `10.0.0.10` so that both backends answer.',
      scenario: 'proxy-lab',
      solutions: [['curl -s http://10.0.0.10/', 'curl -s http://10.0.0.10/'], ['for i in 1 2; do curl -s 10.0.0.10; done'], ['curl -s http://10.0.0.10/ http://10.0.0.10/']],
      wrong: [['curl -s http://10.0.0.10/'], ['curl -s http://10.0.1.11:8080/', 'curl -s http://10.0.1.11:8080/']],
      check: ({ world, start, runs }) => {
        const bodies = backendBodies(world);
        if (bodies.length < 2) return fail(runs, 'The grader found fewer than two backends in this scenario.');
        const viaProxy = runs.filter((r) => /10\.0\.0\.10/.test(r.line));
        const out = viaProxy.map((r) => r.output).join('');
        const seen = bodies.filter((b) => out.includes(b));
        // every backend must really have been reached (its interfaces received packets since the start): printed bodies alone prove nothing
        const reached = backends(world).filter((b) => received(world, b.host) > received(start, b.host));
        if (seen.length === bodies.length && reached.length === bodies.length) return pass();
        if (viaProxy.length === 0) return fail(runs, 'Go through the proxy: its address is 10.0.0.10 (port 80).');
        if (seen.length === 1) return fail(runs, `Only one backend answered (${seen[0]}): the proxy alternates, so send another request.`);
        return fail(runs, 'No backend answered through the proxy: `curl -s http://10.0.0.10/`.');
      },
      explanation: 'The proxy balances round robin, so two requests in a row reach web1 and web2 in turn. `curl -s` hides the progress meter; a loop (`for i in 1 2; do curl -s 10.0.0.10; done`) or two URLs on one curl line do the same. Going to a backend\'s address directly bypasses the proxy.',
    },
    {
      kind: 'command',
      id: 'server-header',
      prompt: 'Show the `Server` response header the reverse proxy at `10.0.0.10` sends back (the last command must print that header line, and only it).',
      scenario: 'proxy-lab',
      solutions: [
        ['curl -sI http://10.0.0.10/ | grep -i "^server:"'],
        ["curl -si http://10.0.0.10/ | grep -i '^server'"],
        ["curl -sv http://10.0.0.10/ 2>&1 >/dev/null | grep -i '< server' | sed 's/^< //'"],
        ['curl -s -D - -o /dev/null http://10.0.0.10/ | grep -i ^server'],
      ],
      wrong: [['curl -s http://10.0.0.10/'], ['curl -sI http://10.0.0.10/']],
      check: async ({ runs, probe }) => {
        // what the proxy really sends, asked after the learner's commands
        const head = await probe('curl -sI http://10.0.0.10/');
        const header = head.output.split('\n').map((l) => l.replace(/\r$/, '').trim()).find((l) => /^server:/i.test(l));
        if (!header) return fail(runs, 'The grader could not read the proxy\'s headers in this scenario.');
        const lines = outputLines(lastRun(runs)).map((l) => l.replace(/\r$/, '').trim());
        if (lines.length === 1 && lines[0]!.toLowerCase() === header.toLowerCase()) return pass();
        if (allOutput(runs).toLowerCase().includes('server:')) return fail(runs, 'The header is in there; keep only its line with `grep -i server`.');
        return fail(runs, 'Headers are not printed by default: `curl -I` (a HEAD request) or `curl -D -` shows them.');
      },
      explanation: '`curl -I` sends a HEAD request and prints only the response headers; `curl -D - -o /dev/null` dumps the headers of a normal GET and discards the body. `grep -i ^server` keeps the Server line, which names the proxy software (nginx), not the backends: clients only see the proxy.',
    },
  ],
});
