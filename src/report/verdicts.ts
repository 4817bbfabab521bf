/** What each verdict means, in the words the reports print for a reader. */
import { VERDICTS, type ClaimResult, type Verdict } from '../claims/types.js';

export const VERDICT_MEANINGS: Record<Verdict, string> = {
  reproduced: 'the regenerated value satisfies the claim within its tolerance, and the null control does not',
  'not-reproduced': 'the regenerated value does not satisfy the claim; the paper value, the regenerated value and their delta are shown',
  trivial: 'the claim is satisfied, but the null control satisfies it too, so it carries no evidence',
  consistent: "an arithmetic or cross-paper check on the paper's own numbers holds",
  inconsistent: "such a check on the paper's own numbers fails",
  untestable: 'the claim cannot be judged; the reason is stated',
  pending: 'the analysis that regenerates the claim cannot run yet; the reason says what it waits for',
};

export function isVerdict(text: string): text is Verdict {
  return (VERDICTS as string[]).includes(text);
}

/** Claim counts per verdict, every verdict present (zero where none), in VERDICTS order. */
export function countVerdicts(claims: ClaimResult[]): Record<Verdict, number> {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const claim of claims) counts[claim.verdict] += 1;
  return counts;
}
