/**
 * Numbers as the paper prints them. "0.0014" is not the real number 0.0014 but any number that
 * rounds to it, [0.00135, 0.00145]; that interval is what tolerances and consistency checks use.
 */

export interface PrintedNumber {
  /** the string as printed */
  text: string;
  /** its value, with "%" read as /100 */
  value: number;
  /** half a unit in the last printed digit, in the same scale as value */
  halfUnit: number;
}

export function parsePrinted(text: string): PrintedNumber {
  const percent = text.endsWith('%');
  const body = (percent ? text.slice(0, -1) : text).replace(/,/g, '').replace('−', '-');
  const value = Number(body);
  if (!Number.isFinite(value)) throw new Error(`not a printed number: "${text}"`);
  const decimals = body.includes('.') ? body.length - body.indexOf('.') - 1 : 0;
  const scale = percent ? 0.01 : 1;
  return { text, value: value * scale, halfUnit: Number(`5e-${decimals + 1}`) * scale };
}

/** Formats a number for reports: `digits` significant digits, plain integers for counts. */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e9) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e7)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}
