/**
 * The report stage: turns judged claims into the files a reader looks at. For a profile's output
 * folder outDir (e.g. artifacts/ci) it writes
 *
 *   <outDir>/index.md                         verdict counts across papers, links to each report
 *   <outDir>/<paper>/report.md                header, verdict summary, one table per paper table,
 *                                             figures with captions, interpretation notes
 *   <outDir>/<paper>/claims.json              the ClaimResults, canonical key order
 *   <outDir>/<paper>/tables/<table>.csv       one CSV per table, full precision
 *   <outDir>/<paper>/figures/<id>.vl.json     Vega-Lite spec of each figure
 *   <outDir>/<paper>/figures/<id>.svg         ... rendered offline
 *   <outDir>/site/                            the same as a static HTML site (see site.ts)
 *
 * Output is deterministic: the same inputs give byte-identical files, except for the generated-at
 * line of each Markdown header (and the HTML rendered from it). Files are replaced atomically per
 * paper folder (see atomic.ts).
 */
import path from 'node:path';
import { REPOSITORY_ROOT } from '../claims/spec-lines.js';
import type { PaperResult, RunInfo } from '../claims/types.js';
import { replaceAtomically } from './atomic.js';
import { renderFigure, type RenderedFigure } from './figures.js';
import { claimsToJson, compactJson } from './json.js';
import { indexMarkdown, paperReportMarkdown } from './markdown.js';
import { renderPage } from './site.js';
import { groupClaimsIntoTables, tableToCsv } from './tables.js';

export { VERDICT_MEANINGS, countVerdicts } from './verdicts.js';

/** Names that a paper folder cannot take, because the index and the site live beside them. */
const RESERVED_IDS = new Set(['site', 'index', 'index.md']);

function checkPaperIds(results: PaperResult[]): void {
  const seen = new Set<string>();
  for (const paper of results) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(paper.id) || RESERVED_IDS.has(paper.id)) {
      throw new Error(`paper id "${paper.id}" cannot name a report folder (lower-case letters, digits and dashes; not "site" or "index")`);
    }
    if (seen.has(paper.id)) throw new Error(`two papers share the id "${paper.id}"`);
    seen.add(paper.id);
    for (const figure of paper.figures) {
      if (!/^[a-z0-9-]+$/.test(figure.id)) throw new Error(`paper "${paper.id}": figure id "${figure.id}" cannot name a file`);
    }
  }
}

/** Every file of one paper's folder, keyed by its path relative to outDir. */
async function paperFiles(paper: PaperResult, run: RunInfo, outDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const put = (relative: string, content: string) => files.set(`${paper.id}/${relative}`, content);

  const tables = groupClaimsIntoTables(paper.claims);
  const claimsById = new Map(paper.claims.map((c) => [c.id, c]));
  const figures: RenderedFigure[] = [];
  // One at a time: vega is single-threaded anyway, and the order keeps any log output readable.
  for (const figure of paper.figures) {
    let rendered: RenderedFigure;
    try {
      rendered = await renderFigure(figure, claimsById);
    } catch (error) {
      throw new Error(`paper "${paper.id}", figure "${figure.id}": ${(error as Error).message}`, { cause: error });
    }
    figures.push(rendered);
    put(`figures/${figure.id}.vl.json`, compactJson(rendered.spec));
    put(`figures/${figure.id}.svg`, rendered.svg);
  }
  for (const table of tables) put(`tables/${table.slug}.csv`, tableToCsv(table));
  put('claims.json', claimsToJson(paper.claims));
  // Claims link to their spec lines, which are relative to the repository.
  const repository = path.relative(path.resolve(outDir, paper.id), REPOSITORY_ROOT).split(path.sep).join('/');
  put('report.md', paperReportMarkdown(paper, run, tables, figures, repository));
  return files;
}

/**
 * Writes the reports of `results` into outDir and returns the paths written (outDir joined with
 * each file's relative path), sorted. Nothing under outDir changes unless every file was rendered
 * and staged; see atomic.ts for the replacement scheme.
 */
export async function writeReports(
  results: PaperResult[],
  run: RunInfo,
  outDir: string,
): Promise<string[]> {
  checkPaperIds(results);
  const files = new Map<string, string>();
  for (const paper of results) {
    for (const [relative, content] of await paperFiles(paper, run, outDir)) files.set(relative, content);
  }
  const index = indexMarkdown(results, run);
  files.set('index.md', index);

  // The site: one page per Markdown file, plus copies of everything the pages link to.
  files.set('site/index.html', renderPage(index, 'index.md', `Paper reports (${run.profile})`));
  for (const paper of results) {
    const reportPath = `${paper.id}/report.md`;
    files.set(`site/${paper.id}.html`, renderPage(files.get(reportPath)!, reportPath, paper.title));
    for (const [relative, content] of [...files]) {
      if (relative.startsWith(`${paper.id}/`) && relative !== reportPath) files.set(`site/${relative}`, content);
    }
  }
  return replaceAtomically(outDir, files);
}
