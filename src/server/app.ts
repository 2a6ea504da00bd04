/**
 * HTTP routes of the sidecar, as a plain `(Request) => Promise<Response>`
 * handler over a {@link FrameStore}. It knows the store's API and the
 * encoders, nothing about decoding or storage.
 *
 * - `GET /v1/frame?key=K&index=N|t=S&format=png|jpeg|npy|rgb&width=W`
 * - `GET /v1/frames?key=K&indices=1,5,9&format=npy|rgb&width=W`
 * - `GET /v1/info?key=K`
 * - `GET /metrics`, `GET /healthz`, `GET /` (the viewer)
 *
 * @module
 */

import { concatBytes, sha256Hex } from "../bytes.ts";
import type { ErrorCode } from "../errors.ts";
import { SeekframeError } from "../errors.ts";
import { newReadStats, type ReadStats } from "../storage/cache.ts";
import type { Frame, FrameStore } from "../store.ts";
import { encodeFrame, encodeFramesNpy, type FrameFormat, MEDIA_TYPES } from "./encode.ts";
import { Metrics } from "./metrics.ts";
import { VIEWER_HTML } from "./viewer.ts";

/** Limits and access control of the sidecar. */
export interface ServerOptions {
  /** When set, `/v1/*` and `/metrics` need `Authorization: Bearer <token>`. Default: open. */
  token?: string;
  /** Most frames one `/v1/frames` request may ask for. Default 64. */
  maxBatch?: number;
  /** Most output pixels (frames × width × height) one request may produce. Default 100,000,000. */
  maxPixels?: number;
  /** Frame requests served at once; more get 503 with Retry-After. Default 64. */
  maxInflight?: number;
  /** A frame request taking longer is abandoned with 504. Default 30,000 ms. */
  deadlineMs?: number;
}

/** HTTP status for each error code. */
const STATUS: Record<ErrorCode, number> = {
  invalid_argument: 400,
  not_found: 404,
  out_of_range: 404,
  unsupported: 415,
  corrupt: 422,
  changed: 409,
  storage: 502,
  closed: 503,
};

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly code: string, readonly headers: HeadersInit = {}) {
    super(message);
  }
}

/**
 * Builds the request handler.
 *
 * @example
 * ```ts
 * const store = await openFrameStore({ dir: "./videos" });
 * Deno.serve(createHandler(store, { token: "secret" }));
 * ```
 */
export function createHandler(store: FrameStore, options: ServerOptions = {}): (req: Request) => Promise<Response> {
  const limits = {
    maxBatch: options.maxBatch ?? 64,
    maxPixels: options.maxPixels ?? 100_000_000,
    maxInflight: options.maxInflight ?? 64,
    deadlineMs: options.deadlineMs ?? 30_000,
  };
  const metrics = new Metrics();
  let inflight = 0;

  const routes: Record<string, (req: Request, url: URL) => Promise<Response>> = {
    "/": () => Promise.resolve(new Response(VIEWER_HTML, { headers: { "content-type": "text/html; charset=utf-8" } })),
    "/healthz": () => Promise.resolve(json({ ok: true, queueDepth: store.stats.queueDepth })),
    "/metrics": () =>
      Promise.resolve(
        new Response(metrics.render(store.stats, inflight), {
          headers: { "content-type": "text/plain; version=0.0.4" },
        }),
      ),
    "/v1/info": async (_req, url) => json(await store.info(param(url, "key"))),
    "/v1/frame": async (req, url) => {
      const ask = frameRequest(url);
      const t = url.searchParams.get("t");
      if (t !== null) ask.indices = [await store.frameAt(ask.key, number(t, "t"))];
      return await guarded(req, (signal) => serveFrames(store, req, ask, signal, limits, metrics));
    },
    "/v1/frames": (req, url) => {
      const ask = framesRequest(url, limits);
      return guarded(req, (signal) => serveFrames(store, req, ask, signal, limits, metrics));
    },
  };

  /** Admission control and deadlines for requests that decode. */
  async function guarded(req: Request, serve: (signal: AbortSignal) => Promise<Response>): Promise<Response> {
    if (inflight >= limits.maxInflight) {
      throw new HttpError(503, "too many frame requests in progress; retry shortly", "busy", { "retry-after": "1" });
    }
    inflight++;
    const deadline = AbortSignal.timeout(limits.deadlineMs);
    try {
      return await serve(AbortSignal.any([req.signal, deadline]));
    } catch (err) {
      if (deadline.aborted && !req.signal.aborted) {
        throw new HttpError(504, `the frame took longer than ${limits.deadlineMs} ms`, "timeout");
      }
      throw err;
    } finally {
      inflight--;
    }
  }

  return async (req) => {
    const started = performance.now();
    const url = new URL(req.url);
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    let res: Response;
    try {
      if (!route) throw new HttpError(404, `no route ${url.pathname}`, "not_found");
      if (req.method !== "GET" && req.method !== "HEAD") {
        throw new HttpError(405, "only GET and HEAD", "method_not_allowed", { allow: "GET, HEAD" });
      }
      if (options.token && url.pathname !== "/" && url.pathname !== "/healthz") authorize(req, options.token);
      res = await route(req, url);
    } catch (err) {
      res = errorResponse(err);
    }
    metrics.observe(route ? url.pathname : "other", res.status, (performance.now() - started) / 1000);
    return res;
  };
}

interface Limits {
  maxBatch: number;
  maxPixels: number;
}

/** What a frame route asks for, once its parameters are parsed. */
interface FrameRequest {
  key: string;
  indices: number[];
  format: FrameFormat;
  width?: number;
  /** `/v1/frames`: one array of all frames; else one image. */
  batch: boolean;
}

/** `/v1/frame`'s parameters; with `t`, `indices` is filled in once the time is resolved. */
function frameRequest(url: URL): FrameRequest {
  const key = param(url, "key");
  const width = optionalInteger(url, "width");
  const format = formatParam(url, "png");
  if (url.searchParams.has("t")) {
    if (url.searchParams.has("index")) throw new BadRequest("give index or t, not both");
    return { key, indices: [], format, width, batch: false };
  }
  return { key, indices: [integer(param(url, "index"), "index")], format, width, batch: false };
}

function framesRequest(url: URL, limits: Limits): FrameRequest {
  const format = formatParam(url, "npy");
  if (format !== "npy" && format !== "rgb") throw new BadRequest("format for /v1/frames must be npy or rgb");
  const indices = param(url, "indices").split(",").map((s) => integer(s.trim(), "indices"));
  if (indices.length > limits.maxBatch) {
    throw new BadRequest(`at most ${limits.maxBatch} frames per request, got ${indices.length}`);
  }
  return { key: param(url, "key"), indices, format, width: optionalInteger(url, "width"), batch: true };
}

/** Limits, revalidation, decoding and encoding shared by the frame routes. */
async function serveFrames(
  store: FrameStore,
  req: Request,
  ask: FrameRequest,
  signal: AbortSignal,
  limits: Limits,
  metrics: Metrics,
): Promise<Response> {
  const { key, indices, format, width } = ask;
  const info = await store.info(key);
  checkPixels(indices.length, info, width, limits);
  const etag = await strongEtag(info.etag, info.size, indices, format, width);
  if (matches(req, etag)) return notModified(etag);
  const stats = newReadStats();
  const started = performance.now();
  const got = await store.getFrames(key, indices, { stats, width, signal });
  // The object may have been replaced since `info`: tag the frames with the version they came from
  // (its size unknown here, so the tag never matches a later one; a revalidation just gets the frame again).
  const served = got[0].etag === info.etag ? etag : await strongEtag(got[0].etag, -1, indices, format, width);
  const decodedMs = performance.now() - started;
  const body = !ask.batch
    ? encodeFrame(got[0], format)
    : format === "npy"
    ? encodeFramesNpy(got)
    : concatBytes(got.map((f) => f.data));
  metrics.framesServed(format, got.length);
  return new Response(body as Uint8Array<ArrayBuffer>, {
    headers: {
      ...frameHeaders(got[0], stats, decodedMs, performance.now() - started - decodedMs),
      ...(ask.batch ? { "x-frame-indices": indices.join(",") } : {}),
      "content-type": MEDIA_TYPES[format],
      etag: served,
      "cache-control": "no-cache",
    },
  });
}

function frameHeaders(frame: Frame, stats: ReadStats, decodeMs: number, encodeMs: number): Record<string, string> {
  return {
    "x-frame-index": String(frame.index),
    "x-frame-width": String(frame.width),
    "x-frame-height": String(frame.height),
    "x-frame-time": String(frame.time),
    "x-storage-requests": String(stats.requests),
    "x-storage-bytes": String(stats.bytesFetched),
    "x-cache-bytes": String(stats.bytesFromCache),
    "server-timing": `decode;dur=${decodeMs.toFixed(1)}, encode;dur=${encodeMs.toFixed(1)}`,
    "access-control-expose-headers": "*",
  };
}

function checkPixels(
  count: number,
  info: { width: number; height: number },
  width: number | undefined,
  limits: Limits,
): void {
  const w = width ?? info.width;
  const h = width === undefined ? info.height : Math.round((width * info.height) / info.width);
  if (count * w * h > limits.maxPixels) {
    throw new BadRequest(`the response would hold ${count * w * h} pixels; the limit is ${limits.maxPixels}`);
  }
}

/** Strong validator: the object version, the frames and the encoding. */
/**
 * Changes whenever the frames for the same object, index and format change
 * (2: frames turned by the display matrix), so caches holding older frames
 * do not get a 304 for them.
 */
const FRAMES_VERSION = 2;

async function strongEtag(
  objectEtag: string,
  size: number,
  indices: number[],
  format: string,
  width: number | undefined,
): Promise<string> {
  const text = `${FRAMES_VERSION}|${objectEtag}|${size}|${indices.join(",")}|${format}|${width ?? ""}`;
  return `"${(await sha256Hex(text)).slice(0, 32)}"`;
}

function matches(req: Request, etag: string): boolean {
  const header = req.headers.get("if-none-match");
  return header !== null && (header.trim() === "*" || header.split(",").some((t) => t.trim() === etag));
}

function notModified(etag: string): Response {
  return new Response(null, { status: 304, headers: { etag, "cache-control": "no-cache" } });
}

function authorize(req: Request, token: string): void {
  const given = req.headers.get("authorization") ?? "";
  const expected = `Bearer ${token}`;
  // Compare in constant time so the token cannot be guessed byte by byte.
  const a = new TextEncoder().encode(given), b = new TextEncoder().encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i] ?? 0) ^ b[i];
  if (diff !== 0) {
    throw new HttpError(401, "missing or wrong bearer token", "unauthorized", { "www-authenticate": "Bearer" });
  }
}

class BadRequest extends HttpError {
  constructor(message: string) {
    super(400, message, "invalid_argument");
  }
}

function param(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (value === null || value === "") throw new BadRequest(`missing query parameter "${name}"`);
  return value;
}

function integer(value: string, name: string): number {
  if (!/^\d{1,15}$/.test(value)) {
    throw new BadRequest(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function optionalInteger(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  return value === null ? undefined : integer(value, name);
}

function number(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) {
    throw new BadRequest(`${name} must be a number, got ${JSON.stringify(value)}`);
  }
  return n;
}

function formatParam(url: URL, fallback: FrameFormat): FrameFormat {
  const format = url.searchParams.get("format") ?? fallback;
  if (!(format in MEDIA_TYPES)) throw new BadRequest(`format must be one of ${Object.keys(MEDIA_TYPES).join(", ")}`);
  return format as FrameFormat;
}

function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** Maps errors to responses; never a stack trace, never an unexpected error's text. */
function errorResponse(err: unknown): Response {
  if (err instanceof HttpError) return json({ error: err.message, code: err.code }, err.status, err.headers);
  if (err instanceof SeekframeError) return json({ error: err.message, code: err.code }, STATUS[err.code]);
  if (err instanceof DOMException && err.name === "AbortError") {
    return json({ error: "the client went away", code: "aborted" }, 499);
  }
  console.error("internal error:", err instanceof Error ? err.message : err);
  return json({ error: "internal error", code: "internal" }, 500);
}
