/**
 * The Markdown reports: one per paper (report.md) and one across papers (index.md). They are the
 * source of the HTML site too, so everything a reader sees is written here once.
 *
 * Text quoted from papers or written by the claims engine is escaped; the spec's own prose
 * (summary, tolerance rule, interpretation notes) is Markdown written for the report and passes
 * through. Verdicts are written as code spans (`reproduced`), which the site renders as badges.
 */
import path from 'node:path';
import { VERDICTS, type ClaimResult, type PaperResult, type RunInfo } from '../claims/types.js';
import {
  formatAnalysis,
  formatDeltaCell,
  formatNullSummary,
  formatRegenerated,
  formatWhere,
  keepTogether,
} from './format.js';
import { groupTotals } from '../stages/index.js';
import type { RenderedFigure } from './figures.js';
import type { ClaimTable } from './tables.js';
import { countVerdicts, VERDICT_MEANINGS } from './verdicts.js';

/**
 * Escapes text for inline Markdown (CommonMark and GitHub): punctuation that could start
 * emphasis, code, links, HTML, math or strikethrough; line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').replace(/[\\`*_[\]<>|$~&]/g, '\\$&');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function tableRow(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Header lines shared by a paper report and the index: where these numbers come from. */
function runLines(run: RunInfo, indexLink: string): string[] {
  const versions = Object.keys(run.versions)
    .sort()
    .map((name) => `${name} ${run.versions[name]}`)
    .join(', ');
  return [
    `- **Profile:** ${code(run.profile)}: ${escapeMarkdown(run.profileDescription)}`,
    `- **Corpus:** ${escapeMarkdown(run.corpus)}`,
    `- **Execution provider:** ${escapeMarkdown(run.executionProvider)}`,
    ...(run.importedModels.length > 0 ? [`- **Imported models (--model):** ${escapeMarkdown(run.importedModels.join('; '))}`] : []),
    `- **Seeds:** master seed ${run.seeds.master}; null controls over ${run.seeds.nullSeeds} seeds`,
    `- **Versions:** ${escapeMarkdown(versions === '' ? 'not recorded' : versions)}`,
    `- **Commit:** ${code(run.commit)}`,
    `- **Stage wall times:** ${stageTimesSummary(run, indexLink)}`,
    // The lines that differ between otherwise identical runs: this one and the stage times.
    `- **Generated at:** ${escapeMarkdown(run.generatedAt)}`,
  ];
}

const seconds = (s: number): string => `${s.toFixed(1)} s`;

/** "training 1036.6 s<separator>the rest 322.3 s" where stages declare a group, else ''. */
function groupSums(run: RunInfo, separator: string): string {
  return groupTotals(run.stageTimes)
    .map(([group, s]) => `${group} ${seconds(s)}`)
    .join(separator);
}

/** The run's total stage time and its slowest stages, with a link to the full table. */
function stageTimesSummary(run: RunInfo, indexLink: string): string {
  const total = run.stageTimes.reduce((sum, t) => sum + t.seconds, 0);
  const slowest = [...run.stageTimes].sort((a, b) => b.seconds - a.seconds).slice(0, 3);
  const ran = run.stageTimes.filter((t) => t.how !== 'loaded').length;
  const sums = groupSums(run, '; ');
  return (
    `${run.stageTimes.length} stages (${ran} computed, ${run.stageTimes.length - ran} loaded from the cache), ${seconds(total)} in all` +
    (sums ? `; ${sums}` : '') +
    (slowest.length > 0 ? `; slowest: ${slowest.map((t) => `${escapeMarkdown(t.stage)} ${seconds(t.seconds)}`).join(', ')}` : '') +
    ` ([all stages](${indexLink}#stage-wall-times))`
  );
}

/** Every stage of the run with its own wall time, slowest first (index.md). */
function stageTimesSection(run: RunInfo): string[] {
  const rows = [...run.stageTimes].sort((a, b) => b.seconds - a.seconds);
  const sums = groupSums(run, ', ');
  return [
    '## Stage wall times',
    '',
    'Each stage this run computed or loaded from the cache, with the wall time spent in the stage itself (not in the stages it waited on), slowest first.',
    '',
    ...(sums ? [`Sums: ${sums}.`, ''] : []),
    '| stage | how | wall time |',
    '| --- | --- | ---: |',
    ...rows.map((t) => tableRow([escapeMarkdown(t.stage), t.how, seconds(t.seconds)])),
    '',
  ];
}

function verdictSummary(claims: ClaimResult[]): string[] {
  const counts = countVerdicts(claims);
  const lines = ['| verdict | claims | meaning | which claims |', '| --- | ---: | --- | --- |'];
  for (const verdict of VERDICTS) {
    const ids = claims.filter((c) => c.verdict === verdict).map((c) => code(c.id));
    lines.push(tableRow([code(verdict), String(counts[verdict]), VERDICT_MEANINGS[verdict], ids.join(', ')]));
  }
  lines.push(tableRow(['**total**', `**${claims.length}**`, '', '']));
  return lines;
}

function howToRead(paper: PaperResult): string {
  return (
    'Each table below redraws one table (or section) of the paper: one row per number or statement ' +
    "it claims, with where it stands, the paper's value, the regenerated value, their delta (value " +
    'tests, with the tolerance in effect), the same measurement under a null control (mean ± sd over ' +
    'seeds, and how many seeds also pass the test), the verdict and its reason. ' +
    "Each claim's id links to the line of the paper's spec that states it (the claim, or the row of its table). " +
    `A claim is ${code('reproduced')} only if the regenerated value passes its test and the null control ` +
    `does not; if both pass it is ${code('trivial')}. ` +
    `Tolerances, as fixed before any value was regenerated: ${paper.toleranceRule.trim()} ` +
    "Consistency checks are judged on the paper's own numbers alone, each taken with its printed " +
    'rounding (a value printed as 0.71 stands for anything in [0.705, 0.715]), without regenerated data.'
  );
}

/**
 * The claim's id, linked to the line of its spec that states it (`repository` is the path from
 * the report's folder to the repository, which spec lines are relative to), and its quote.
 */
function claimCell(claim: ClaimResult, repository: string): string {
  const id = claim.specLine ? `[${code(claim.id)}](${specLink(claim.specLine, repository)})` : code(claim.id);
  return `${id} “${escapeMarkdown(claim.quote)}”`;
}

/** `../../../papers/p56-recursive-crystallization.ts#L123`: a link GitHub opens at the line. */
export function specLink(specLine: NonNullable<ClaimResult['specLine']>, repository: string): string {
  return `${encodeURI(path.posix.join(repository, specLine.file))}#L${specLine.line}`;
}

function reasonCell(claim: ClaimResult): string {
  return escapeMarkdown(claim.reason);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function tableSection(table: ClaimTable, repository: string): string[] {
  const lines = [`## ${escapeMarkdown(table.title)}`, ''];
  const analyses = unique(table.claims.flatMap((c) => (c.analysis ? [formatAnalysis(c.analysis)] : [])));
  if (analyses.length > 0) lines.push(`Regenerated by ${analyses.map(code).join(', ')}.`, '');
  const nullControls = unique(table.claims.flatMap((c) => (c.null ? [c.null.description] : [])));
  if (nullControls.length > 0) lines.push(`Null control: ${nullControls.map(escapeMarkdown).join('; ')}.`, '');
  lines.push(
    tableRow(['claim', 'where', 'paper', 'regenerated', 'delta', 'null control (mean ± sd)', 'verdict', 'reason']),
    tableRow(['---', '---', '---', '---', '---', '---', '---', '---']),
  );
  for (const claim of table.claims) {
    lines.push(
      tableRow([
        claimCell(claim, repository),
        escapeMarkdown(formatWhere(claim.source)),
        escapeMarkdown(keepTogether(claim.paperValue)),
        claim.verdict === 'pending' ? 'pending' : escapeMarkdown(formatRegenerated(claim.regenerated)),
        escapeMarkdown(formatDeltaCell(claim)),
        escapeMarkdown(formatNullSummary(claim.null)),
        code(claim.verdict),
        reasonCell(claim),
      ]),
    );
  }
  const notes = table.claims.filter((c) => c.note !== undefined && c.note.trim() !== '');
  if (notes.length > 0) {
    lines.push('', ...notes.map((c) => `- ${code(c.id)}: ${escapeMarkdown(c.note!)}`));
  }
  lines.push('', `Data: [tables/${table.slug}.csv](tables/${table.slug}.csv)`, '');
  return lines;
}

/** The caption ties the figure to its analysis and claims (showyourwork-style traceability). */
function figureCaption(rendered: RenderedFigure, claimsById: Map<string, ClaimResult>): string {
  const figure = rendered.figure;
  const parts = [`**Figure ${code(figure.id)}: ${escapeMarkdown(figure.title)}.**`];
  if (figure.kind === 'claims') {
    const claims = figure.claims.map((id) => claimsById.get(id)!);
    const analyses = unique(claims.flatMap((c) => (c.analysis ? [formatAnalysis(c.analysis)] : [])));
    parts.push(`Claims ${figure.claims.map(code).join(', ')}.`);
    parts.push(analyses.length > 0 ? `Made by ${analyses.map(code).join(', ')}.` : 'No analysis: paper values only.');
    parts.push(
      'Paper in black (diamond: value, tick: bound, bar: range), regenerated in blue, ' +
        'null control mean ± sd in grey; pending claims show the paper only.',
    );
  } else {
    parts.push(`Made by ${code(figure.analysis)}.`);
    if (figure.values !== null) {
      parts.push(
        `Regenerated series in blue${figure.nullSamples.length > 0 ? `, ${figure.nullSamples.length} null-control samples in grey` : ''}` +
          `${figure.logY ? '; log y axis' : ''}.`,
      );
    }
  }
  for (const note of rendered.notes) parts.push(`${escapeMarkdown(note.charAt(0).toUpperCase() + note.slice(1))}.`);
  parts.push(`Spec: [figures/${figure.id}.vl.json](figures/${figure.id}.vl.json).`);
  return parts.join(' ');
}

/** `repository`: the path from the report's folder to the repository root (see claimCell). */
export function paperReportMarkdown(
  paper: PaperResult,
  run: RunInfo,
  tables: ClaimTable[],
  figures: RenderedFigure[],
  repository: string,
): string {
  const claimsById = new Map(paper.claims.map((c) => [c.id, c]));
  const lines = [
    `# ${escapeMarkdown(paper.title)}`,
    '',
    `[All papers](../index.md) · [claims.json](claims.json) · source text ${code(paper.file)}`,
    '',
    paper.summary.trim(),
    '',
    ...runLines(run, '../index.md'),
    '',
    '## Verdicts',
    '',
    ...verdictSummary(paper.claims),
    '',
    '**How to read this report.** ' + howToRead(paper),
    '',
  ];
  for (const table of tables) lines.push(...tableSection(table, repository));
  if (figures.length > 0) {
    lines.push('## Figures', '');
    for (const rendered of figures) {
      lines.push(
        `![${escapeMarkdown(rendered.figure.title)}](figures/${rendered.figure.id}.svg)`,
        '',
        figureCaption(rendered, claimsById),
        '',
      );
    }
  }
  lines.push(...analysisLines(paper));
  if (paper.interpretations.length > 0) {
    lines.push('## Interpretation notes', '');
    for (const note of paper.interpretations) {
      lines.push(`### ${escapeMarkdown(note.title)}`, '', note.text.trim(), '');
    }
  }
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}

/** What each analysis measures, against what null, and what its runs noted. */
function analysisLines(paper: PaperResult): string[] {
  if (paper.analyses.length === 0) return [];
  const lines = ['## Analyses', ''];
  for (const a of paper.analyses) {
    lines.push(`### ${code(a.name)}`, '', escapeMarkdown(a.description), '');
    if (a.nullControl !== undefined) lines.push(`Null control: ${escapeMarkdown(a.nullControl)}`, '');
    for (const note of a.notes) lines.push(`- ${escapeMarkdown(note)}`);
    if (a.notes.length > 0) lines.push('');
  }
  return lines;
}

export function indexMarkdown(papers: PaperResult[], run: RunInfo): string {
  const header = ['paper', 'claims', ...VERDICTS.map(code)];
  const lines = [
    `# Regenerated paper reports: profile ${code(run.profile)}`,
    '',
    ...runLines(run, ''),
    '',
    tableRow(header),
    tableRow(['---', ...header.slice(1).map(() => '---:')]),
  ];
  const totals = countVerdicts(papers.flatMap((p) => p.claims));
  for (const paper of papers) {
    const counts = countVerdicts(paper.claims);
    lines.push(
      tableRow([
        `[${escapeMarkdown(paper.title)}](${paper.id}/report.md)`,
        String(paper.claims.length),
        ...VERDICTS.map((v) => String(counts[v])),
      ]),
    );
  }
  const total = papers.reduce((n, p) => n + p.claims.length, 0);
  lines.push(tableRow(['**total**', `**${total}**`, ...VERDICTS.map((v) => `**${totals[v]}**`)]));
  lines.push('', '## Verdicts', '', ...VERDICTS.map((v) => `- ${code(v)}: ${VERDICT_MEANINGS[v]}.`), '');
  lines.push(...stageTimesSection(run));
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}
