// Every npm script runs this first. The project pins Node 24 through the
// `node` devDependency, which npm puts first on PATH for its scripts. When
// this file finds itself on an older Node, something bypassed npm (for
// example `node_modules/.bin/astro` called directly): say so and stop.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `netlab needs Node 24 or newer, but this is Node ${process.versions.node}.\n` +
      'Run the project through npm scripts (npm start, npm test, npm run dev, ...):\n' +
      'npm puts the pinned Node 24 from node_modules/.bin first on PATH.\n' +
      'If node_modules is missing, run `npm ci` first.',
  );
  process.exit(1);
}
