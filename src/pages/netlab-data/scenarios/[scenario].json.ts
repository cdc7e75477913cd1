// Build time: the starting state of every scenario, as a session snapshot
// (/netlab-data/scenarios/NAME.json). The terminal's worker restores it
// instead of building the scenario in the browser (building runs every setup
// line through the shell: hundreds of milliseconds for the larger labs;
// restoring takes a few). Sessions are deterministic (seed 1), so the
// snapshot is exactly what the browser would build.
import type { APIRoute, GetStaticPaths } from 'astro';
import { Session } from '../../../shell/session';
import { getScenario, scenarioNames } from '../../../labs/scenarios/index';

export const getStaticPaths = (() => scenarioNames().map((scenario) => ({ params: { scenario } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => {
  const session = await Session.create({ scenario: getScenario(params.scenario!) });
  return new Response(JSON.stringify(session.snapshot()), { headers: { 'content-type': 'application/json' } });
};
