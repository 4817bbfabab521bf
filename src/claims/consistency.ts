/**
 * Consistency checks on a paper's own numbers. A check is a mathjs expression over numbers quoted
 * from the papers; each number stands for the interval of values that round to it. A relation is
 * consistent when it holds somewhere inside those intervals (the printed numbers do not contradict
 * it), inconsistent when it fails everywhere. `a == b` therefore means "a - b changes sign or
 * vanishes over the box", which for monotone expressions is the overlap of both sides' ranges.
 *
 * The box is searched at its centre and corners (all corners up to 12 variables, else 4096 seeded
 * random corners plus interior points): exact for expressions monotone in each variable, which
 * covers the arithmetic papers state (ratios, means, sums, exp/log, counts).
 */
import { create, all, type MathNode, type OperatorNode } from 'mathjs';
import { parsePrinted, formatNumber, type PrintedNumber } from './numbers.js';

export const math = create(all, { matrix: 'Array' });

function toArray(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v && typeof (v as { toArray?: () => unknown[] }).toArray === 'function') return (v as { toArray: () => unknown[] }).toArray();
  throw new Error('expected a list');
}

math.import(
  {
    /** strictly increasing */
    increasing: (v: unknown) => {
      const a = toArray(v) as number[];
      return a.every((x, i) => i === 0 || x > a[i - 1]);
    },
    /** strictly decreasing */
    decreasing: (v: unknown) => {
      const a = toArray(v) as number[];
      return a.every((x, i) => i === 0 || x < a[i - 1]);
    },
    /** every element true */
    all: (v: unknown) => (toArray(v) as unknown[]).every(Boolean),
  },
  { override: true },
);

const RELATIONS: Record<string, (d: number[]) => boolean> = {
  equal: (d) => Math.min(...d) <= 0 && Math.max(...d) >= 0,
  unequal: (d) => d.some((x) => x !== 0),
  smaller: (d) => d.some((x) => x < 0),
  smallerEq: (d) => d.some((x) => x <= 0),
  larger: (d) => d.some((x) => x > 0),
  largerEq: (d) => d.some((x) => x >= 0),
};

export interface ConsistencyOutcome {
  holds: boolean;
  /** the arithmetic, shown to the reader: "lhs in [a, b] vs rhs in [c, d]" */
  detail: string;
}

type Scope = Record<string, number | number[]>;

/** Points in the rounding box of the variables: centre, corners, and a few interior points. */
function* boxPoints(vars: Record<string, PrintedNumber | PrintedNumber[]>): Generator<Scope> {
  const slots: { name: string; index: number | null; p: PrintedNumber }[] = [];
  for (const [name, v] of Object.entries(vars)) {
    if (Array.isArray(v)) v.forEach((p, index) => slots.push({ name, index, p }));
    else slots.push({ name, index: null, p: v });
  }
  const build = (signOf: (k: number) => number): Scope => {
    const scope: Scope = {};
    for (const [name, v] of Object.entries(vars)) scope[name] = Array.isArray(v) ? v.map((p) => p.value) : v.value;
    slots.forEach((s, k) => {
      const x = s.p.value + signOf(k) * s.p.halfUnit;
      if (s.index === null) scope[s.name] = x;
      else (scope[s.name] as number[])[s.index] = x;
    });
    return scope;
  };
  yield build(() => 0);
  const n = slots.length;
  if (n <= 12) {
    for (let mask = 0; mask < 1 << n; mask++) yield build((k) => ((mask >> k) & 1 ? 1 : -1));
    return;
  }
  let state = 0x9e3779b9;
  const rand = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  for (let i = 0; i < 4096; i++) yield build(() => (rand() < 0.5 ? -1 : 1));
  for (let i = 0; i < 512; i++) yield build(() => 2 * rand() - 1);
}

function range(values: number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? formatNumber(lo, 6) : `[${formatNumber(lo, 6)}, ${formatNumber(hi, 6)}]`;
}

function asNumber(v: unknown, what: string): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'number') throw new Error(`${what} is not a number`);
  return v;
}

export function parseVars(vars: Record<string, string | string[]>): Record<string, PrintedNumber | PrintedNumber[]> {
  return Object.fromEntries(
    Object.entries(vars).map(([k, v]) => [k, Array.isArray(v) ? v.map(parsePrinted) : parsePrinted(v)]),
  );
}

export function checkConsistency(expr: string, vars: Record<string, string | string[]>): ConsistencyOutcome {
  const node: MathNode = math.parse(expr);
  const printed = parseVars(vars);
  const op = node as OperatorNode;
  const relation = op.type === 'OperatorNode' ? RELATIONS[op.fn] : undefined;
  if (relation) {
    const [left, right] = op.args.map((a) => a.compile());
    const lhs: number[] = [];
    const rhs: number[] = [];
    for (const scope of boxPoints(printed)) {
      lhs.push(asNumber(left.evaluate({ ...scope }), `left side of "${expr}"`));
      rhs.push(asNumber(right.evaluate({ ...scope }), `right side of "${expr}"`));
    }
    const holds = relation(lhs.map((l, i) => l - rhs[i]));
    return { holds, detail: `${op.args[0].toString()} = ${range(lhs)} ${op.op} ${op.args[1].toString()} = ${range(rhs)}` };
  }
  const compiled = node.compile();
  let anyTrue = false;
  let centre: unknown;
  for (const scope of boxPoints(printed)) {
    const v = compiled.evaluate({ ...scope });
    if (centre === undefined) centre = v;
    if (typeof v !== 'boolean') throw new Error(`"${expr}" must be a relation or a true/false expression`);
    if (v) {
      anyTrue = true;
      break;
    }
  }
  return { holds: anyTrue, detail: `${expr} is ${anyTrue ? 'true' : 'false'} at the printed values${anyTrue ? '' : ' and everywhere within their rounding'}` };
}
