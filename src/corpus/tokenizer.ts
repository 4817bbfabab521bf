/**
 * The word-level tokenizer shared by every corpus source (Brown, plain text, wiki dumps).
 *
 * Rules, applied in this order, deterministic and independent of the locale:
 * 1. The text is lower-cased (String.prototype.toLowerCase, which is locale-independent) and the
 *    typographic apostrophe U+2019 becomes the ASCII apostrophe.
 * 2. A word is a run of letters, digits and combining marks (Unicode \p{L}, \p{N}, \p{M}), which may
 *    contain single internal apostrophes or hyphens: "don't", "hard-fought", "rock'n'roll" are one
 *    token each. A leading or trailing apostrophe or hyphen is not part of the word ("students'" is
 *    "students" then "'"). Numbers split at their separators: "3.5" is "3" "." "5".
 * 3. Every other visible character is punctuation and becomes a token of its own; a run of the same
 *    character is one token, so "..." , "--", "``" and "''" (Brown's opening and closing quotes) stay
 *    whole while "?!" is two tokens. This covers . , ; : ! ? " ' ( ) [ ] - -- ... ` and symbols such
 *    as $ % & * / + = < >.
 * 4. Whitespace and invisible characters (Unicode \p{C}: controls, format characters) separate
 *    tokens and are dropped.
 */

const TOKEN_PATTERN =
  /[\p{L}\p{N}\p{M}]+(?:['-][\p{L}\p{N}\p{M}]+)*|([^\s\p{L}\p{N}\p{M}\p{C}])\1*/gu;

/** Calls `onToken` for every token of `text`, in order. */
export function forEachToken(text: string, onToken: (token: string) => void): void {
  const normalized = text.toLowerCase().replace(/\u2019/g, "'");
  for (const match of normalized.matchAll(TOKEN_PATTERN)) onToken(match[0]);
}

/** The tokens of `text` as an array (convenient for short texts and tests). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  forEachToken(text, (token) => tokens.push(token));
  return tokens;
}
