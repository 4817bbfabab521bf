/**
 * The drift gate (DVC's `metrics diff` for claims). The lock records every claim's verdict and
 * regenerated value; `check` regenerates and fails when a verdict changed or a value moved beyond
 * its tolerance: the claim's own tolerance for value tests, else DRIFT_REL (numerical noise only,
 * since the pipeline is deterministic on the CPU).
 */
import type { PaperResult, RunInfo, Verdict } from '../claims/types.js';
import type { Output } from '../analyses/types.js';
import { formatOutput } from '../claims/evaluate.js';
import { formatNumber } from '../claims/numbers.js';

export const DRIFT_REL = 1e-6;

export interface LockEntry {
  verdict: Verdict;
  regenerated: Output | null;
  /** how far `regenerated` may move before the gate fails */
  tolerance: number | null;
}

export interface Lock {
  profile: string;
  corpus: string;
  claims: Record<string, LockEntry>;
}

export interface Drift {
  claim: string;
  from: string;
  to: string;
  tolerance: string;
  why: string;
}

export function makeLock(results: PaperResult[], run: RunInfo): Lock {
  const claims: Record<string, LockEntry> = {};
  for (const paper of results) {
    for (const c of paper.claims) {
      claims[`${paper.id}/${c.id}`] = { verdict: c.verdict, regenerated: c.regenerated, tolerance: c.tolerance };
    }
  }
  return { profile: run.profile, corpus: run.corpus, claims };
}

function moved(from: Output | null, to: Output | null, tolerance: number | null): boolean {
  if (from === null || to === null) return from !== to;
  const a = typeof from === 'number' ? [from] : from;
  const b = typeof to === 'number' ? [to] : to;
  if (a.length !== b.length) return true;
  return a.some((x, i) => {
    const y = b[i];
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) !== Number.isNaN(y);
    const allowed = tolerance ?? DRIFT_REL * Math.max(Math.abs(x), Math.abs(y), 1e-12);
    return Math.abs(x - y) > allowed;
  });
}

/** Claims of `results` that differ from the lock; claims of papers not in `results` are not compared. */
export function compareWithLock(results: PaperResult[], lock: Lock): Drift[] {
  const drifts: Drift[] = [];
  const papers = new Set(results.map((r) => r.id));
  const seen = new Set<string>();
  for (const paper of results) {
    for (const c of paper.claims) {
      const id = `${paper.id}/${c.id}`;
      seen.add(id);
      const old = lock.claims[id];
      const tol = c.tolerance ?? null;
      const tolText = tol === null ? `rel ${DRIFT_REL}` : `±${formatNumber(tol)}`;
      if (!old) {
        drifts.push({ claim: id, from: '(not in lock)', to: `${formatOutput(c.regenerated)} ${c.verdict}`, tolerance: tolText, why: 'new claim' });
        continue;
      }
      if (old.verdict !== c.verdict) {
        drifts.push({ claim: id, from: `${formatOutput(old.regenerated)} ${old.verdict}`, to: `${formatOutput(c.regenerated)} ${c.verdict}`, tolerance: tolText, why: 'verdict changed' });
      } else if (moved(old.regenerated, c.regenerated, tol)) {
        drifts.push({ claim: id, from: formatOutput(old.regenerated), to: formatOutput(c.regenerated), tolerance: tolText, why: 'moved beyond tolerance' });
      }
    }
  }
  for (const id of Object.keys(lock.claims)) {
    if (!seen.has(id) && papers.has(id.split('/')[0])) {
      drifts.push({ claim: id, from: formatOutput(lock.claims[id].regenerated), to: '(claim removed)', tolerance: '', why: 'claim removed' });
    }
  }
  return drifts;
}
