/** The stage graph and a run's stage times as plain-text tables (`npm run stages`, `--dry-run`, the end of a run). */
import { type StageExplanation, type StageTiming, groupTotals } from '../stages/index.js';

export function textTable(rows: string[][]): string {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => r.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd()).join('\n');
}

/** Long labels (an analysis with a list of matrices as a param) are cut for the table. */
const short = (label: string, width = 72): string => (label.length <= width ? label : `${label.slice(0, width - 1)}…`);

const seconds = (s: number | null): string => (s === null ? '-' : `${s.toFixed(1)} s`);

function inputList(e: StageExplanation): string {
  const names = e.inputs.map((i) => i.label);
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** Each stage, its status and why, its inputs, and the time its last run took (as `dvc status` and `dvc dag`). */
export function explanationTable(stages: StageExplanation[]): string {
  const rows = stages.map((e) => [short(e.label), e.status, e.why, seconds(e.lastSeconds), inputList(e)]);
  const toRun = stages.filter((e) => e.status === 'will run');
  const expected = toRun.reduce((s, e) => s + (e.lastSeconds ?? 0), 0);
  const unknown = toRun.filter((e) => e.lastSeconds === null).length;
  const footer =
    `${stages.length} stages: ${stages.filter((e) => e.status === 'cached').length} cached, ${toRun.length} will run` +
    ` (about ${expected.toFixed(0)} s by their last runs${unknown ? `, ${unknown} never timed` : ''}),` +
    ` ${stages.filter((e) => e.status === 'in memory').length} computed in memory when needed`;
  return `${textTable([['stage', 'status', 'why', 'last run', 'inputs'], ...rows])}\n\n${footer}`;
}

/** A run's stages with their own wall times, slowest first; stages under 0.05 s are counted, not listed. */
export function timingTable(timings: StageTiming[]): string {
  const shown = [...timings].filter((t) => t.seconds >= 0.05).sort((a, b) => b.seconds - a.seconds);
  const total = timings.reduce((s, t) => s + t.seconds, 0);
  const rows = shown.map((t) => [short(t.label), t.how, seconds(t.seconds)]);
  const rest = timings.length - shown.length;
  return `${textTable([['stage', 'how', 'wall time'], ...rows])}\n${timings.length} stages, ${total.toFixed(1)} s in all${rest ? ` (${rest} under 0.05 s not listed)` : ''}${groupSums(timings)}`;
}

/** "; training 1512.3 s, the rest 283.0 s" where stages declare a group. */
function groupSums(timings: StageTiming[]): string {
  const totals = groupTotals(timings);
  return totals.length === 0 ? '' : `; ${totals.map(([group, s]) => `${group} ${seconds(s)}`).join(', ')}`;
}
