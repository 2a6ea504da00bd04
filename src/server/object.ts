/**
 * `GET`/`HEAD /v1/object?key=K`: an object's bytes through the store's block
 * cache, with single byte ranges (RFC 9110: `Range`, `If-Range`, 206/416),
 * a strong `ETag` (the object's) and `If-None-Match`. So ffmpeg, PyAV's
 * `av.open(url)` or a browser's `<video>` read through seekframe's cache.
 *
 * @module
 */

import type { FrameStore } from "../frame_store.ts";
import { BadRequest, HttpError, ifNoneMatch, notModified } from "./http.ts";
import { param } from "./params.ts";

/** What the object route needs of a frame store. */
export type ObjectService = Pick<FrameStore, "openFile">;

/** Bytes streamed per chunk of a body. */
const CHUNK = 256 << 10;

/** Media types by file extension, for players that look at `Content-Type`. */
const MEDIA_TYPES: Record<string, string> = {
  mp4: "video/mp4",
  m4v: "video/mp4",
  mov: "video/quicktime",
  mkv: "video/x-matroska",
  webm: "video/webm",
  ts: "video/mp2t",
  m2ts: "video/mp2t",
};

/**
 * A byte range of a `Range` header for an object of `size` bytes:
 * `undefined` to serve the whole object (no header, several ranges, or a
 * unit other than bytes), `null` when the range cannot be satisfied.
 *
 * @example
 * ```ts
 * import { parseRange } from "./object.ts";
 *
 * parseRange("bytes=100-199", 1000); // { start: 100, end: 199 }
 * parseRange("bytes=-100", 1000); // { start: 900, end: 999 }
 * parseRange("bytes=1000-", 1000); // null: 416
 * ```
 */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null | undefined {
  if (header === null) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  // Several ranges (or a malformed one) may be answered with the whole object.
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return null;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== "" && Number(m[2]) < start) return undefined; // invalid: ignore it (RFC 9110 14.2)
  if (start >= size) return null;
  return { start, end };
}

/** Serves the object route. */
export async function serveObject(store: ObjectService, req: Request, url: URL): Promise<Response> {
  const key = param(url, "key");
  const file = await store.openFile(key);
  const { size, etag } = file.stat();
  const tag = `"${etag}"`;
  const ext = key.slice(key.lastIndexOf(".") + 1).toLowerCase();
  const headers: Record<string, string> = {
    "accept-ranges": "bytes",
    etag: tag,
    "cache-control": "no-cache",
    "content-type": MEDIA_TYPES[ext] ?? "application/octet-stream",
  };
  if (ifNoneMatch(req, tag)) return notModified(tag);
  // If-Range with another version (or a date, which a strong ETag cannot vouch for): the whole object.
  const ifRange = req.headers.get("if-range");
  const range = ifRange !== null && ifRange.trim() !== tag ? undefined : parseRange(req.headers.get("range"), size);
  if (range === null) {
    throw new HttpError(416, `the range is outside the object (${size} bytes)`, "range_not_satisfiable", {
      "content-range": `bytes */${size}`,
    });
  }
  const start = range?.start ?? 0, end = range?.end ?? size - 1;
  const length = Math.max(0, end - start + 1);
  headers["content-length"] = String(length);
  if (range) headers["content-range"] = `bytes ${start}-${end}/${size}`;
  const status = range ? 206 : 200;
  if (req.method === "HEAD" || length === 0) return new Response(null, { status, headers });
  await file.seek(start);
  let left = length;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await file.read(Math.min(CHUNK, left));
        if (chunk.byteLength === 0) throw new BadRequest("the object ended early");
        left -= chunk.byteLength;
        controller.enqueue(chunk);
        if (left === 0) controller.close();
      } catch (err) {
        // Headers are sent: all that is left is to cut the body short, which clients notice.
        controller.error(err);
      }
    },
  }, { highWaterMark: 0 });
  return new Response(body, { status, headers });
}
