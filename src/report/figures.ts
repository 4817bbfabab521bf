/**
 * Figures: each FigureData becomes a Vega-Lite spec, rendered to SVG offline in Node (vega's
 * headless View with renderer 'none' needs no canvas package and no network).
 *
 * Two kinds:
 * - 'claims': one x position per claim, three series side by side: the paper's number (a point
 *   for value tests, a tick for a bound, a bar from min to max for a range), the regenerated value
 *   (one point per element for arrays) and the null control's mean with a ± sd error bar.
 * - 'series': an analysis output drawn as a line over its index, with the null-control samples as
 *   faint lines behind it; a text placeholder while the analysis is pending.
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { Output } from '../analyses/types.js';
import type { ClaimResult, FigureData } from '../claims/types.js';
import { parsePrinted } from '../claims/numbers.js';
import { claimLabel } from './format.js';

type Series = 'paper' | 'regenerated' | 'null control';
const SERIES: Series[] = ['paper', 'regenerated', 'null control'];
const SERIES_COLORS = ['#222222', '#1f6fb4', '#9a9a9a'];

const WIDTH = 520;
const HEIGHT = 260;
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

// Vega-Lite specs are plain JSON; its own TypeScript types are too deep to be worth threading here.
type VegaLiteSpec = Record<string, unknown>;

export interface RenderedFigure {
  figure: FigureData;
  /** the Vega-Lite spec, as written to figures/<id>.vl.json */
  spec: VegaLiteSpec;
  svg: string;
  /** things a reader of the caption should know (values left off a log axis, ...) */
  notes: string[];
}

interface PointRow {
  label: string;
  series: Series;
  y: number;
}
interface IntervalRow {
  label: string;
  series: Series;
  y: number;
  y2: number;
}

const colorEncoding = {
  field: 'series',
  type: 'nominal',
  scale: { domain: SERIES, range: SERIES_COLORS },
  legend: { title: null, orient: 'top' },
};

function asArray(value: Output): number[] {
  return typeof value === 'number' ? [value] : value;
}

/** The paper's number for a value test, on the same scale as the regenerated value. */
function paperValueOf(claim: ClaimResult, printed: string): number {
  // regenerated - delta is the paper's number as the claims engine read it (70.7% as 0.707 or
  // 70.7, whichever the analysis reports), so prefer it to re-parsing the printed string.
  if (typeof claim.regenerated === 'number' && claim.delta !== null) return claim.regenerated - claim.delta;
  return parsePrinted(printed).value;
}

export function claimsFigureSpec(
  figure: Extract<FigureData, { kind: 'claims' }>,
  claimsById: Map<string, ClaimResult>,
): VegaLiteSpec {
  const claims = figure.claims.map((id) => {
    const claim = claimsById.get(id);
    if (!claim) throw new Error(`figure "${figure.id}" names claim "${id}", which is not among the paper's claims`);
    return claim;
  });
  // Labels are row/column where the paper gives them; fall back to ids where two would collide.
  const labels = claims.map(claimLabel);
  const labelOf = new Map(
    claims.map((claim, i) => [claim.id, labels.indexOf(labels[i]) === labels.lastIndexOf(labels[i]) ? labels[i] : claim.id]),
  );

  const paperPoints: PointRow[] = [];
  const paperTicks: PointRow[] = [];
  const paperRanges: IntervalRow[] = [];
  const regenerated: PointRow[] = [];
  const nullMeans: PointRow[] = [];
  const nullBars: IntervalRow[] = [];
  for (const claim of claims) {
    const label = labelOf.get(claim.id)!;
    const test = claim.test;
    if (test.kind === 'value') paperPoints.push({ label, series: 'paper', y: paperValueOf(claim, test.paper) });
    if (test.kind === 'bound') paperTicks.push({ label, series: 'paper', y: parsePrinted(test.paper).value });
    if (test.kind === 'range') {
      const [min, max] = [parsePrinted(test.min).value, parsePrinted(test.max).value];
      paperRanges.push({ label, series: 'paper', y: min, y2: max });
      paperTicks.push({ label, series: 'paper', y: min }, { label, series: 'paper', y: max });
    }
    // A pending claim has nothing regenerated yet: only the paper's side is drawn.
    if (claim.verdict === 'pending') continue;
    if (claim.regenerated !== null) {
      for (const y of asArray(claim.regenerated)) regenerated.push({ label, series: 'regenerated', y });
    }
    if (claim.null !== null) {
      const means = asArray(claim.null.mean);
      const sds = asArray(claim.null.sd);
      means.forEach((mean, i) => {
        const sd = sds[i] ?? 0;
        nullMeans.push({ label, series: 'null control', y: mean });
        nullBars.push({ label, series: 'null control', y: mean - sd, y2: mean + sd });
      });
    }
  }

  const finite = <T extends { y: number; y2?: number }>(rows: T[]) =>
    rows.filter((r) => Number.isFinite(r.y) && (r.y2 === undefined || Number.isFinite(r.y2)));
  const x = {
    field: 'label',
    type: 'nominal',
    title: null,
    sort: [...new Set(labelOf.values())],
    axis: { labelAngle: -30, labelLimit: 180 },
  };
  const xOffset = { field: 'series', type: 'nominal', scale: { domain: SERIES } };
  const y = { field: 'y', type: 'quantitative', title: figure.yLabel ?? 'value', scale: { zero: false } };
  const layer = (rows: object[], mark: object, extra: object = {}) => ({
    data: { values: rows },
    mark,
    encoding: { x, xOffset, y, color: colorEncoding, ...extra },
  });
  const layers = [
    layer(finite(paperRanges), { type: 'rule', strokeWidth: 2 }, { y2: { field: 'y2' } }),
    layer(finite(paperTicks), { type: 'tick', thickness: 2, size: 14 }),
    layer(finite(paperPoints), { type: 'point', shape: 'diamond', filled: true, size: 80 }),
    layer(finite(regenerated), { type: 'point', filled: true, size: 50, opacity: 0.8 }),
    layer(finite(nullBars), { type: 'rule', strokeWidth: 1.5 }, { y2: { field: 'y2' } }),
    layer(finite(nullMeans), { type: 'point', shape: 'square', filled: true, size: 36 }),
  ].filter((l) => l.data.values.length > 0);
  // An empty chart still needs one layer for its axes; the paper's side always has a row unless
  // every claim is a predicate or consistency check.
  if (layers.length === 0) layers.push(layer([], { type: 'point' }));

  return {
    $schema: SCHEMA,
    title: figure.title,
    width: { step: 28 },
    height: HEIGHT,
    layer: layers,
    config: { font: 'sans-serif', view: { stroke: '#dddddd' } },
  };
}

/** Wraps a sentence into lines of at most `width` characters, for a text mark. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

export function seriesFigureSpec(figure: Extract<FigureData, { kind: 'series' }>): { spec: VegaLiteSpec; notes: string[] } {
  if (figure.values === null) {
    const reason = figure.pendingReason ?? 'the analysis has not produced this series yet';
    return {
      spec: {
        $schema: SCHEMA,
        title: figure.title,
        width: WIDTH,
        height: 120,
        data: { values: [{ text: wrap(`pending: ${reason}`, 70) }] },
        mark: { type: 'text', fontSize: 13, color: '#666666', align: 'center', baseline: 'middle' },
        encoding: { text: { field: 'text' } },
        config: { font: 'sans-serif', view: { stroke: '#dddddd' } },
      },
      notes: [`pending: ${reason}`],
    };
  }

  const notes: string[] = [];
  const logY = figure.logY === true;
  // A log axis cannot show zero or negative values; say how many were left off.
  const drawable = (y: number) => Number.isFinite(y) && (!logY || y > 0);
  const all = [figure.values, ...figure.nullSamples];
  const hidden = all.reduce((n, values) => n + values.filter((y) => !drawable(y)).length, 0);
  if (hidden > 0) {
    const what = logY ? 'zero, negative or not finite' : 'not finite';
    notes.push(hidden === 1 ? `1 value is ${what} and not drawn` : `${hidden} values are ${what} and not drawn`);
  }

  // Each series is stored as one array (compact in the .vl.json) and unrolled by the spec itself:
  // flatten gives one row per element, row_number its index along the series.
  const unroll = [
    { flatten: ['y'] },
    { window: [{ op: 'row_number', as: 'rowNumber' }], groupby: ['sample'] },
    { calculate: `datum.rowNumber - 1 + ${figure.xStart ?? 0}`, as: 'x' },
    { filter: logY ? 'isFinite(datum.y) && datum.y > 0' : 'isFinite(datum.y)' },
  ];
  const encoding = {
    // x is an index (layer, rank, step): whole numbers only on the axis.
    x: { field: 'x', type: 'quantitative', title: figure.xLabel, axis: { tickMinStep: 1, format: 'd' } },
    y: { field: 'y', type: 'quantitative', title: figure.yLabel, scale: logY ? { type: 'log' } : { zero: false } },
    color: { ...colorEncoding, scale: { domain: SERIES.slice(1), range: SERIES_COLORS.slice(1) } },
  };
  const layers: object[] = [];
  if (figure.nullSamples.length > 0) {
    layers.push({
      data: { values: figure.nullSamples.map((y, k) => ({ sample: `null ${k + 1}`, series: 'null control', y })) },
      transform: unroll,
      mark: { type: 'line', strokeWidth: 1, opacity: 0.45 },
      encoding: { ...encoding, detail: { field: 'sample', type: 'nominal' } },
    });
  }
  layers.push({
    data: { values: [{ sample: 'regenerated', series: 'regenerated', y: figure.values }] },
    transform: unroll,
    mark: { type: 'line', strokeWidth: 2, point: figure.values.length <= 64 },
    encoding,
  });
  return {
    spec: {
      $schema: SCHEMA,
      title: figure.title,
      width: WIDTH,
      height: HEIGHT,
      layer: layers,
      config: { font: 'sans-serif', view: { stroke: '#dddddd' } },
    },
    notes,
  };
}

/**
 * Vega numbers clip paths and gradients with a process-wide counter, so the same figure could get
 * different ids in different runs. Renumber them per figure, prefixed with the figure id, which also
 * keeps ids unique when several SVGs share a page.
 */
function renumberSvgIds(svg: string, figureId: string): string {
  const ids = [...new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]))];
  let out = svg;
  ids.forEach((id, i) => {
    const fresh = `${figureId}-${i + 1}`;
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out
      .replace(new RegExp(`\\sid="${escaped}"`, 'g'), ` id="${fresh}"`)
      .replace(new RegExp(`url\\(#${escaped}\\)`, 'g'), `url(#${fresh})`)
      .replace(new RegExp(`href="#${escaped}"`, 'g'), `href="#${fresh}"`);
  });
  return out;
}

export async function renderSvg(spec: VegaLiteSpec, figureId: string): Promise<string> {
  // Render what the .vl.json file says (NaN becomes null there), so that the two always agree.
  const asWritten = JSON.parse(JSON.stringify(spec)) as vegaLite.TopLevelSpec;
  const vegaSpec = vegaLite.compile(asWritten).spec;
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    return renumberSvgIds(svg, figureId) + '\n';
  } finally {
    view.finalize();
  }
}

export async function renderFigure(figure: FigureData, claimsById: Map<string, ClaimResult>): Promise<RenderedFigure> {
  const { spec, notes } =
    figure.kind === 'claims' ? { spec: claimsFigureSpec(figure, claimsById), notes: [] } : seriesFigureSpec(figure);
  return { figure, spec, svg: await renderSvg(spec, figure.id), notes };
}
