// npm run replay -- PATH [--scenario NAME] [--seed N]
// PATH is a scenario folder of the fidelity corpus or a commands.sh. Prints
// the simulator's transcript in the corpus format.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { replay, scenarioDirective, transcriptText } from '../src/shell/replay';
import { corpusDir } from '../src/shell/fidelity';
import { getScenario } from '../src/labs/scenarios/index';

const args = process.argv.slice(2);
let scenario: string | undefined;
let seed: number | undefined;
const rest: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--scenario') scenario = args[++i];
  else if (args[i] === '--seed') seed = Number(args[++i]);
  else rest.push(args[i]!);
}
if (rest.length !== 1) {
  console.error('usage: npm run replay -- PATH [--scenario NAME] [--seed N]');
  process.exit(2);
}
let path = rest[0]!;
if (!existsSync(path) && existsSync(join(corpusDir(), path))) path = join(corpusDir(), path);
if (!existsSync(path)) {
  console.error(`replay: ${path}: No such file or directory`);
  process.exit(2);
}
const file = statSync(path).isDirectory() ? join(path, 'commands.sh') : path;
// `@scenario NAME [HOST]` as the first line of commands.sh picks the scenario; --scenario overrides it
const text = readFileSync(file, 'utf8');
const directive = scenarioDirective(text);
const scenarioName = scenario ?? directive.name;
const blocks = await replay(text, { scenario: scenarioName === undefined ? undefined : getScenario(scenarioName), ...(directive.host ? { host: directive.host } : {}), seed });
process.stdout.write(transcriptText(blocks));
