// Every unit test runs with the incremental snapshot checked against a whole one (src/sim/ns-table.ts): a namespace
// changed without being reached through world.state.namespaces would throw where it happens.
import { World } from './sim/world';

World.checkSnapshots = true;
