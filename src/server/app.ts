/**
 * HTTP routes of the sidecar, as a plain `(Request) => Promise<Response>`
 * handler over a frame store. It knows the store's API and the encoders,
 * nothing about decoding or storage. Importing this module starts nothing.
 *
 * - `GET /v1/frame?key=K&index=N|t=S&format=png|jpeg|npy|rgb|yuv&width=W`
 * - `GET /v1/frames?key=K&indices=1,5,9&format=npy|rgb|yuv&width=W`
 * - `GET /v1/info?key=K`
 * - `GET /v1/verify?key=K` (decodes the whole video once per version; see {@link FrameStore.verify})
 * - `GET|HEAD /v1/object?key=K` (the object's bytes, with `Range`)
 * - `GET /v1/list?prefix=P&cursor=C&limit=N`
 * - `GET /metrics`, `GET /healthz`, `GET /` (the viewer)
 *
 * @example Serve a folder on port 8000
 * ```ts
 * import { openFrameStore } from "@seekframe/seekframe";
 * import { createHandler } from "@seekframe/seekframe/server";
 *
 * const store = await openFrameStore({ dir: "./videos" });
 * Deno.serve({ port: 8000 }, createHandler(store));
 * ```
 *
 * @module
 */

import type { Frame, FrameRequestOptions, FrameStore, ReadStats } from "../frame_store.ts";
import { scaledHeight } from "../frame_store.ts";
import type { VideoInfo } from "../index/model.ts";
import {
  admission,
  authorize,
  BadRequest,
  errorResponse,
  type Handler,
  HttpError,
  ifNoneMatch,
  json,
  notModified,
  strongEtag,
} from "./http.ts";
import { Metrics } from "./metrics.ts";
import { serveObject } from "./object.ts";
import { type FrameAsk, frameAsk, framesAsk, integer, once, param } from "./params.ts";
import { VIEWER_HTML } from "./viewer.ts";

/** What the handler needs of a frame store (a {@link FrameStore}, or a fake in tests). */
export type FrameService = Pick<
  FrameStore,
  "info" | "getFrames" | "frameAt" | "stats" | "openFile" | "list" | "verify"
>;

/** Limits and access control of the sidecar. */
export interface ServerOptions {
  /** When set, `/v1/*` and `/metrics` need `Authorization: Bearer <token>`. Default: open. */
  token?: string;
  /** Most frames one `/v1/frames` request may ask for. Default 64. */
  maxBatch?: number;
  /** Most output pixels (frames × width × height) one request may produce. Default 100,000,000. */
  maxPixels?: number;
  /** Frame requests being decoded at once; more get 503 with Retry-After. Default 64. */
  maxInflight?: number;
  /** A frame request taking longer is abandoned with 504. Default 30,000 ms. */
  deadlineMs?: number;
  /**
   * Bytes of frame responses waiting for slow clients; past it, frame requests
   * get 503 with Retry-After until they are taken. The one response that
   * crosses it is still sent. Default 256 MiB.
   */
  maxHeldBytes?: number;
  /** A frame response its client takes nothing of for this long is cut off. Default 60,000 ms. */
  sendTimeoutMs?: number;
  /**
   * Origins whose pages may call the sidecar (CORS): `*`, or a comma-separated
   * list such as `https://a.example,https://b.example`. Default: none.
   */
  cors?: string;
}

/**
 * Changes whenever the frames for the same object, index and format change
 * (2: frames rotated by the display matrix), so caches holding older frames
 * do not get a 304 for them.
 */
const FRAMES_VERSION = 2;

/**
 * Builds the request handler.
 *
 * @example
 * ```ts
 * import { openFrameStore } from "@seekframe/seekframe";
 * import { createHandler } from "@seekframe/seekframe/server";
 *
 * const store = await openFrameStore({ dir: "./videos" });
 * const handler = createHandler(store, { token: "secret", maxBatch: 16 });
 * const res = await handler(new Request("http://localhost/v1/info?key=sample.mp4"));
 * console.log(res.status); // 401: no token
 * await store.close();
 * ```
 */
export function createHandler(store: FrameService, options: ServerOptions = {}): (req: Request) => Promise<Response> {
  const maxBatch = options.maxBatch ?? 64;
  const maxPixels = options.maxPixels ?? 100_000_000;
  const admit = admission({
    maxInflight: options.maxInflight ?? 64,
    deadlineMs: options.deadlineMs ?? 30_000,
    maxHeldBytes: options.maxHeldBytes,
    sendTimeoutMs: options.sendTimeoutMs,
  });
  const metrics = new Metrics();

  const frames = (ask: FrameAsk): Handler => (req) =>
    admit.guard(req, (signal) => serveFrames(store, req, ask, { signal, maxPixels, metrics }));

  const routes: Record<string, Handler> = {
    "/": () => Promise.resolve(new Response(VIEWER_HTML, { headers: { "content-type": "text/html; charset=utf-8" } })),
    "/healthz": () => Promise.resolve(json({ ok: true, queueDepth: store.stats.queueDepth })),
    "/metrics": () =>
      Promise.resolve(
        new Response(metrics.render(store.stats, admit.inflight, admit.heldBytes), {
          headers: { "content-type": "text/plain; version=0.0.4" },
        }),
      ),
    "/v1/info": async (_req, url) => json(await store.info(param(url, "key"))),
    // Heavy (a whole decode): admitted and bounded like frames; cut off by the deadline, the next call goes on.
    "/v1/verify": (req, url) => {
      const key = param(url, "key");
      return admit.guard(req, async (signal) => json(await store.verify(key, { signal })));
    },
    "/v1/frame": (req, url) => frames(frameAsk(url))(req, url),
    "/v1/frames": (req, url) => frames(framesAsk(url, maxBatch))(req, url),
    "/v1/object": (req, url) => serveObject(store, req, url),
    "/v1/list": async (_req, url) => {
      const limit = once(url, "limit");
      const page = await store.list(once(url, "prefix") ?? "", {
        cursor: once(url, "cursor") ?? undefined,
        limit: limit === null ? undefined : integer(limit, "limit"),
      });
      return json(page);
    },
  };
  const open = new Set(["/", "/healthz"]);

  const cors = corsPolicy(options.cors);
  return async (req) => {
    const started = performance.now();
    const url = new URL(req.url);
    const route = Object.hasOwn(routes, url.pathname) ? routes[url.pathname] : undefined;
    let res: Response;
    try {
      if (!route) throw new HttpError(404, `no route ${url.pathname}`, "not_found");
      if (req.method === "OPTIONS" && cors) {
        res = cors.preflight(req);
      } else if (req.method !== "GET" && req.method !== "HEAD") {
        throw new HttpError(405, "only GET and HEAD", "method_not_allowed", { allow: "GET, HEAD" });
      } else {
        if (options.token && !open.has(url.pathname)) authorize(req, options.token);
        res = await route(req, url);
      }
    } catch (err) {
      res = errorResponse(err);
    }
    cors?.decorate(req, res);
    metrics.observe(route ? url.pathname : "other", res.status, (performance.now() - started) / 1000);
    return res;
  };
}

/** Revalidation, limits, decoding and encoding shared by the frame routes. */
async function serveFrames(
  store: FrameService,
  req: Request,
  ask: FrameAsk,
  context: { signal: AbortSignal; maxPixels: number; metrics: Metrics },
): Promise<Response> {
  const { key, format, width } = ask;
  // Costs count from here: opening and indexing the video are part of this request's.
  const stats: ReadStats = { requests: 0, bytesFetched: 0, bytesFromCache: 0 };
  const indices = ask.seconds === undefined
    ? ask.indices
    : [await store.frameAt(key, ask.seconds, { stats, confirm: false })];
  // Not confirmed here: getFrames confirms the version, for free when it reads bytes.
  const info = await store.info(key, { stats, confirm: false });
  checkPixels(indices.length, info, width, context.maxPixels);
  const tag = (etag: string, size: number) =>
    strongEtag(FRAMES_VERSION, etag, size, indices.join(","), format.name, width ?? "");
  const etag = await tag(info.etag, info.size);
  if (ifNoneMatch(req, etag)) {
    // A 304 vouches for the version: confirm it first (when due), then compare again.
    const current = await store.info(key, { stats });
    if ((await tag(current.etag, current.size)) === etag) return notModified(etag);
  }
  const request: FrameRequestOptions = { stats, width, signal: context.signal, pixelFormat: format.pixels };
  const started = performance.now();
  const got = await store.getFrames(key, indices, request);
  // The object may have been replaced since `info`: tag the frames with the version they came from
  // (its size unknown here, so the tag never matches a later one; a revalidation just gets the frame again).
  const served = got[0].etag === info.etag ? etag : await tag(got[0].etag, -1);
  const decodedMs = performance.now() - started;
  const body = ask.batch ? format.encodeBatch!(got) : format.encode(got[0]);
  context.metrics.framesServed(format.name, got.length);
  return new Response(body as Uint8Array<ArrayBuffer>, {
    headers: {
      ...frameHeaders(got[0], stats, decodedMs, performance.now() - started - decodedMs),
      "x-frame-lower-bound": String(stats.lowerBoundBytes ?? 0),
      ...(ask.batch ? { "x-frame-indices": indices.join(",") } : {}),
      "content-type": format.mediaType,
      "content-length": String(body.byteLength),
      etag: served,
      "cache-control": "no-cache",
    },
  });
}

/** CORS for the origins `cors` allows (see {@link ServerOptions.cors}); undefined for none. */
function corsPolicy(cors: string | undefined) {
  if (!cors) return undefined;
  const origins = new Set(cors.split(",").map((o) => o.trim()).filter((o) => o !== ""));
  const allowed = (req: Request) => {
    const origin = req.headers.get("origin");
    if (origin === null) return undefined;
    return origins.has("*") ? "*" : origins.has(origin) ? origin : undefined;
  };
  return {
    /** Answers a preflight request. */
    preflight(req: Request): Response {
      return new Response(null, {
        status: 204,
        headers: {
          "access-control-allow-methods": "GET, HEAD, OPTIONS",
          "access-control-allow-headers": "authorization, range, if-none-match, if-range",
          "access-control-max-age": "600",
          ...(allowed(req) ? {} : { "cache-control": "no-store" }),
        },
      });
    },
    /** Adds the allow-origin headers to a response (responses differ by origin, hence Vary). */
    decorate(req: Request, res: Response): void {
      const origin = allowed(req);
      if (origin === undefined) return;
      res.headers.set("access-control-allow-origin", origin);
      res.headers.set("access-control-expose-headers", "*");
      if (origin !== "*") res.headers.append("vary", "Origin");
    },
  };
}

function frameHeaders(frame: Frame, stats: ReadStats, decodeMs: number, encodeMs: number): Record<string, string> {
  return {
    "x-frame-index": String(frame.index),
    "x-frame-width": String(frame.width),
    "x-frame-height": String(frame.height),
    "x-frame-time": String(frame.time),
    "x-frame-pts": String(frame.pts),
    "x-pixel-format": frame.pixelFormat,
    "x-storage-requests": String(stats.requests),
    "x-storage-bytes": String(stats.bytesFetched),
    "x-cache-bytes": String(stats.bytesFromCache),
    "server-timing": `decode;dur=${decodeMs.toFixed(1)}, encode;dur=${encodeMs.toFixed(1)}`,
    "access-control-expose-headers": "*",
  };
}

function checkPixels(count: number, info: VideoInfo, width: number | undefined, maxPixels: number): void {
  const w = width ?? info.width;
  const h = width === undefined ? info.height : scaledHeight(info, width);
  if (count * w * h > maxPixels) {
    throw new BadRequest(`the response would hold ${count * w * h} pixels; the limit is ${maxPixels}`);
  }
}
