// iptables v1.8.9 (nf_tables) and iptables-save, as xtables-nft-multi runs
// them. The parts follow iptables' own sources:
//   getopt.ts      getopt_long over the global and the loaded extensions' options
//   parse.ts       do_parse(): the command line into a ParsedCmd (addr.ts: -s/-d)
//   extension.ts   the match/target interface; extensions/<name>.ts one per libxt_*.c
//   print.ts       the -L listing;  save.ts  -S and iptables-save
//   run.ts         the command carried out through the kernel's netfilter transaction API
//   names.ts       services, protocols and host names;  xtables.ts  libxtables' errors and helpers
// The rules themselves live in the kernel (src/sim/netfilter).
export { ip6tables, iptables } from './run';
export { ip6tablesSave, iptablesSave } from './save';
// iptables-restore and ip6tables-restore (restore.ts) are loaded when first typed (src/commands/index.ts)
export { IPT_VERSION, XtError } from './xtables';
