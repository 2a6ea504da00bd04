/**
 * The binary form of a stored index ({@link ProbeResult}): a magic number,
 * the facts as JSON (binary fields as base64), then the packet table column
 * by column (columns compress far better than rows). {@link encodeIndex} and
 * {@link decodeIndex} are exact inverses; decoding checks every length.
 *
 * @module
 */

import type { PacketTable, ProbeResult } from "./model.ts";

/** Bumped whenever the stored form or the meaning of an index changes; other versions are rebuilt. */
export const SCHEMA_VERSION = 3;

const MAGIC = 0x53464958; // "SFIX"

/**
 * Serializes a probe.
 *
 * @example
 * ```ts
 * import { decodeIndex, encodeIndex } from "./codec.ts";
 * import { DecoderPool } from "../decode/pool.ts";
 *
 * const bytes = await Deno.readFile("./videos/sample.mp4");
 * const pool = new DecoderPool({ workers: 1 });
 * const probe = await pool.probe("sample.mp4", bytes.byteLength, (pos, n) => Promise.resolve(bytes.slice(pos, pos + n)));
 * await pool.close();
 * const back = decodeIndex(encodeIndex(probe)); // deep-equals probe
 * ```
 */
export function encodeIndex(probe: ProbeResult): Uint8Array {
  const { packets, ...rest } = probe;
  const json = new TextEncoder().encode(JSON.stringify(rest, (_k, v) => encodeBinary(v)));
  const n = packets.pts.length;
  const out = new Uint8Array(12 + json.byteLength + n * (8 + 4 + 8 + 8 + 1));
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC);
  view.setUint32(4, json.byteLength);
  view.setUint32(8, n);
  out.set(json, 12);
  let at = 12 + json.byteLength;
  for (const column of [packets.offset, packets.size, packets.pts, packets.dts, packets.flags]) {
    const bytes = new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
    out.set(bytes, at);
    at += bytes.byteLength;
  }
  return out;
}

/** Reverses {@link encodeIndex}. Throws a `RangeError` on malformed input. */
export function decodeIndex(bytes: Uint8Array): ProbeResult {
  if (bytes.byteLength < 12) throw new RangeError("truncated index");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== MAGIC) throw new RangeError("not a seekframe index");
  const jsonLen = view.getUint32(4), n = view.getUint32(8);
  if (12 + jsonLen > bytes.byteLength) throw new RangeError("truncated index");
  let rest: Omit<ProbeResult, "packets">;
  try {
    rest = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLen)), (_k, v) => decodeBinary(v));
  } catch (err) {
    throw new RangeError(`malformed index facts: ${(err as Error).message}`);
  }
  if (typeof rest !== "object" || rest === null || Array.isArray(rest)) throw new RangeError("malformed index facts");
  let at = 12 + jsonLen;
  const take = <T>(make: (buf: ArrayBuffer) => T, width: number): T => {
    const slice = bytes.slice(at, at + n * width);
    if (slice.byteLength !== n * width) throw new RangeError("truncated index");
    at += n * width;
    return make(slice.buffer);
  };
  const packets: PacketTable = {
    offset: take((b) => new Float64Array(b), 8),
    size: take((b) => new Uint32Array(b), 4),
    pts: take((b) => new Float64Array(b), 8),
    dts: take((b) => new Float64Array(b), 8),
    flags: take((b) => new Uint8Array(b), 1),
  };
  if (at !== bytes.byteLength) throw new RangeError("trailing bytes in index");
  return { ...rest, packets };
}

function encodeBinary(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $b64: b64(v) };
  if (v instanceof Uint32Array) return { $u32: b64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
  return v;
}

function decodeBinary(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if ("$b64" in v && typeof v.$b64 === "string") return unb64(v.$b64);
  if ("$u32" in v && typeof v.$u32 === "string") {
    const bytes = unb64(v.$u32);
    if (bytes.byteLength % 4 !== 0) throw new RangeError("malformed Uint32Array");
    return new Uint32Array(bytes.slice().buffer);
  }
  return v;
}

function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function unb64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}
