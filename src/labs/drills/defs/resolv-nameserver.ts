import { defineDrill, type CheckContext, type CheckResult } from '../schema';
import { configLines, fileText, firstNameserver } from '../check';
import { subnet24 } from './lib';

const DNS_SERVER = '192.168.15.10';

/**
 * Names the dns-server scenario's server answers, by domain, with their
 * addresses (IPv4 first; `getent hosts` prints the IPv6 one when there is one).
 */
const ZONES = {
  'example.test': { web: '192.168.15.20', mail: '192.168.15.25', www: '192.168.15.20' },
  'example.com': { www: '192.168.15.40 fd00:15::41', flowers: '192.168.15.40 fd00:15::41', db: '192.168.15.50' },
} as const;
type Zone = keyof typeof ZONES;

function searchDomains(c: CheckContext): string[] {
  const text = fileText(c.world, c.host, '/etc/resolv.conf') ?? '';
  const lines = configLines(text).map((l) => l.split(/\s+/));
  const search = lines.filter((f) => f[0] === 'search').pop();
  if (search) return search.slice(1);
  return lines.filter((f) => f[0] === 'domain').pop()?.slice(1, 2) ?? [];
}

export default defineDrill({
  id: 'resolv-nameserver',
  title: 'Point the resolver at the DNS server',
  domain: 'dns',
  competencies: ['coredns', 'troubleshoot-network'],
  difficulty: 'medium',
  minutes: 6,
  weight: 4,
  summary: 'Name lookups fail: find the local DNS server, make it the host’s nameserver and add a search domain.',
  scenario: 'dns-server',
  params(r) {
    const domain = r.pick(Object.keys(ZONES) as Zone[]);
    const names = ZONES[domain] as Record<string, string>;
    const short = r.pick(Object.keys(names));
    const other = domain === 'example.test' ? 'example.com' : 'example.test';
    const [addr, addr6] = names[short]!.split(' ') as [string, string | undefined];
    return { domain, other, short, addr, addr6: addr6 ?? '', stale: `${subnet24(r)}.${r.int(2, 250)}` };
  },
  setup: (p) => [`printf 'nameserver ${p.stale}\\noptions timeout:1 attempts:1\\n' > /etc/resolv.conf`],
  task: (p) =>
    `Name lookups on this host fail: /etc/resolv.conf points at a server that no longer exists. ` +
    `The site's DNS server runs in the network namespace \`dns\` on this host.\n` +
    `- Make that server the host's first nameserver (find its address).\n` +
    `- Add the search domain \`${p.domain}\`, so that the short name \`${p.short}\` resolves (to \`${p.addr}\`${p.addr6 ? ` and \`${p.addr6}\`` : ''}).`,
  requirements: (p) => [
    { id: 'nameserver', text: `/etc/resolv.conf asks ${DNS_SERVER} first`, check: (c) => firstNameserver(c.world, c.host, DNS_SERVER) },
    {
      id: 'search',
      text: `/etc/resolv.conf searches ${p.domain}`,
      check: (c): CheckResult => {
        const d = searchDomains(c);
        if (d.length === 0) return '/etc/resolv.conf has no search line';
        return d.includes(p.domain) ? true : `the search list (${d.join(' ')}) does not include ${p.domain}`;
      },
    },
    {
      id: 'resolve',
      text: `getent hosts ${p.short} answers ${p.addr}`,
      check: async (c) => {
        const r = await c.probe(`getent hosts ${p.short}`);
        if (r.exitCode !== 0) return `${p.short} does not resolve`;
        const got = r.output.trim().split(/\s+/)[0];
        return got === p.addr || (p.addr6 !== '' && got === p.addr6) ? true : `${p.short} resolves to ${got}, not ${p.addr}`;
      },
    },
  ],
  hints: (p) => [
    '`ip -n dns addr` shows the server\'s address.',
    'The resolver asks the nameservers in the order of the file: the first one must be the working server. The `search` line lists the domains appended to short names.',
    `\`printf 'nameserver ${DNS_SERVER}\\nsearch ${p.domain}\\n' > /etc/resolv.conf\``,
  ],
  solution: (p) => ['ip -n dns -br addr', `printf 'nameserver ${DNS_SERVER}\\nsearch ${p.domain}\\n' > /etc/resolv.conf`, `getent hosts ${p.short}`],
  wrong: (p) => [
    { name: 'appends the server after the dead one', lines: [`echo 'nameserver ${DNS_SERVER}' >> /etc/resolv.conf`, `echo 'search ${p.domain}' >> /etc/resolv.conf`], fails: 'nameserver', mentions: 'comes before' },
    { name: 'searches the other domain', lines: [`printf 'nameserver ${DNS_SERVER}\\nsearch ${p.other}\\n' > /etc/resolv.conf`], fails: 'search', mentions: p.domain },
    { name: 'the server in a comment', lines: [`printf '# nameserver ${DNS_SERVER}\\nsearch ${p.domain}\\n' > /etc/resolv.conf`], fails: 'nameserver' },
  ],
  alternatives: (p) => [
    { name: "sed's one-line insert and append (1i\\, $a\\)", lines: [`sed -i '1i\\nameserver ${DNS_SERVER}' /etc/resolv.conf`, `sed -i '$a\\search ${p.domain}' /etc/resolv.conf`, 'cat /etc/resolv.conf'] },
    { name: 'replace the dead server in place, a domain line', lines: ['ip netns exec dns ss -lnu', `sed -i 's/^nameserver .*/nameserver ${DNS_SERVER}/' /etc/resolv.conf`, `echo 'domain ${p.domain}' >> /etc/resolv.conf`, `host ${p.short}`] },
    { name: 'echo lines into a new file', lines: [`echo "search ${p.domain}" > /etc/resolv.conf`, `echo "nameserver ${DNS_SERVER}" >> /etc/resolv.conf`, `getent hosts ${p.short}`] },
  ],
});
