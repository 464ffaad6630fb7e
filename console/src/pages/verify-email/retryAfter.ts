// How long the server asks to wait before asking again (429 with Retry-After, in seconds).

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or null without one. */
export function retryAfterSeconds(header: string | null | undefined, now: number = Date.now()): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}
