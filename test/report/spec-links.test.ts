/**
 * The reports of the real specs: every claim row links to a line of its spec file that states the
 * claim (its literal, or a row of its table), and the link resolves from where report.md is.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpecs } from '../../src/claims/load.js';
import { evaluateClaim } from '../../src/claims/evaluate.js';
import { ANALYSES } from '../../src/analyses/catalog.js';
import type { PaperResult } from '../../src/claims/types.js';
import { writeReports } from '../../src/report/index.js';
import { run } from './fixture.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'spec-links-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('claim rows of the real specs', async () => {
  const specs = await loadSpecs('papers', ANALYSES);
  // Judged without running anything: data claims are pending, which is enough for the links.
  const results = specs.map(({ spec }): PaperResult => ({
    id: spec.id,
    title: spec.title,
    file: spec.file,
    summary: spec.summary,
    toleranceRule: spec.toleranceRule,
    interpretations: spec.interpretations,
    claims: spec.claims.map((c) => evaluateClaim(c, spec.id, c.analysis ? { kind: 'pending', reason: 'no run in this test' } : null)),
    analyses: [],
    figures: [],
  }));
  const outDir = path.join(tmp, 'ci');
  await writeReports(results, run, outDir);

  it('link to a line of the spec that holds the claim\'s id or its table row', () => {
    for (const paper of results) {
      const report = readFileSync(path.join(outDir, paper.id, 'report.md'), 'utf8');
      for (const claim of paper.claims) {
        const row = report.split('\n').find((line) => line.startsWith(`| [\`${claim.id}\`](`));
        expect(row, claim.id).toBeDefined();
        const [, href, line] = row!.match(/^\| \[`[^`]+`\]\(([^)#]+)#L(\d+)\)/)!;
        const file = path.resolve(outDir, paper.id, decodeURI(href));
        expect(path.relative(process.cwd(), file)).toMatch(/^papers\/[^/]+\.ts$/);
        const text = readFileSync(file, 'utf8').split('\n')[Number(line) - 1];
        const cells = [...text.matchAll(/'([^']+)'/g)].map(([, literal]) => literal);
        const ofItsRow = cells.some((cell) => cell.length >= 3 && (claim.quote.includes(cell) || claim.paperValue.includes(cell)));
        expect(text.includes(`id: '${claim.id}'`) || ofItsRow, `${claim.id} -> ${href}#L${line}: ${text.trim()}`).toBe(true);
      }
    }
  });
});
