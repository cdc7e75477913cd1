// The terminal's colours: one dark theme in both site themes (a terminal's
// habit), whose 16 ANSI colours all reach WCAG's 4.5:1 against its
// background, so `ip -c`, `ls` and vim stay readable. ANSI black cannot be
// black on a dark background and still be read: here it is a mid grey.
export const TERMINAL_THEME = {
  background: '#16171f',
  foreground: '#e6e6ea',
  cursor: '#e6e6ea',
  cursorAccent: '#16171f',
  selectionBackground: '#3d4160',
  black: '#8c8c99',
  red: '#ff7b72',
  green: '#56d364',
  yellow: '#e3b341',
  blue: '#79a8ff',
  magenta: '#e08cf0',
  cyan: '#56d4dd',
  white: '#d0d0d8',
  brightBlack: '#a3a3b0',
  brightRed: '#ffa198',
  brightGreen: '#7ee787',
  brightYellow: '#f2cc60',
  brightBlue: '#a5c8ff',
  brightMagenta: '#f0b3ff',
  brightCyan: '#8ff0f6',
  brightWhite: '#ffffff',
} as const;

export const ANSI_NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'brightBlack', 'brightRed', 'brightGreen', 'brightYellow', 'brightBlue', 'brightMagenta', 'brightCyan', 'brightWhite'] as const;

/** WCAG 2.x relative luminance of #rrggbb */
export function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
}

/** WCAG contrast ratio of two #rrggbb colours */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
