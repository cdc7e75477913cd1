// resource.Quantity as describe uses it: parse, add, compare, and print in canonical form (the format of the
// first operand of a sum: binary suffixes stay binary, decimal stay decimal).

export type QuantityFormat = 'DecimalSI' | 'BinarySI';

export interface Quantity {
  /** the value in thousandths of a unit */
  milli: number;
  format: QuantityFormat;
}

const BIN: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DEC: Record<string, number> = { n: -3, u: -2, m: -1, '': 0, k: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };
const DEC_SUFFIX = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
const BIN_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

export const ZERO: Quantity = { milli: 0, format: 'DecimalSI' };

export function parseQuantity(v: unknown): Quantity {
  const s = String(v ?? '0').trim();
  const m = /^([+-]?\d*\.?\d*)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(s);
  if (!m || m[1] === '' || m[1] === '.') return { ...ZERO };
  const n = Number(m[1]);
  if (m[2]) return { milli: Math.round(n * 10 ** Number(m[2].slice(1)) * 1000), format: 'DecimalSI' };
  const suf = m[3] ?? '';
  if (suf in BIN) return { milli: Math.round(n * 1024 ** BIN[suf]! * 1000), format: 'BinarySI' };
  return { milli: Math.round(n * 1000 ** DEC[suf]! * 1000), format: 'DecimalSI' };
}

export function addQuantity(a: Quantity | undefined, b: Quantity): Quantity {
  return a ? { milli: a.milli + b.milli, format: a.format } : { ...b };
}

/** Quantity.Value(): whole units, rounded up */
export function quantityValue(q: Quantity | undefined): number {
  return q ? Math.ceil(q.milli / 1000) : 0;
}

/** Quantity.String(): the canonical form */
export function quantityString(q: Quantity | undefined): string {
  if (!q || q.milli === 0) return '0';
  const sign = q.milli < 0 ? '-' : '';
  const milli = Math.abs(q.milli);
  if (q.format === 'BinarySI' && milli % 1000 === 0 && milli / 1000 >= 1024) {
    let v = milli / 1000;
    let k = 0;
    while (k < 6 && v % 1024 === 0) {
      v /= 1024;
      k++;
    }
    return `${sign}${v}${BIN_SUFFIX[k]}`;
  }
  if (milli % 1000 !== 0) return `${sign}${milli}m`;
  let v = milli / 1000;
  let k = 0;
  while (k < 6 && v % 1000 === 0) {
    v /= 1000;
    k++;
  }
  return `${sign}${v}${DEC_SUFFIX[k]}`;
}
