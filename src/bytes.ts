/**
 * Small byte helpers shared by the stages.
 *
 * @module
 */

/** The parts, one after another, in a new array. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  copyParts(out, parts, 0);
  return out;
}

/** Copies the parts into `out`, one after another from `at`; returns where they end. */
export function copyParts(out: Uint8Array, parts: Uint8Array[], at: number): number {
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return at;
}

/** SHA-256 of bytes or of a string's UTF-8, as lowercase hex. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
