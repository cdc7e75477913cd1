// Shell quoting, shared by the tools that build a command line (ip netns
// exec, @spawn) and the shell.

/** Quote one word for the shell so that it reads back as exactly this word. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
