// libxt_mark (the mark match, --mark value[/mask]) and libxt_MARK (the MARK
// target, every form stored as --set-xmark value/mask). One file for both:
// their names differ only in case, which some file systems cannot hold apart.
import type { ExtDef } from '../extension';
import { PARAMETER_PROBLEM, strtoui, xtError } from '../xtables';

function parseMarkMask(a: string): [number, number] {
  const [v, m] = a.split('/');
  const val = strtoui(v!, 0, 0xffffffff);
  const mask = m === undefined ? 0xffffffff : strtoui(m, 0, 0xffffffff);
  if (val === null || mask === null) xtError(PARAMETER_PROBLEM, `mark: bad value for option "--mark", or out of range (0-4294967295).\n`);
  return [val, mask];
}

function markMaskText(val: number, mask: number): string {
  return mask === 0xffffffff ? `0x${val.toString(16)}` : `0x${val.toString(16)}/0x${mask.toString(16)}`;
}

export const markExt: ExtDef = {
  name: 'mark',
  kind: 'match',
  opts: [{ name: 'mark', hasArg: 1, key: 'mark', invert: true, mand: true }],
  parse(_env, x, _opt, arg, invert) {
    const [v, m] = parseMarkMask(arg);
    x.options.mark = `0x${v.toString(16)}/0x${m.toString(16)}`;
    if (invert) (x.invert ??= {}).mark = true;
  },
  print(_env, x) {
    const [v, m] = (x.options.mark ?? '0x0/0xffffffff').split('/').map((n) => Number(n) >>> 0);
    return ` mark match${x.invert?.mark ? ' !' : ''} ${markMaskText(v!, m!)}`;
  },
  save(x) {
    const [v, m] = (x.options.mark ?? '0x0/0xffffffff').split('/').map((n) => Number(n) >>> 0);
    return `${x.invert?.mark ? ' !' : ''} --mark ${markMaskText(v!, m!)}`;
  },
};


/** The MARK option a target entry was given first (they all store as --set-xmark). */
const markFirstOption = new WeakMap<object, string>();

export const markTarget: ExtDef = {
  name: 'MARK',
  kind: 'target',
  opts: [
    { name: 'set-xmark', hasArg: 1, key: 'set-xmark' },
    { name: 'set-mark', hasArg: 1, key: 'set-mark' },
    { name: 'and-mark', hasArg: 1, key: 'and-mark' },
    { name: 'or-mark', hasArg: 1, key: 'or-mark' },
    { name: 'xor-mark', hasArg: 1, key: 'xor-mark' },
  ],
  help: 'MARK target options:\n  --set-xmark value[/mask]  Clear bits in mask and XOR value into nfmark\n  --set-mark value[/mask]   Clear bits in mask and OR value into nfmark\n  --and-mark bits           Binary AND the nfmark with bits\n  --or-mark bits            Binary OR the nfmark with bits\n  --xor-mark bits           Binary XOR the nfmark with bits\n',
  parse(_env, x, opt, arg) {
    // every MARK option excludes the others (F_ANY): the message names the one given first
    const first = markFirstOption.get(x);
    if (x.options['set-xmark'] !== undefined) xtError(PARAMETER_PROBLEM, `MARK: option "--${opt.name}" cannot be used together with "--${first ?? 'set-xmark'}".\n`);
    markFirstOption.set(x, opt.name);
    const num = (s: string): number => {
      const v = strtoui(s, 0, 0xffffffff);
      if (v === null) xtError(PARAMETER_PROBLEM, `MARK: bad value for option "--${opt.name}", or out of range (0-4294967295).\n`);
      return v;
    };
    let mark: number;
    let mask: number;
    switch (opt.key) {
      case 'set-xmark':
      case 'set-mark': {
        const [v, m] = arg.split('/');
        const val = num(v!);
        const msk = m === undefined ? 0xffffffff : num(m);
        mark = val;
        mask = opt.key === 'set-mark' ? (val | msk) >>> 0 : msk;
        break;
      }
      case 'and-mark':
        mark = 0;
        mask = ~num(arg) >>> 0;
        break;
      case 'or-mark':
        mark = mask = num(arg);
        break;
      default:
        mark = num(arg);
        mask = 0;
    }
    x.options['set-xmark'] = `0x${mark.toString(16)}/0x${mask.toString(16)}`;
  },
  final(_env, x) {
    if (x.options['set-xmark'] === undefined) xtError(PARAMETER_PROBLEM, 'MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required');
  },
  print(_env, x) {
    const [mark, mask] = (x.options['set-xmark'] ?? '0x0/0x0').split('/').map((n) => Number(n) >>> 0) as [number, number];
    if (mark === 0) return ` MARK and 0x${(~mask >>> 0).toString(16)}`;
    if (mark === mask) return ` MARK or 0x${mark.toString(16)}`;
    if (mask === 0) return ` MARK xor 0x${mark.toString(16)}`;
    if (mask === 0xffffffff) return ` MARK set 0x${mark.toString(16)}`;
    return ` MARK xset 0x${mark.toString(16)}/0x${mask.toString(16)}`;
  },
  save(x) {
    return ` --set-xmark ${x.options['set-xmark'] ?? '0x0/0x0'}`;
  },
};
