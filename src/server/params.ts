/**
 * Query parameters of the frame routes, parsed and checked: every bad value
 * is a 400 that names the parameter and what it accepts.
 *
 * @module
 */

import { formatNamed, FORMATS, type FrameFormat } from "../encode/formats.ts";
import { InvalidArgumentError } from "../errors.ts";
import { BadRequest } from "./http.ts";

/** What a frame route asks for, once its parameters are parsed. */
export interface FrameAsk {
  /** The object key. */
  key: string;
  /** Frame numbers; empty while a `t=` is still to be resolved. */
  indices: number[];
  /** Output format. */
  format: FrameFormat;
  /** Output width, if scaled. */
  width?: number;
  /** `/v1/frames`: one body holding every frame; else one image. */
  batch: boolean;
  /** `/v1/frame?t=`: the time to resolve into a frame number. */
  seconds?: number;
}

/** A required, non-empty parameter. */
export function param(url: URL, name: string): string {
  const value = once(url, name);
  if (value === null || value === "") throw new BadRequest(`missing query parameter "${name}"`);
  return value;
}

/** A parameter's value, or null; refused when given twice (which one would count is a guess). */
export function once(url: URL, name: string): string | null {
  const values = url.searchParams.getAll(name);
  if (values.length > 1) throw new BadRequest(`give query parameter "${name}" once, not ${values.length} times`);
  return values[0] ?? null;
}

/** A non-negative integer of at most 15 digits. */
export function integer(value: string, name: string): number {
  if (!/^\d{1,15}$/.test(value)) {
    throw new BadRequest(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function optionalInteger(url: URL, name: string): number | undefined {
  const value = once(url, name);
  return value === null ? undefined : integer(value, name);
}

/** A non-negative decimal number, as programs print them (`12.5`, `.5`, `1e-3`; no hex, sign or spaces). */
function number(value: string, name: string): number {
  const n = Number(value);
  if (!/^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value) || !Number.isFinite(n)) {
    throw new BadRequest(`${name} must be a non-negative decimal number, got ${JSON.stringify(value)}`);
  }
  return n;
}

function formatParam(url: URL, fallback: string): FrameFormat {
  try {
    return formatNamed(once(url, "format") ?? fallback);
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw new BadRequest(err.message);
    throw err;
  }
}

/**
 * `/v1/frame`'s parameters: `key`, `index` or `t`, `format` (default png), `width`.
 *
 * @example
 * ```ts
 * import { frameAsk } from "./params.ts";
 *
 * frameAsk(new URL("http://x/v1/frame?key=a.mp4&index=3&format=jpg")).format.name; // "jpeg"
 * ```
 */
export function frameAsk(url: URL): FrameAsk {
  const key = param(url, "key");
  const width = optionalInteger(url, "width");
  const format = formatParam(url, "png");
  if (url.searchParams.has("t")) {
    if (url.searchParams.has("index")) throw new BadRequest("give index or t, not both");
    return { key, indices: [], format, width, batch: false, seconds: number(param(url, "t"), "t") };
  }
  return { key, indices: [integer(param(url, "index"), "index")], format, width, batch: false };
}

/** `/v1/frames`'s parameters: `key`, `indices` (comma-separated, at most `maxBatch`), `format` (default npy), `width`. */
export function framesAsk(url: URL, maxBatch: number): FrameAsk {
  const format = formatParam(url, "npy");
  if (!format.encodeBatch) {
    const batchable = FORMATS.filter((f) => f.encodeBatch).map((f) => f.name).join(", ");
    throw new BadRequest(`format for /v1/frames must be ${batchable}, got ${JSON.stringify(format.name)}`);
  }
  const indices = param(url, "indices").split(",").map((s) => integer(s.trim(), "indices"));
  if (indices.length > maxBatch) throw new BadRequest(`at most ${maxBatch} frames per request, got ${indices.length}`);
  return { key: param(url, "key"), indices, format, width: optionalInteger(url, "width"), batch: true };
}
