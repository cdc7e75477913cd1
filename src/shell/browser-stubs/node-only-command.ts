// Stand-in for just-bash's command chunks that its browser build leaves out
// (tar, yq, xan, sqlite3, python3, js-exec: Node-only or left out of the
// browser's command list by just-bash itself). Their loaders are never
// registered in the engine worker (`__BROWSER__`, scripts/vite-engine.mjs); this
// module keeps their code out of the site.
export {};
