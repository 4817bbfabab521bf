/**
 * The static HTML site: the Markdown reports rendered with markdown-it into self-contained pages
 * that work offline from file:// (inline CSS, no scripts, no CDN).
 *
 * Layout under <outDir>/site/:
 *   index.html             from index.md
 *   <paper>.html           from <paper>/report.md
 *   <paper>/...            copies of the files the report links to (figures, tables, claims.json)
 * so the folder can be published on its own. Links written relative to the Markdown file are
 * rewritten to the same targets inside site/; links that leave outDir (to the spec files of the
 * repository) keep pointing at the same file.
 */
import MarkdownIt from 'markdown-it';
import path from 'node:path';
import { isVerdict } from './verdicts.js';

const CSS = `
:root { --fg: #1d1d1f; --muted: #666; --rule: #ddd; --bg-alt: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1320px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: 0.8rem 0; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; }
a { color: #0b5cad; }
code { font: 0.85em/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--bg-alt); padding: 0.05em 0.3em; border-radius: 3px; }
/* Wide tables scroll sideways inside their wrapper instead of widening the page. */
.table-wrap { overflow-x: auto; margin: 0.8rem 0; }
table { border-collapse: collapse; font-size: 0.88rem; }
th, td { border: 1px solid var(--rule); padding: 0.3rem 0.5rem; vertical-align: top; }
th { background: var(--bg-alt); text-align: left; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fbfbfc; }
/* Claim tables: room for the quote (first column) and the reason (last). */
table.claims td:first-child { min-width: 15rem; }
table.claims td:last-child { min-width: 13rem; }
img { max-width: 100%; height: auto; display: block; margin: 1rem 0 0.3rem; }
.verdict { display: inline-block; padding: 0.05em 0.5em; border-radius: 0.8em; font-size: 0.8rem; font-weight: 600; white-space: nowrap; color: #fff; }
.verdict-reproduced { background: #1a7f37; }
.verdict-not-reproduced { background: #cf222e; }
.verdict-trivial { background: #9a6700; }
.verdict-consistent { background: #0a7d8c; }
.verdict-inconsistent { background: #bc4c00; }
.verdict-untestable { background: #6e7781; }
.verdict-pending { background: #8250df; }
`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Where a link in a Markdown file under outDir points once both are in the site. `from` and the
 * result are paths relative to outDir, e.g. ('p54/report.md', 'figures/a.svg') -> 'site/p54/figures/a.svg'.
 */
export function siteTarget(fromMarkdown: string, href: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('/')) return null;
  const hash = href.indexOf('#');
  const fragment = hash < 0 ? '' : href.slice(hash); // kept: a heading's id, or a spec line's #L12
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(fromMarkdown), hash < 0 ? href : href.slice(0, hash)));
  // Outside outDir (a claim's spec line in the repository): the same file from every page.
  if (target.startsWith('../')) return target + fragment;
  if (target === 'index.md') return `site/index.html${fragment}`;
  const [paper, ...rest] = target.split('/');
  if (rest.length === 1 && rest[0] === 'report.md') return `site/${paper}.html${fragment}`;
  return `site/${target}${fragment}`;
}

/** The page's own path in the site, relative to outDir. */
export function sitePagePath(markdownPath: string): string {
  const page = siteTarget('index.md', markdownPath);
  if (page === null || !page.endsWith('.html')) throw new Error(`no site page for ${markdownPath}`);
  return page;
}

function createRenderer() {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  // Tables sit in a scrolling wrapper; claim tables (the ones with a reason column) get a class.
  md.renderer.rules.table_open = (tokens, idx) => {
    let isClaimTable = false;
    for (let i = idx + 1; i < tokens.length && tokens[i].type !== 'thead_close'; i++) {
      if (tokens[i].type === 'inline' && tokens[i].content === 'reason') isClaimTable = true;
    }
    return `<div class="table-wrap"><table${isClaimTable ? ' class="claims"' : ''}>\n`;
  };
  md.renderer.rules.table_close = () => '</table></div>\n';
  // Headings get the ids GitHub gives them (lower case, spaces to dashes, punctuation dropped),
  // so that a link such as index.md#stage-wall-times works on the site as on GitHub.
  md.renderer.rules.heading_open = (tokens, idx, options, _env, self) => {
    const text = tokens[idx + 1]?.content ?? '';
    tokens[idx].attrSet('id', text.toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').trim().replace(/\s/g, '-'));
    return self.renderToken(tokens, idx, options);
  };
  const defaultCode = md.renderer.rules.code_inline!;
  md.renderer.rules.code_inline = (tokens, idx, options, env, self) => {
    const content = tokens[idx].content;
    if (isVerdict(content)) return `<span class="verdict verdict-${content}">${content}</span>`;
    return defaultCode(tokens, idx, options, env, self);
  };
  // Rewrites relative links from the Markdown file's frame to the HTML page's frame.
  const rewrite = (value: string, env: unknown): string => {
    const from = (env as { from: string }).from;
    const target = siteTarget(from, value);
    if (target === null) return value;
    const pageFolder = path.posix.dirname(sitePagePath(from));
    // A target outside outDir is reached by climbing out of the page's folder first (relative()
    // would resolve both paths against the working directory, which can clamp at its root).
    if (target.startsWith('../')) return path.posix.join(path.posix.relative(pageFolder, '.'), target);
    return path.posix.relative(pageFolder, target);
  };
  const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const href = tokens[idx].attrGet('href');
    if (href !== null) tokens[idx].attrSet('href', rewrite(String(href), env));
    return defaultLink(tokens, idx, options, env, self);
  };
  const defaultImage = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const src = tokens[idx].attrGet('src');
    if (src !== null) tokens[idx].attrSet('src', rewrite(String(src), env));
    return defaultImage(tokens, idx, options, env, self);
  };
  return md;
}

const renderer = createRenderer();

/**
 * One HTML page from one Markdown file. `markdownPath` is the file's path relative to outDir
 * (`index.md`, `p54/report.md`): links in it are resolved from there.
 */
export function renderPage(markdown: string, markdownPath: string, title: string): string {
  const body = renderer.render(markdown, { from: markdownPath });
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    body.trimEnd(),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
