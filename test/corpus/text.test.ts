import { describe, expect, it } from 'vitest';
import { looksLikeXmlDump, stripBrownTags, stripXmlDump, tokenize } from '../../src/corpus/index.js';

describe('tokenize', () => {
  it('lower-cases, keeps internal apostrophes and hyphens, splits punctuation', () => {
    expect(tokenize("Don't STOP--the hard-fought rock'n'roll... Wait?!")).toEqual([
      "don't", 'stop', '--', 'the', 'hard-fought', "rock'n'roll", '...', 'wait', '?', '!',
    ]);
  });

  it('splits numbers, abbreviations and trailing apostrophes', () => {
    expect(tokenize("3.5% of U.S. students' 1,000 -x- 'tis")).toEqual([
      '3', '.', '5', '%', 'of', 'u', '.', 's', '.', 'students', "'", '1', ',', '000', '-', 'x', '-', "'", 'tis',
    ]);
  });

  it('treats Unicode letters as word characters and the typographic apostrophe as ASCII', () => {
    expect(tokenize('Café NAÏVE it\u2019s \u201cquoted\u201d')).toEqual(['café', 'naïve', "it's", '\u201c', 'quoted', '\u201d']);
  });

  it("keeps Brown's quote pairs whole and drops whitespace and control characters", () => {
    expect(tokenize("``Hello''\tworld\u00a0again\u0000\n(x)")).toEqual(['``', 'hello', "''", 'world', 'again', '(', 'x', ')']);
  });

  it('gives nothing for empty or blank text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' \n\t ')).toEqual([]);
  });
});

describe('stripBrownTags', () => {
  it('splits each pair at its last slash', () => {
    const line = "\n\n\tThe/at Fulton/np-tl County/nn-tl said/vbd ``/`` 1-1/2/cd and/or/cc Atlanta's/np$ ''/'' ./.\n";
    expect(stripBrownTags(line)).toBe("The Fulton County said `` 1-1/2 and/or Atlanta's '' .");
  });

  it('feeds the tokenizer the words alone', () => {
    expect(tokenize(stripBrownTags('Mr./np Jones/np ,/, jr./np'))).toEqual(['mr', '.', 'jones', ',', 'jr', '.']);
  });
});

const ENWIK_SNIPPET = `<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.3/" version="0.3" xml:lang="en">
  <siteinfo>
    <sitename>Wikipedia</sitename>
  </siteinfo>
  <page>
    <title>Anarchism</title>
    <id>12</id>
    <revision>
      <id>42</id>
      <text xml:space="preserve">{{Infobox|name=x|{{nested|y}}}}
'''Anarchism''' is a [[political philosophy|philosophy]] of [[Pierre-Joseph Proudhon]] &amp;amp; ''others''.&lt;ref name="a"&gt;Some cite&lt;/ref&gt;
== History ==
* See [http://example.com the site] and http://bare.example.org/x
{| class="wikitable"
| cell || value
|}
[[Image:A.jpg|thumb|200px|A caption with a [[link]]]]
[[Category:Political ideologies]]
[[de:Anarchismus]]
&lt;!-- hidden comment --&gt;Text&amp;nbsp;ends.</text>
    </revision>
  </page>
  <page>
    <title>AccessibleComputing</title>
    <revision><text xml:space="preserve">#REDIRECT [[Computer accessibility]]</text></revision>
  </page>
  <page>
    <title>Cut</title>
    <revision><text xml:space="preserve">Cut off mid-sentence`;

describe('stripXmlDump', () => {
  it('detects dumps by content', () => {
    expect(looksLikeXmlDump(ENWIK_SNIPPET)).toBe(true);
    expect(looksLikeXmlDump('<?xml version="1.0"?><x/>')).toBe(true);
    expect(looksLikeXmlDump('Plain text mentioning <b>html</b>.')).toBe(false);
  });

  it('keeps the article text and nothing of the markup', () => {
    expect(tokenize(stripXmlDump(ENWIK_SNIPPET))).toEqual(
      tokenize(
        'Anarchism is a philosophy of Pierre-Joseph Proudhon & others. History See the site and ' +
          'A caption with a link Text ends. Cut off mid-sentence',
      ),
    );
  });

  it('falls back to character data for XML without <text> elements', () => {
    expect(tokenize(stripXmlDump('<?xml version="1.0"?><doc><p>Fish &amp; chips</p><!-- no --></doc>'))).toEqual([
      'fish', '&', 'chips',
    ]);
  });
});
