/** Hashes for stage keys: canonical JSON (object keys sorted) so that key order never matters. */
import { createHash } from 'node:crypto';

/** JSON with every object's keys sorted; typed arrays as plain arrays. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]));
    }
    return v;
  });
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A short key of any JSON-able value (20 hex digits). */
export function hashKey(parts: unknown): string {
  return sha256(canonicalJson(parts)).slice(0, 20);
}
