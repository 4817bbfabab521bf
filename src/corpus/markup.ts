/**
 * Turning the raw text of a corpus source into running text for the tokenizer: part-of-speech tags
 * of the Brown Corpus, and the XML and wiki markup of an enwik8-style MediaWiki dump.
 */

/**
 * Brown Corpus lines hold `word/tag` pairs separated by whitespace, e.g. `The/at Fulton/np-tl`.
 * A word may itself contain '/' (`1-1/2/cd`, `and/or/cc`), so each pair is split at its LAST '/'.
 * Returns the words separated by single spaces, so that the tokenizer never merges two of them.
 */
export function stripBrownTags(tagged: string): string {
  const words: string[] = [];
  for (const pair of tagged.split(/\s+/)) {
    if (pair === '') continue;
    const slash = pair.lastIndexOf('/');
    // A pair without a tag (none occur in the distributed files) is kept whole.
    const word = slash > 0 ? pair.slice(0, slash) : pair;
    words.push(word);
  }
  return words.join(' ');
}

/**
 * Whether a file's text is a MediaWiki XML dump (enwik8, enwik9 or a full Wikipedia export) rather
 * than plain text: it opens with `<mediawiki` or `<?xml`, or its first 64 KB hold a `<page>` with
 * a `<text` element.
 */
export function looksLikeXmlDump(text: string): boolean {
  const head = text.slice(0, 65536).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<mediawiki') || head.startsWith('<?xml')) return true;
  return head.includes('<page>') && head.includes('<text');
}

/**
 * The article text of a MediaWiki XML dump with all markup removed. Only the bodies of `<text>`
 * elements count (titles, ids, timestamps and contributors are metadata); redirect pages are
 * skipped. An XML file without `<text>` elements falls back to its character data with all tags
 * removed. The last body may be cut off without its closing tag, as in enwik8, which ends mid-page.
 * The cleaning follows the spirit of Matt Mahoney's wikifil.pl, which made the text8 corpus.
 */
export function stripXmlDump(xml: string): string {
  const bodies: string[] = [];
  let position = 0;
  for (;;) {
    const open = xml.indexOf('<text', position);
    if (open < 0) break;
    const openEnd = xml.indexOf('>', open);
    if (openEnd < 0) break;
    // `<textarea` or `<textfoo` are other elements; `<text/>` is an empty body.
    const nameEnd = xml.charAt(open + 5);
    if (!/[\s>/]/.test(nameEnd)) {
      position = open + 5;
      continue;
    }
    if (xml.charAt(openEnd - 1) === '/') {
      position = openEnd + 1;
      continue;
    }
    const close = xml.indexOf('</text>', openEnd);
    const body = xml.slice(openEnd + 1, close < 0 ? xml.length : close);
    if (!/^\s*#redirect/i.test(body)) bodies.push(stripWikiMarkup(decodeEntities(body)));
    if (close < 0) break;
    position = close + 7;
  }
  if (bodies.length > 0) return bodies.join('\n\n');
  return decodeEntities(xml.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<[^>]*>/g, ' '));
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '\u2013',
  mdash: '\u2014',
  hellip: '...',
  lsquo: "'",
  rsquo: "'",
  ldquo: '"',
  rdquo: '"',
  minus: '-',
  times: '\u00d7',
};

/**
 * Decodes one level of character references: `&amp;lt;` becomes `&lt;`, not `<`. Unknown named
 * entities become a space.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? ' ';
  });
}

/** Link and image options that are layout, not caption: [[Image:x.jpg|thumb|200px|Caption]]. */
const IMAGE_OPTION = /^\s*(thumb|thumbnail|frame|frameless|border|left|right|center|centre|none|upright[\d.=]*|\d+px|\d+x\d+px)\s*$/i;
const MEDIA_NAMESPACE = /^\s*:?\s*(image|file|media)\s*:/i;
/** Namespaced links that are not part of the article text: categories, interwiki and language links. */
const HIDDEN_NAMESPACE = /^\s*:?\s*(category|[a-z]{2,3}(-[a-z]+)?|wikipedia|wiktionary|template|user|help|portal|special|talk|simple)\s*:/i;

/** Repeats a replacement until the text stops changing: for markup that nests, innermost first. */
function replaceUntilStable(text: string, pattern: RegExp, replacement: (match: string, ...groups: string[]) => string): string {
  for (let round = 0; round < 50; round++) {
    const next = text.replace(pattern, replacement);
    if (next === text) return next;
    text = next;
  }
  return text;
}

/**
 * Wiki markup to plain text (the input has had its XML entities decoded once, so HTML such as
 * `<ref>` appears as tags):
 * comments, `<ref>`s and `<math>` go; other HTML tags go but their content stays; `{{templates}}`
 * and `{| tables |}` go (nested ones too); `[[target|text]]` becomes `text`, `[[target]]` becomes
 * `target`, image links keep their caption, category and language links go; `[http://x text]`
 * becomes `text` and bare URLs go; `'''bold'''` and `''italic''` quotes, heading `=`s and list
 * markers go.
 */
export function stripWikiMarkup(wiki: string): string {
  let text = wiki
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<ref\b[^>]*\/>/gi, ' ')
    .replace(/<ref\b[^>]*>[\s\S]*?<\/ref\s*>/gi, ' ')
    .replace(/<math\b[^>]*>[\s\S]*?<\/math\s*>/gi, ' ')
    .replace(/<[^<>]*>/g, ' ');
  // A second level of entities (&amp;nbsp; in the XML is &nbsp; in the wiki text).
  text = decodeEntities(text);
  text = replaceUntilStable(text, /\{\{[^{}]*\}\}/g, () => ' ');
  text = replaceUntilStable(text, /\{\|(?:(?!\{\|)[\s\S])*?\|\}/g, () => ' ');
  text = replaceUntilStable(text, /\[\[([^[\]]*)\]\]/g, (_, inner: string) => linkText(inner));
  text = text
    .replace(/\[(?:https?|ftp):\/\/[^\s\]]*\s*([^\]]*)\]/gi, ' $1 ')
    .replace(/(?:https?|ftp):\/\/[^\s<>\]]*/gi, ' ')
    .replace(/'{2,}/g, '')
    .replace(/^[ \t]*=+[ \t]*(.*?)[ \t]*=+[ \t]*$/gm, '$1')
    .replace(/^[*#:;]+/gm, '')
    .replace(/^-{4,}/gm, ' ')
    .replace(/__[A-Z]+__/g, ' ');
  return text;
}

/** The visible text of the inside of a `[[...]]` link. */
function linkText(inner: string): string {
  const parts = inner.split('|');
  if (MEDIA_NAMESPACE.test(parts[0])) {
    const caption = parts.length > 1 ? parts[parts.length - 1] : '';
    return IMAGE_OPTION.test(caption) ? ' ' : ` ${caption} `;
  }
  if (HIDDEN_NAMESPACE.test(parts[0])) return ' ';
  // [[target|text]] shows text; [[target]] shows the target; a leading ':' only escapes a namespace.
  return parts.length > 1 ? parts[parts.length - 1] : parts[0].replace(/^\s*:/, '');
}
