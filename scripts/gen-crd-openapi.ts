// gen-crd-openapi.ts - writes src/k8s/openapi/crd-schemas.json: the structural schemas (openAPIV3Schema) of
// the CustomResourceDefinitions the simulated cluster installs, at the versions it serves, as the real
// apiserver has them to publish at /openapi/v3/apis/GROUP/VERSION (src/k8s/openapi/openapi.ts builds the
// documents from them as kube-apiserver's CRD OpenAPI builder does) and to validate and prune objects with.
//
//   usage: npx tsx scripts/gen-crd-openapi.ts GATEWAY_API_GIT_DIR METALLB_GIT_DIR
//
// The arguments are clones of https://github.com/kubernetes-sigs/gateway-api and
// https://github.com/metallb/metallb (bare or not); the CRD manifests are read at the release tags below
// with `git show TAG:PATH` (data, taken as it is: every field of each served version's openAPIV3Schema).
//   - Gateway API v1.4.1, config/crd/standard: GatewayClass, Gateway, HTTPRoute (v1), ReferenceGrant (v1beta1).
//     The cluster serves ReferenceGrant as v1beta1 only, as the releases before v1.5 do (v1.5 adds v1).
//   - MetalLB v0.15.2 (the controller and speaker images the cluster runs), config/crd/bases:
//     IPAddressPool, L2Advertisement (v1beta1).
// Only the kinds src/k8s/api/registry.ts marks `crd: true` are kept, each at its registry version.
//
// Output: { source: { [group]: "repo TAG path" }, crds: { "GROUP/VERSION/Kind": openAPIV3Schema } }
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { RESOURCES } from '../src/k8s/api/registry';

const OUT = resolve(import.meta.dirname, '../src/k8s/openapi/crd-schemas.json');

interface Source {
  repo: string;
  tag: string;
  dir: string;
  group: string;
}

const SOURCES: Source[] = [
  { repo: 'kubernetes-sigs/gateway-api', tag: 'v1.4.1', dir: 'config/crd/standard', group: 'gateway.networking.k8s.io' },
  { repo: 'metallb/metallb', tag: 'v0.15.2', dir: 'config/crd/bases', group: 'metallb.io' },
];

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

function main(): void {
  const dirs = process.argv.slice(2);
  if (dirs.length !== SOURCES.length) {
    console.error('usage: npx tsx scripts/gen-crd-openapi.ts GATEWAY_API_GIT_DIR METALLB_GIT_DIR');
    process.exit(2);
  }
  const out: { source: Record<string, string>; crds: Record<string, unknown> } = { source: {}, crds: {} };
  SOURCES.forEach((src, n) => {
    const dir = dirs[n]!;
    out.source[src.group] = `${src.repo} ${src.tag} ${src.dir}`;
    const wanted = RESOURCES.filter((r) => r.crd && r.group === src.group);
    for (const r of wanted) {
      const path = `${src.dir}/${src.group}_${r.resource}.yaml`;
      const crd = parse(git(dir, 'show', `${src.tag}:${path}`));
      if (crd?.kind !== 'CustomResourceDefinition' || crd.spec?.names?.kind !== r.kind) throw new Error(`${path}: not the CRD of ${r.kind}`);
      const v = (crd.spec.versions ?? []).find((x: { name: string }) => x.name === r.version);
      if (!v?.served || !v.schema?.openAPIV3Schema) throw new Error(`${path}: ${r.kind} ${r.version} is not served with a schema`);
      out.crds[`${r.group}/${r.version}/${r.kind}`] = v.schema.openAPIV3Schema;
    }
  });
  writeFileSync(OUT, JSON.stringify(out) + '\n');
  console.log(`wrote ${OUT}: ${Object.keys(out.crds).length} kinds, ${JSON.stringify(out).length} bytes`);
}

main();
