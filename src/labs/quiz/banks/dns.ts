// Chapter 5: Prerequisites, DNS.
import { defineBank } from '../types';
import type { World } from '../../../sim/world';
import type { DnsRecord } from '../../../sim/types';
import { fail, hostsLookup, lastRun, nameservers, outputLines, pass, readFile, singleLine } from '../predicates';
import { reverseName } from '../../../sim/dns';

/** Every record served by the simulated DNS servers of the world. */
function servedRecords(world: World): DnsRecord[] {
  const out: DnsRecord[] = [];
  for (const h of Object.values(world.state.hosts)) {
    for (const p of h.processes) if (p.role?.kind === 'dns') out.push(...p.role.config.records);
  }
  return out;
}

/** The data of `type` records for a name, following CNAMEs as a resolver does. */
function resolve(world: World, name: string, type: DnsRecord['type']): string[] {
  const records = servedRecords(world);
  let current = name.toLowerCase().replace(/\.$/, '');
  for (let hops = 0; hops < 8; hops++) {
    const direct = records.filter((r) => r.name === current && r.type === type).map((r) => r.data);
    if (direct.length) return direct;
    const cname = records.find((r) => r.name === current && r.type === 'CNAME');
    if (!cname) return [];
    current = cname.data.toLowerCase().replace(/\.$/, '');
  }
  return [];
}

export default defineBank({
  chapter: 'dns',
  title: 'Prerequisites: DNS',
  questions: [
    {
      kind: 'text',
      id: 'hosts-file',
      prompt: 'Which file maps names to addresses on one host, with no DNS server involved?',
      normalise: { case: 'sensitive', spaces: 'remove' },
      accept: ['/etc/hosts'],
      wrong: [{ answer: '/etc/resolv.conf', feedback: 'resolv.conf says which DNS server to ask; it holds no names.' }],
      placeholder: '/etc/…',
      explanation: '`/etc/hosts` holds lines of "address name [aliases]". Only the host it sits on reads it, and it trusts it blindly. It is fine for a few names, but every host needs its own copy and every change must be made everywhere: that is why DNS exists.',
    },
    {
      kind: 'single',
      id: 'hosts-scale',
      prompt: 'Why does `/etc/hosts` not scale to a company network?',
      options: [
        { id: 'copies', text: 'Every host keeps its own copy, and every change must be made on every host' },
        { id: 'size', text: 'The file is limited to 256 lines', feedback: 'There is no such limit.' },
        { id: 'ipv6', text: 'It cannot hold IPv6 addresses', feedback: 'It holds IPv6 addresses fine (`::1 localhost`).' },
        { id: 'slow', text: 'Reading a file is slower than asking a server over the network', feedback: 'Reading a local file is much faster; the problem is keeping the copies in step.' },
      ],
      answer: 'copies',
      explanation: 'With hosts files, each machine has its own view of the names; adding or moving one server means editing every machine. A DNS server keeps the names in one place and every host asks it.',
    },
    {
      kind: 'text',
      id: 'resolv-keyword',
      prompt: 'In `/etc/resolv.conf`, which keyword starts the line that gives the address of a DNS server?',
      normalise: { case: 'sensitive', spaces: 'remove' },
      accept: ['nameserver'],
      wrong: [{ answer: 'search', feedback: '`search` lists domains to append to short names.' }, { answer: 'server', feedback: 'Close: the keyword is one word, `nameserver`.' }],
      explanation: '`nameserver 192.168.15.10` names a server to ask (up to three lines, tried in order). `search example.test` lists domains tried after a short name, and `options ndots:5` is what pods get in Kubernetes.',
    },
    {
      kind: 'single',
      id: 'nsswitch',
      prompt: 'A name is both in `/etc/hosts` and on the DNS server, with different addresses. `/etc/nsswitch.conf` has `hosts: files dns`. Which address does `ping NAME` use?',
      options: [
        { id: 'hosts', text: 'The one in /etc/hosts: `files` comes first' },
        { id: 'dns', text: 'The DNS server\'s: DNS is authoritative', feedback: 'The order in nsswitch.conf decides, not authority.' },
        { id: 'both', text: 'Both, alternately', feedback: 'The first source that knows the name wins.' },
        { id: 'error', text: 'Neither: ping reports a conflict', feedback: 'Nothing checks for conflicts.' },
      ],
      answer: 'hosts',
      explanation: 'Programs resolve through the C library, which follows `/etc/nsswitch.conf`: with `hosts: files dns`, `/etc/hosts` is read first and DNS is asked only if the name is not there. `getent hosts NAME` shows what programs get. `dig` and `nslookup` bypass all this and ask DNS directly.',
    },
    {
      kind: 'single',
      id: 'a-record',
      prompt: 'The book\'s notes say "A records - map ip addresses to hostnames". What does an A record really map?',
      options: [
        { id: 'ipv4', text: 'A name to an IPv4 address' },
        { id: 'reverse', text: 'An IP address to a host name', feedback: 'That is the way the book words it, but address to name is a reverse lookup, answered by a PTR record under `in-addr.arpa`.' },
        { id: 'ipv6', text: 'A name to an IPv6 address', feedback: 'That is AAAA ("quad-A"): four times the 32 bits of an IPv4 address.' },
        { id: 'alias', text: 'A name to another name', feedback: 'That is a CNAME.' },
      ],
      answer: 'ipv4',
      explanation: 'Lookups go from a name to an address: A gives an IPv4 address (32 bits), AAAA an IPv6 address (128 bits). The other direction, address to name, uses PTR records in the reverse tree (`20.15.168.192.in-addr.arpa` for 192.168.15.20), asked with `dig -x`. In a cluster, a Service name resolves to its ClusterIP through an A record, and a reverse lookup of the ClusterIP returns the Service\'s full name.',
    },
    {
      kind: 'single',
      id: 'ptr-name',
      prompt: 'What name does `dig -x 192.168.15.20` ask the DNS server about?',
      options: [
        { id: 'arpa', text: '`20.15.168.192.in-addr.arpa`, for a PTR record' },
        { id: 'forward', text: '`192.168.15.20.in-addr.arpa`, for a PTR record', feedback: 'The bytes are reversed: DNS names grow from the right, so the network part must be on the right.' },
        { id: 'a', text: '`192.168.15.20`, for an A record', feedback: 'An address is not a name in the forward tree; `-x` switches to the reverse tree.' },
        { id: 'any', text: 'Every name in the zone, to find one with that address', feedback: 'DNS has no search by value: the reverse tree exists so that an address can be looked up as a name.' },
      ],
      answer: 'arpa',
      explanation: 'A reverse lookup writes the address backwards, one label per byte, under `in-addr.arpa` (`ip6.arpa`, one label per hex digit, for IPv6), and asks for the PTR record there. Reversed, because the owner of a network is delegated the zone of its prefix, as `168.192.in-addr.arpa` for 192.168.0.0/16.',
    },
    {
      kind: 'text',
      id: 'alias-type',
      prompt: '`www.flowers.example.com` should simply be another name for `flowers.example.com`. Which record type says that?',
      normalise: { case: 'insensitive', spaces: 'remove' },
      accept: ['CNAME'],
      acceptPatterns: ['cname(record)?', 'canonicalname'],
      wrong: [{ answer: 'A', feedback: 'An A record would copy the address; if it changed, you would have to change both.' }],
      explanation: 'A CNAME (canonical name) record makes a name an alias of another: a resolver that meets it restarts the lookup with the target name. `dig www.flowers.example.com` shows the CNAME line and then the target\'s A record.',
    },
    {
      kind: 'multiple',
      id: 'domain-parts',
      prompt: 'Take the name `www.flowers.example.com`. Which statements are true? Select all that apply.',
      options: [
        { id: 'tld', text: '`com` is the top-level domain' },
        { id: 'sld', text: '`example.com` is the second-level domain, registered by an organisation' },
        { id: 'sub', text: '`flowers.example.com` is a subdomain that the owner of example.com can create freely' },
        { id: 'root', text: '`www` is the root of the name', feedback: 'The root is the empty label at the far right, written as a final dot: `www.flowers.example.com.`' },
        { id: 'order', text: 'Resolution starts with `www` and moves right', feedback: 'It starts at the root and moves left: root servers, then `com`, then `example.com`.' },
      ],
      answers: ['tld', 'sld', 'sub'],
      explanation: 'Names are read right to left: the root (`.`), the top-level domain (`com`), the second-level domain (`example.com`), then any subdomains (`flowers.example.com`, `www.flowers.example.com`). A resolver asks the root servers, which refer it to `com`\'s servers, which refer it to example.com\'s.',
    },
    {
      kind: 'single',
      id: 'ttl',
      prompt: 'In `flowers.example.com. 300 IN A 192.168.15.30`, what is 300?',
      options: [
        { id: 'ttl', text: 'The TTL: how many seconds a resolver may cache the answer' },
        { id: 'priority', text: 'The priority of the record', feedback: 'Priorities (preferences) exist for MX records, written in the data.' },
        { id: 'port', text: 'A port number', feedback: 'DNS records of type A carry no port.' },
        { id: 'serial', text: 'The zone\'s serial number', feedback: 'The serial is in the SOA record.' },
      ],
      answer: 'ttl',
      explanation: 'The number after the name is the time to live, in seconds. Resolvers cache the answer that long, which speeds up lookups and spares the servers, but means that a change takes up to the TTL to be seen everywhere.',
    },
    {
      kind: 'single',
      id: 'dig-ignores-hosts',
      prompt: 'You add `192.168.15.40 files` to `/etc/hosts`. `getent hosts files` finds it, but `nslookup files` says `server can\'t find files`. Why?',
      options: [
        { id: 'dns-only', text: 'nslookup asks the DNS server directly and never reads /etc/hosts' },
        { id: 'cache', text: 'nslookup used a cached answer', feedback: 'nslookup has no cache; the server has simply never heard of the name.' },
        { id: 'reload', text: '/etc/hosts is read only at boot', feedback: 'It is read at every lookup: `getent` found the name at once.' },
        { id: 'syntax', text: 'The line in /etc/hosts is written the wrong way round', feedback: 'The order "address name" is right, as getent shows.' },
      ],
      answer: 'dns-only',
      explanation: '`nslookup`, `dig` and `host` are DNS clients: they send the question to the server in resolv.conf (or the one you name) and show its answer. `getent hosts`, `ping` and `curl` resolve through nsswitch.conf: hosts file first, then DNS.',
    },
    {
      kind: 'multiple',
      id: 'service-fqdn',
      competencies: ['coredns'],
      prompt: 'A pod in namespace `test` (search list `test.svc.cluster.local svc.cluster.local cluster.local`) must reach the Service `web-service` in namespace `payroll`. Which names resolve to that Service? Select all that apply.',
      options: [
        { id: 'ns', text: '`web-service.payroll`' },
        { id: 'svc', text: '`web-service.payroll.svc`' },
        { id: 'fqdn', text: '`web-service.payroll.svc.cluster.local`' },
        { id: 'short', text: '`web-service`', feedback: 'The first search domain makes it `web-service.test.svc.cluster.local`: a Service of that name in `test`, if any, not the one in `payroll`.' },
        { id: 'cluster', text: '`web-service.payroll.svc.cluster`', feedback: 'No search domain completes it (`…svc.cluster.svc.cluster.local` does not exist), and on its own it is not under `cluster.local`.' },
        { id: 'pod', text: '`web-service.payroll.pod.cluster.local`', feedback: '`pod` names are for pods, by their dashed IP (`10-244-1-7.payroll.pod.cluster.local`), not for Services.' },
      ],
      answers: ['ns', 'svc', 'fqdn'],
      explanation: 'A Service\'s full name is `NAME.NAMESPACE.svc.cluster.local`. The resolver appends each search domain in turn, so `web-service.payroll` becomes `web-service.payroll.svc.cluster.local` (second domain) and `web-service.payroll.svc` becomes the same name (third domain). A bare `web-service` only finds the Service of the pod\'s own namespace.',
    },
    {
      kind: 'number',
      id: 'dns-port',
      prompt: 'On which port do DNS servers answer queries?',
      answer: 53,
      explanation: 'DNS uses port 53, over UDP for ordinary queries and over TCP for large answers and zone transfers. CoreDNS in Kubernetes listens on 53 in its pods, behind the `kube-dns` Service.',
    },
    {
      kind: 'command',
      id: 'hosts-entry',
      prompt: 'Without touching the DNS server, make the name `files` resolve to `192.168.15.40` on this host.',
      scenario: 'dns-server',
      solutions: [
        ['echo "192.168.15.40 files" >> /etc/hosts'],
        ["printf '192.168.15.40\\tfiles files.example.test\\n' >> /etc/hosts"],
        ["sed -i '$a 192.168.15.40 files' /etc/hosts"],
      ],
      wrong: [['echo "files 192.168.15.40" >> /etc/hosts'], ['echo "192.168.15.40 files" >> /etc/resolv.conf']],
      check: ({ world, host, runs }) => {
        const hosts = readFile(world, host, '/etc/hosts');
        if (hosts === null) return fail(runs, '/etc/hosts is gone: recreate it with the localhost lines and your entry.');
        const addr = hostsLookup(hosts, 'files');
        if (addr === '192.168.15.40') {
          if (hostsLookup(hosts, 'localhost') === null) return fail(runs, 'The entry works, but the `localhost` line is gone: append with `>>`, do not overwrite with `>`.');
          return pass();
        }
        if (addr) return fail(runs, `/etc/hosts gives \`files\` the address ${addr}: a name keeps the first address found.`);
        if (/(^|\n)\s*files\s+192\.168\.15\.40/.test(hosts)) return fail(runs, 'The line is written the wrong way round: /etc/hosts wants the address first, then the name.');
        return fail(runs, '/etc/hosts has no line for `files` yet: a line is "ADDRESS NAME".');
      },
      explanation: 'Append a line "address name" to `/etc/hosts`: `echo "192.168.15.40 files" >> /etc/hosts`. Programs that resolve through nsswitch (`getent hosts files`, `ping files`) see it at once; `dig` and `nslookup` do not, as they only ask DNS. Use `>>`: a single `>` would replace the whole file.',
    },
    {
      kind: 'command',
      id: 'dig-aaaa',
      prompt: 'Ask the DNS server for the IPv6 address of `flowers.example.com`, and print only the address, nothing else.',
      scenario: 'dns-server',
      solutions: [['dig +short flowers.example.com AAAA'], ['dig flowers.example.com -t AAAA +short'], ["dig +noall +answer AAAA flowers.example.com | awk '{print $5}'"]],
      wrong: [['dig +short flowers.example.com'], ['dig flowers.example.com AAAA'], ['cat /etc/hosts']],
      check: ({ world, runs }) => {
        const expected = resolve(world, 'flowers.example.com', 'AAAA');
        if (expected.length === 0) return fail(runs, 'The grader found no AAAA record for flowers.example.com in this scenario.');
        const lines = outputLines(lastRun(runs)).map((l) => l.trim());
        const addrs = lines.filter((l) => !/\.$/.test(l)); // dig +short prints a CNAME target (ending in a dot) before the address
        if (addrs.length === expected.length && expected.every((e) => addrs.includes(e))) return pass();
        if (lines.some((l) => /^\d+\.\d+\.\d+\.\d+$/.test(l))) return fail(runs, 'That printed an IPv4 address: ask for the AAAA record type.');
        if (lines.length > expected.length + 1) return fail(runs, 'That printed the whole answer: `dig +short` prints only the data.');
        return fail(runs, 'The last command should print only the IPv6 address of flowers.example.com, as the server answers it.');
      },
      explanation: '`dig flowers.example.com AAAA` asks for the AAAA record (IPv6); `+short` reduces the output to the data alone. The type can come before or after the name, or with `-t`. Without a type, dig asks for A.',
    },
    {
      kind: 'command',
      id: 'reverse-lookup',
      prompt: 'Which name does the DNS server give for the address `192.168.15.40`? Ask it, and print only that name.',
      scenario: 'dns-server',
      solutions: [['dig +short -x 192.168.15.40'], ["host 192.168.15.40 | awk '{print $NF}'"], ["nslookup 192.168.15.40 | awk '/name =/ {print $4}'"]],
      wrong: [['dig +short 192.168.15.40'], ['dig -x 192.168.15.40'], ['dig +short flowers.example.com']],
      check: ({ world, runs }) => {
        const ptr = servedRecords(world).filter((r) => r.type === 'PTR' && r.name === reverseName('192.168.15.40'));
        if (ptr.length === 0) return fail(runs, 'The grader found no PTR record for 192.168.15.40 in this scenario.');
        const want = ptr.map((r) => r.data.replace(/\.$/, '').toLowerCase());
        const line = singleLine(runs);
        if (line !== null && want.includes(line.replace(/\.$/, '').toLowerCase())) return pass();
        if (line === null && outputLines(lastRun(runs)).length > 1) return fail(runs, 'That printed more than the name: `dig +short -x` prints only the PTR record\'s data.');
        if (line !== null && /^\d+\.\d+\.\d+\.\d+$/.test(line)) return fail(runs, 'That printed an address: a reverse lookup asks for the name, with `dig -x ADDRESS` (or `host ADDRESS`).');
        return fail(runs, 'Ask for the PTR record of the address: `dig -x 192.168.15.40` builds the in-addr.arpa name for you; `+short` keeps only the answer.');
      },
      explanation: '`dig -x 192.168.15.40` asks for the PTR record of `40.15.168.192.in-addr.arpa`; `+short` prints only its data, `www.example.com.`. `host ADDRESS` and `nslookup ADDRESS` do the same reverse lookup. The answer is the canonical name, not the alias `flowers.example.com` that also leads to this address: A and PTR records are separate, and the reverse tree holds one name.',
    },
    {
      kind: 'command',
      id: 'search-domain',
      competencies: ['coredns'],
      prompt: 'Make short names resolve inside `flowers.example.com`: after your change, a lookup of `www` should also try `www.flowers.example.com`. Keep the current DNS server.',
      scenario: 'dns-server',
      solutions: [
        ['echo "search flowers.example.com" >> /etc/resolv.conf'],
        ["printf 'nameserver 192.168.15.10\\nsearch flowers.example.com\\n' > /etc/resolv.conf"],
      ],
      wrong: [['echo "search flowers.example.com" > /etc/resolv.conf'], ['echo "192.168.15.30 www" >> /etc/hosts']],
      check: ({ world, host, runs }) => {
        const text = readFile(world, host, '/etc/resolv.conf');
        // as glibc: the last `search` (or `domain`) line is the one that counts
        const lines = (text ?? '').split('\n').filter((l) => /^\s*(search|domain)\s/.test(l));
        const last = lines[lines.length - 1];
        const search = (last ?? '').trim().split(/\s+/).slice(1).map((d) => d.replace(/\.$/, '').toLowerCase());
        if (!search.includes('flowers.example.com')) {
          if (lines.some((l) => /flowers\.example\.com/.test(l))) return fail(runs, 'Your `search` line is there, but a later `search` line overrides it: the resolver uses only the last one.');
          return fail(runs, '/etc/resolv.conf has no `search flowers.example.com` line yet.');
        }
        if (nameservers(text).length === 0) return fail(runs, 'The search line is there, but the `nameserver` line is gone: append with `>>` rather than overwrite with `>`.');
        return pass();
      },
      explanation: 'The `search` line of `/etc/resolv.conf` (the last one, if there are several) lists domains the resolver appends to names with fewer dots than `ndots` (1 by default): `search flowers.example.com` makes `www` try `www.flowers.example.com`. Pods get `search default.svc.cluster.local svc.cluster.local cluster.local`, which is why a Service is reachable by its short name.',
    },
  ],
});
