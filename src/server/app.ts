/**
 * HTTP routes of the sidecar, as a plain `(Request) => Promise<Response>`
 * handler over a {@link FrameStore}. It knows the store's API and the
 * encoders, nothing about decoding or storage.
 *
 * Routes: `GET /v1/frame?key=K&index=N&format=png|rgb`, `GET /v1/info?key=K`,
 * `GET /healthz`.
 *
 * @module
 */

import type { ErrorCode } from "../errors.ts";
import { SeekframeError } from "../errors.ts";
import type { FrameStore } from "../store.ts";
import { encodeFrame, type FrameFormat, MEDIA_TYPES } from "./encode.ts";

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

class BadRequest extends Error {}

/**
 * Builds the request handler.
 *
 * @example
 * ```ts
 * const store = await openFrameStore({ dir: "./videos" });
 * Deno.serve(createHandler(store));
 * ```
 */
export function createHandler(store: FrameStore): (req: Request) => Promise<Response> {
  return async (req) => {
    const url = new URL(req.url);
    try {
      if (req.method !== "GET" && req.method !== "HEAD") return json({ error: "method not allowed" }, 405);
      switch (url.pathname) {
        case "/healthz":
          return json({ ok: true });
        case "/v1/info":
          return json(await store.info(param(url, "key")));
        case "/v1/frame":
          return await frame(store, url);
        default:
          return json({ error: `no route ${url.pathname}` }, 404);
      }
    } catch (err) {
      return errorResponse(err);
    }
  };
}

async function frame(store: FrameStore, url: URL): Promise<Response> {
  const key = param(url, "key");
  const index = integer(param(url, "index"), "index");
  const format = (url.searchParams.get("format") ?? "png") as FrameFormat;
  if (!(format in MEDIA_TYPES)) throw new BadRequest(`format must be one of ${Object.keys(MEDIA_TYPES).join(", ")}`);
  const frame = await store.getFrame(key, index);
  return new Response(encodeFrame(frame, format) as Uint8Array<ArrayBuffer>, {
    headers: {
      "content-type": MEDIA_TYPES[format],
      "x-frame-index": String(frame.index),
      "x-frame-width": String(frame.width),
      "x-frame-height": String(frame.height),
      "x-frame-time": String(frame.time),
    },
  });
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

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** Maps errors to responses; never a stack trace, never an unexpected error's text. */
function errorResponse(err: unknown): Response {
  if (err instanceof BadRequest) return json({ error: err.message, code: "invalid_argument" }, 400);
  if (err instanceof SeekframeError) return json({ error: err.message, code: err.code }, STATUS[err.code]);
  console.error("internal error:", err);
  return json({ error: "internal error" }, 500);
}
