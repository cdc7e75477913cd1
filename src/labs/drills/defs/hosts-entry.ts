import { defineDrill } from '../schema';
import type { CheckContext, CheckResult } from '../schema';
import { hostsEntry } from '../check';
import { DOMAIN_NAMES, SERVICE_NAMES, subnet24 } from './lib';

/** `getent hosts NAME` answers with `addr` (what every program on the host will get). */
async function resolves(c: CheckContext, name: string, addr: string): Promise<CheckResult> {
  const r = await c.probe(`getent hosts ${name}`);
  if (r.exitCode !== 0) return `${name} does not resolve (getent hosts ${name} finds nothing)`;
  const got = r.output.trim().split(/\s+/)[0] ?? '';
  return got === addr ? true : `${name} resolves to ${got}, not ${addr}`;
}

export default defineDrill({
  id: 'hosts-entry',
  title: 'Pin a name in /etc/hosts',
  domain: 'dns',
  competencies: ['coredns'],
  difficulty: 'easy',
  minutes: 4,
  weight: 3,
  summary: 'Make a name and its short alias resolve to a given address on this host through /etc/hosts.',
  scenario: 'blank',
  params(r) {
    const short = r.pick(SERVICE_NAMES);
    const domain = r.pick(DOMAIN_NAMES);
    const net = subnet24(r);
    const [a, b] = r.distinctInts(2, 250, 2) as [number, number];
    return { short, fqdn: `${short}.${domain}`, ip: `${net}.${a}`, stale: r.next() < 0.5 ? `${net}.${b}` : '' };
  },
  setup: (p) => (p.stale ? [`echo "${p.stale} ${p.fqdn} ${p.short}" >> /etc/hosts`] : []),
  task: (p) =>
    `The server \`${p.fqdn}\` ${p.stale ? `has moved: /etc/hosts still sends it to \`${p.stale}\`. Its new address is` : 'is not in DNS. Its address is'} \`${p.ip}\`.\n` +
    `Make this host resolve both \`${p.fqdn}\` and the short name \`${p.short}\` to \`${p.ip}\`, using /etc/hosts.`,
  requirements: (p) => [
    {
      id: 'entry',
      text: `/etc/hosts maps ${p.fqdn} and ${p.short} to ${p.ip}`,
      check: (c) => {
        const a = hostsEntry(c.world, c.host, p.fqdn, p.ip);
        return a === true ? hostsEntry(c.world, c.host, p.short, p.ip) : a;
      },
    },
    {
      id: 'resolve',
      text: `getent hosts ${p.short} answers ${p.ip}`,
      check: async (c) => {
        const a = await resolves(c, p.fqdn, p.ip);
        return a === true ? resolves(c, p.short, p.ip) : a;
      },
    },
  ],
  hints: (p) => [
    '/etc/hosts has one address per line, followed by the names (canonical name first, then aliases).',
    p.stale ? 'The resolver uses the first line that names the host: a line appended after the old one changes nothing.' : 'Append a line; do not remove the lines that are there.',
    p.stale ? `\`sed -i 's/^${p.stale.replace(/\./g, '\\.')} /${p.ip} /' /etc/hosts\`, then check with \`getent hosts ${p.short}\`.` : `\`echo "${p.ip} ${p.fqdn} ${p.short}" >> /etc/hosts\``,
  ],
  solution: (p) =>
    p.stale ? [`sed -i 's/^${p.stale.replace(/\./g, '\\.')} /${p.ip} /' /etc/hosts`, `getent hosts ${p.short}`] : [`echo "${p.ip} ${p.fqdn} ${p.short}" >> /etc/hosts`, `getent hosts ${p.short}`],
  wrong: (p) => [
    p.stale
      ? { name: 'appends after the stale line', lines: [`echo "${p.ip} ${p.fqdn} ${p.short}" >> /etc/hosts`], fails: 'entry', mentions: p.stale }
      : { name: 'writes the name before the address', lines: [`echo "${p.fqdn} ${p.short} ${p.ip}" >> /etc/hosts`], fails: 'entry', mentions: p.fqdn },
    { name: 'the names on a line of their own, without the address', lines: [`echo "${p.fqdn} ${p.short}" >> /etc/hosts`], fails: 'resolve' },
    { name: 'forgets the short name', lines: [...(p.stale ? [`sed -i '/${p.fqdn}/d' /etc/hosts`] : []), `echo "${p.ip} ${p.fqdn}" >> /etc/hosts`], fails: 'entry', mentions: `no entry for ${p.short}` },
  ],
  alternatives: (p) => {
    const line = `${p.ip} ${p.fqdn} ${p.short}`;
    const dropStale = p.stale ? [`sed -i '/${p.fqdn}/d' /etc/hosts`] : [];
    return [
      { name: "sed's one-line append ($a\\)", lines: [...dropStale, `sed -i '$a\\${line}' /etc/hosts`, `getent hosts ${p.fqdn}`] },
      { name: 'the new line first, through a copy', lines: [`echo "${line}" > /tmp/hosts.new`, 'cat /etc/hosts >> /tmp/hosts.new', 'cp /tmp/hosts.new /etc/hosts', `getent hosts ${p.short}`] },
      { name: 'printf into tee -a, tabs between the fields', lines: [...dropStale, `printf '%s\\t%s %s\\n' ${p.ip} ${p.fqdn} ${p.short} | tee -a /etc/hosts`, 'cat /etc/hosts'] },
    ];
  },
});
