import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERDICTS, type ClaimResult, type PaperResult } from '../../src/claims/types.js';
import { writeReports } from '../../src/report/index.js';
import { REPOSITORY_ROOT } from '../../src/claims/spec-lines.js';
import { CSV_COLUMNS } from '../../src/report/tables.js';
import { claims, demoPaper, otherPaper, run } from './fixture.js';

/** RFC 4180 reader, written independently of the writer under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += ch;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

/** Every start tag has its end tag, properly nested. */
function expectWellFormedXml(text: string): void {
  const stack: string[] = [];
  for (const match of text.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = match;
    if (selfClosing) continue;
    if (closing) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
}

function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

let tmp: string;
let outDir: string;
let written: string[];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'report-test-'));
  outDir = path.join(tmp, 'ci');
  written = await writeReports([demoPaper(), otherPaper()], run, outDir);
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const read = (relative: string) => readFileSync(path.join(outDir, relative), 'utf8');

describe('writeReports', () => {
  it('writes every expected file and returns exactly the files on disk', () => {
    const expected = [
      'index.md',
      'demo-paper/report.md',
      'demo-paper/claims.json',
      'demo-paper/tables/table-1.csv',
      'demo-paper/tables/table-2.csv',
      'demo-paper/tables/section-5-2.csv',
      'demo-paper/figures/pr-claims.svg',
      'demo-paper/figures/pr-claims.vl.json',
      'demo-paper/figures/spectrum.svg',
      'demo-paper/figures/loss-curve.svg',
      'other-paper/report.md',
      'site/index.html',
      'site/demo-paper.html',
      'site/other-paper.html',
    ];
    for (const file of expected) expect(existsSync(path.join(outDir, file)), file).toBe(true);
    expect(written.map((f) => path.relative(outDir, f)).sort()).toEqual([...snapshot(outDir).keys()].sort());
  });

  it('summarizes verdicts and draws one row per claim in its table', () => {
    const report = read('demo-paper/report.md');
    expect(report).toContain('# A Demo Paper \\| with a pipe');
    expect(report).toContain('**Profile:** `ci`');
    expect(report).toContain('**Commit:** `0123abc`');
    expect(report).toMatch(/\| `reproduced` \| 3 \|/);
    expect(report).toMatch(/\| `pending` \| 1 \|/);
    // VERDICTS order in the summary
    const positions = VERDICTS.map((v) => report.indexOf(`| \`${v}\` |`));
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]))).toBe(true);
    for (const claim of claims) {
      const row = report.split('\n').find((line) => line.startsWith(`| \`${claim.id}\``) || line.startsWith(`| [\`${claim.id}\`]`));
      expect(row, claim.id).toBeDefined();
      expect(row).toContain(`\`${claim.verdict}\``);
    }
    const pending = report.split('\n').find((line) => line.startsWith('| `trained-pr`'))!;
    expect(pending).toContain('waits for the trained V1 model');
    // Markdown in quotes is escaped so that it cannot break the table.
    expect(report).toContain('KL \\| columns: a\\*b\\_c \\<d\\>');
    expect(report).toContain('![PR claims](figures/pr-claims.svg)');
    expect(report).toMatch(/Figure `spectrum`.*Made by `k2-spectrum.singularValues`/);
    expect(report).toContain('### Which PR');
  });

  it('writes an index with a row per paper, a total row and links to the reports', () => {
    const index = read('index.md');
    expect(index).toContain('| [A Demo Paper \\| with a pipe](demo-paper/report.md) | 9 | 3 | 1 | 1 | 1 | 1 | 1 | 1 |');
    expect(index).toContain('| [Another Paper](other-paper/report.md) | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 |');
    expect(index).toContain('| **total** | **10** | **3** | **1** | **1** | **2** | **1** | **1** | **1** |');
  });

  it('lists the run\'s stage wall times in the index, slowest first, and sums them up in every header', () => {
    const index = read('index.md');
    const section = index.slice(index.indexOf('## Stage wall times'));
    expect(section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| stage') && !l.startsWith('| ---'))).toEqual([
      '| train v1 | ran | 42.7 s |',
      '| corpus (brown) | memory | 0.6 s |',
      '| crystallized embeddings | loaded | 0.1 s |',
    ]);
    expect(read('demo-paper/report.md')).toContain(
      '- **Stage wall times:** 3 stages (2 computed, 1 loaded from the cache), 43.4 s in all; slowest: train v1 42.7 s, corpus (brown) 0.6 s, crystallized embeddings 0.1 s ([all stages](../index.md#stage-wall-times))',
    );
  });

  it('shows a reading shared by two specs in both reports, as an interpretation note', () => {
    for (const file of ['demo-paper/report.md', 'other-paper/report.md']) {
      expect(read(file)).toContain('## Interpretation notes\n\n');
      expect(read(file)).toContain('### A shared reading\n\nHow a stage reads an open method.');
    }
    expect(read('index.md')).not.toContain('A shared reading');
  });

  it('links a claim\'s id to its spec line in the repository, from the report and from the site', () => {
    const specFile = path.join(REPOSITORY_ROOT, 'papers', 'demo-paper.ts');
    const report = read('demo-paper/report.md');
    const link = report.match(/\[`pr-layer0`\]\(([^)#]+)#L12\)/)?.[1];
    expect(link).toBeDefined();
    expect(path.resolve(outDir, 'demo-paper', link!)).toBe(specFile);
    const href = read('site/demo-paper.html').match(/href="([^"#]+)#L12"><code>pr-layer0<\/code>/)?.[1];
    expect(href).toBeDefined();
    expect(path.resolve(outDir, 'site', href!)).toBe(specFile);
    // a claim without a spec line keeps its plain id
    expect(report).toContain('| `vocab-size` “');
  });

  it('lists the paper\'s analyses with their null controls and the notes of their runs', () => {
    const report = read('demo-paper/report.md');
    expect(report).toContain('## Analyses\n\n### `sign`\n\nthe sign of x \\| a pipe\n\nNull control: x from a coin flip\n\n- x read as the first value\n\n### `series`\n\na series\n');
    expect(read('other-paper/report.md')).not.toContain('## Analyses');
  });

  it('writes claims.json that reads back as the given claims', () => {
    const text = read('demo-paper/claims.json');
    expect(text.endsWith(']\n')).toBe(true);
    expect(text.split('\n')[2]).toBe('    "id": "pr-layer0",');
    expect(JSON.parse(text)).toEqual(claims);
  });

  it('writes CSV tables that parse back, awkward fields included', () => {
    const rows = parseCsv(read('demo-paper/tables/table-2.csv'));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.map((r) => r[0])).toEqual(['id', 'gap-range', 'kl-lost', 'quoted, text']);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    const quoted = rows[3];
    expect(quoted[CSV_COLUMNS.indexOf('row')]).toBe('r, "quoted"');
    expect(quoted[CSV_COLUMNS.indexOf('reason')]).toBe(claims[8].reason);
    expect(Number(quoted[CSV_COLUMNS.indexOf('null_mean')])).toBe(-0.0667);
    const table1 = parseCsv(read('demo-paper/tables/table-1.csv'));
    const cos = table1.find((r) => r[0] === 'cos-small')!;
    expect(JSON.parse(cos[CSV_COLUMNS.indexOf('regenerated')])).toEqual(claims[2].regenerated);
    const vocab = table1.find((r) => r[0] === 'vocab-size')!;
    expect(vocab[CSV_COLUMNS.indexOf('delta')]).toBe('-17');
    expect(vocab[CSV_COLUMNS.indexOf('null_mean')]).toBe('');
  });

  it('renders figures to well-formed SVG with their Vega-Lite specs beside them', () => {
    for (const id of ['pr-claims', 'spectrum', 'loss-curve']) {
      const svg = read(`demo-paper/figures/${id}.svg`);
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), id).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>'), id).toBe(true);
      expectWellFormedXml(svg);
      const spec = JSON.parse(read(`demo-paper/figures/${id}.vl.json`));
      expect(spec.$schema).toContain('vega-lite');
    }
    expect(read('demo-paper/figures/loss-curve.svg')).toContain('pending: waits for the trained V1 model');
    // Pending claims contribute only the paper's value: 4 claims, 3 regenerated-series layers of data.
    const claimsSpec = JSON.parse(read('demo-paper/figures/pr-claims.vl.json'));
    const regenerated = claimsSpec.layer.flatMap((l: { data: { values: { series: string; label: string }[] } }) =>
      l.data.values.filter((v) => v.series === 'regenerated').map((v) => v.label),
    );
    expect(regenerated).not.toContain('Layer 2 · PR');
    expect(regenerated).toContain('Layer 0 · PR');
    const series = JSON.parse(read('demo-paper/figures/spectrum.vl.json'));
    expect(series.layer.at(-1).encoding.y.scale.type).toBe('log');
    // the series starts at x = 1 (rank 1 = the largest), not at index 0
    expect(JSON.stringify(series)).toContain('datum.rowNumber - 1 + 1');
  });

  it('builds an HTML site whose links and images all resolve', () => {
    for (const page of ['site/index.html', 'site/demo-paper.html', 'site/other-paper.html']) {
      const html = read(page);
      expect(html).toContain('<style>');
      expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
      // spec-line links leave the site for the repository on purpose (tested above)
      const targets = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]).filter((t) => !/\.ts#L\d+$/.test(t));
      expect(targets.length).toBeGreaterThan(0);
      for (const target of targets) {
        const [target_, fragment] = target.split('#');
        const file = target_ === '' ? path.join(outDir, page) : path.join(path.dirname(path.join(outDir, page)), decodeURIComponent(target_.replace(/&amp;/g, '&')));
        expect(existsSync(file), `${page} -> ${target}`).toBe(true);
        if (fragment !== undefined) expect(readFileSync(file, 'utf8'), `${page} -> ${target}`).toContain(`id="${fragment}"`);
        expect(path.relative(path.join(outDir, 'site'), file).startsWith('..'), `${target} leaves site/`).toBe(false);
      }
    }
    const paper = read('site/demo-paper.html');
    expect(paper).toContain('<span class="verdict verdict-not-reproduced">not-reproduced</span>');
    expect(paper).toContain('src="demo-paper/figures/pr-claims.svg"');
    expect(read('site/index.html')).toContain('href="demo-paper.html"');
  });

  it('is deterministic: same inputs give the same bytes, whatever the key order', async () => {
    const reordered = demoPaper();
    reordered.claims = reordered.claims.map((c) => Object.fromEntries(Object.entries(c).reverse()) as unknown as ClaimResult);
    const again = path.join(tmp, 'again');
    await writeReports([reordered, otherPaper()], run, again);
    expect(snapshot(again)).toEqual(snapshot(outDir));

    const later = path.join(tmp, 'later');
    await writeReports([demoPaper(), otherPaper()], { ...run, generatedAt: '2030-06-01T12:00:00.000Z' }, later);
    const before = snapshot(outDir);
    for (const [file, content] of snapshot(later)) {
      const old = before.get(file)!.split('\n');
      const changed = content.split('\n').filter((line, i) => line !== old[i]);
      for (const line of changed) expect(line, file).toContain('2030-06-01T12:00:00.000Z');
    }
  });

  it('leaves a previous outDir untouched when a figure fails, and keeps files it does not own', async () => {
    const dir = path.join(tmp, 'failing');
    await writeReports([demoPaper()], run, dir);
    writeFileSync(path.join(dir, 'lock.json'), '{}\n');
    const before = snapshot(dir);

    const broken: PaperResult = demoPaper();
    broken.claims[0].reason = 'changed, so a partial write would show';
    broken.figures.push({ id: 'broken', kind: 'claims', title: 'Broken', claims: ['no-such-claim'] });
    await expect(writeReports([broken], run, dir)).rejects.toThrow(/figure "broken".*no-such-claim/);
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(tmp).filter((name) => name.startsWith('failing.tmp-'))).toEqual([]);

    // A successful run replaces the paper folder but keeps lock.json, and clears stale staging.
    const stale = `${dir}.tmp-999999999`;
    mkdirSync(stale);
    await writeReports([otherPaper()], run, dir);
    expect(existsSync(stale)).toBe(false);
    expect(readFileSync(path.join(dir, 'lock.json'), 'utf8')).toBe('{}\n');
    expect(readFileSync(path.join(dir, 'index.md'), 'utf8')).toContain('other-paper/report.md');
  });

  it('rejects paper ids that would clash with the index or the site', async () => {
    const paper = { ...otherPaper(), id: 'site' };
    await expect(writeReports([paper], run, path.join(tmp, 'clash'))).rejects.toThrow(/cannot name a report folder/);
  });
});
