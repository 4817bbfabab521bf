/**
 * Where in its spec file each claim is stated, so that a report row can link to it. Specs build
 * their claims with code, so the line is found in the file's text, by two rules:
 *
 *   1. A claim written out as a literal names its id: the line `id: '<id>'`.
 *   2. A claim generated from a literal table (its id is a template, `l1-mse.${m.key}`) is stated
 *      by its table row, the line whose string literals the claim repeats most: the printed
 *      numbers it tests (test.paper, min, max, consistency vars) count double, the row's key (a
 *      dash- or dot-delimited part of the id) and each cell the quote repeats once. Ties go to the
 *      earlier line; a claim that shares nothing with any line gets no link.
 *
 * Comment lines never count. The tests check, for every claim of every spec in papers/, that its
 * line holds its id or one of its own printed numbers.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Claim, PaperSpec } from './schema.js';

/** The repository the spec paths are written relative to (as GitHub links resolve them). */
export const REPOSITORY_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One line of a spec file: its text and its string literals (null for a comment line). */
interface CodeLine {
  text: string;
  literals: string[] | null;
}

/** `file` is the spec's path (as loaded); returns the spec with each claim's specLine set. */
export function locateClaims(spec: PaperSpec, file: string): PaperSpec {
  const lines = codeLines(readFileSync(file, 'utf8'));
  const repositoryPath = relative(REPOSITORY_ROOT, resolve(file)).split(sep).join('/');
  for (const claim of spec.claims) {
    const line = claimLine(claim, lines);
    if (line !== null) claim.specLine = { file: repositoryPath, line };
  }
  return spec;
}

/** A spec file's text, line by line, with the string literals of each. */
export function codeLines(text: string): CodeLine[] {
  return text.split('\n').map((line) => ({ text: line, literals: stringLiterals(line) }));
}

/** The 1-based line that states `claim` (see the rules above), or null. */
export function claimLine(claim: Claim, lines: CodeLine[]): number | null {
  const literal = lines.findIndex((l) => l.literals !== null && (l.text.includes(`id: '${claim.id}'`) || l.text.includes(`id: "${claim.id}"`)));
  if (literal >= 0) return literal + 1;
  let best = -1;
  let bestScore = 0;
  lines.forEach((line, i) => {
    const score = rowScore(claim, line);
    if (score > bestScore) [best, bestScore] = [i, score];
  });
  return best >= 0 ? best + 1 : null;
}

/** How much of a table row `line` is the claim's: see rule 2 above. */
export function rowScore(claim: Claim, line: CodeLine): number {
  const tested = printedNumbers(claim);
  let score = 0;
  for (const literal of new Set(line.literals ?? [])) {
    if (tested.includes(literal)) score += 2;
    if (isIdPart(literal, claim.id)) score += 1;
    if (quotes(claim.quote, literal)) score += 1;
  }
  return score;
}

/** The contents of the '...' and "..." literals of one line of code, or null for a comment line. */
function stringLiterals(line: string): string[] | null {
  if (/^\s*(\*|\/\/|\/\*)/.test(line)) return null;
  const literals: string[] = [];
  for (const match of line.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)) {
    literals.push((match[1] ?? match[2]).replace(/\\(.)/g, '$1'));
  }
  return literals;
}

/** The numbers a claim's test quotes from the paper, as printed. */
function printedNumbers(claim: Claim): string[] {
  const test = claim.test;
  switch (test.kind) {
    case 'value':
    case 'bound':
      return [test.paper];
    case 'range':
      return [test.min, test.max];
    case 'consistency':
      return Object.values(test.vars).flat();
    default:
      return [];
  }
}

/** Whether `quote` holds `literal` as a whole word or number: "0.35" is not in "0.354", "21.3" is in "21.3x". */
function quotes(quote: string, literal: string): boolean {
  if (literal === '') return false;
  for (let at = quote.indexOf(literal); at >= 0; at = quote.indexOf(literal, at + 1)) {
    const startsInside = /[\w.,]$/.test(quote.slice(0, at));
    const endsInside = /^[.,]?\d/.test(quote.slice(at + literal.length));
    if (!startsInside && !endsInside) return true;
  }
  return false;
}

/** 'b0-mlp0' is a part of 'l1-mse.b0-mlp0' and 'random' of 't1.1-random-loss'; 'mlp' of neither. */
function isIdPart(literal: string, id: string): boolean {
  return literal !== '' && literal !== id && `.${id}.`.replace(/-/g, '.').includes(`.${literal.replace(/-/g, '.')}.`);
}
