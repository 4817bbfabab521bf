/**
 * Work shared by several invocations of analyses within one run: the specs call one analysis with
 * many parameter sets (a matrix alone and in a list, one view after another), and each call is
 * cached on disk separately, so a part that several calls need is kept here, per context (one
 * run), instead of being computed once per call.
 */
import type { AnalysisContext } from './types.js';

const memo = new WeakMap<AnalysisContext, Map<string, unknown>>();

/** `compute()` once per context and key; a rejected promise is not kept. */
export function rememberInRun<T>(ctx: AnalysisContext, key: string, compute: () => T): T {
  let entries = memo.get(ctx);
  if (entries === undefined) memo.set(ctx, (entries = new Map()));
  if (entries.has(key)) return entries.get(key) as T;
  const value = compute();
  entries.set(key, value);
  if (value instanceof Promise) value.catch(() => entries!.delete(key));
  return value;
}
