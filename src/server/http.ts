/**
 * HTTP building blocks of the sidecar, each a small function over `Request`
 * and `Response` (as Hono composes handlers): typed HTTP errors and the one
 * mapping of errors to responses, bearer-token checks, admission control with
 * deadlines, and strong ETags with `If-None-Match`.
 *
 * @module
 */

import { sha256Hex } from "../bytes.ts";
import { type ErrorCode, SeekframeError } from "../errors.ts";

/** A route handler: the request and its parsed URL in, a response out. */
export type Handler = (req: Request, url: URL) => Promise<Response>;

/** An error with its HTTP status, machine-readable code and extra headers. */
export class HttpError extends Error {
  /**
   * @param status HTTP status.
   * @param message Shown to the client as `error`.
   * @param code Shown to the client as `code`.
   * @param headers Extra response headers (e.g. `Retry-After`).
   */
  constructor(readonly status: number, message: string, readonly code: string, readonly headers: HeadersInit = {}) {
    super(message);
  }
}

/** A 400 for a bad query parameter. */
export class BadRequest extends HttpError {
  /** @param message Names the parameter and what it accepts. */
  constructor(message: string) {
    super(400, message, "invalid_argument");
  }
}

/** HTTP status for each seekframe error code. */
export const STATUS: Record<ErrorCode, number> = {
  invalid_argument: 400,
  not_found: 404,
  out_of_range: 404,
  unsupported: 415,
  corrupt: 422,
  changed: 409,
  storage: 502,
  index_store: 503,
  decoder: 503,
  closed: 503,
};

/** A JSON response. */
export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** Maps errors to responses; never a stack trace, never an unexpected error's text. */
export function errorResponse(err: unknown): Response {
  if (err instanceof HttpError) return json({ error: err.message, code: err.code }, err.status, err.headers);
  if (err instanceof SeekframeError) return json({ error: err.message, code: err.code }, STATUS[err.code]);
  if (err instanceof DOMException && err.name === "AbortError") {
    return json({ error: "the client went away", code: "aborted" }, 499);
  }
  console.error("internal error:", err instanceof Error ? err.message : err);
  return json({ error: "internal error", code: "internal" }, 500);
}

/**
 * Throws a 401 unless the request carries `Authorization: Bearer <token>`
 * (the scheme in any case, as RFC 9110 says; the token compared in constant
 * time, so it cannot be guessed byte by byte).
 */
export function authorize(req: Request, token: string): void {
  const header = req.headers.get("authorization") ?? "";
  const space = header.indexOf(" ");
  const scheme = space < 0 ? "" : header.slice(0, space);
  const given = new TextEncoder().encode(space < 0 ? "" : header.slice(space + 1));
  const expected = new TextEncoder().encode(token);
  let diff = (given.length ^ expected.length) | (scheme.toLowerCase() === "bearer" ? 0 : 1);
  for (let i = 0; i < expected.length; i++) diff |= (given[i] ?? 0) ^ expected[i];
  if (diff !== 0) {
    throw new HttpError(401, "missing or wrong bearer token", "unauthorized", { "www-authenticate": "Bearer" });
  }
}

/** Limits of {@link admission}. */
export interface AdmissionLimits {
  /** Requests being decoded at once; more get 503 with `Retry-After`. */
  maxInflight: number;
  /** A request taking longer to produce its response is abandoned with 504. */
  deadlineMs: number;
  /** Bytes of response bodies waiting for their clients; past it, new requests get 503. Default 256 MiB. */
  maxHeldBytes?: number;
  /** A body its client takes nothing of for this long (ms) is cut off. Default 60,000. */
  sendTimeoutMs?: number;
}

/**
 * Admission control and deadlines: `guard(req, serve)` runs `serve` with a
 * signal that aborts when the client goes away or the deadline passes. A
 * body counts against `maxHeldBytes` until it is sent (or its client goes
 * away, or takes nothing for the send timeout), so what slow readers hold is
 * bounded: by `maxHeldBytes` plus the one response that crosses it.
 *
 * @example
 * ```ts
 * import { admission } from "./http.ts";
 *
 * const admit = admission({ maxInflight: 64, deadlineMs: 30_000 });
 * const res = await admit.guard(new Request("http://x/"), () => Promise.resolve(new Response("ok")));
 * await res.text(); // its bytes stop counting once the body is read
 * ```
 */
export function admission(limits: AdmissionLimits): {
  guard(req: Request, serve: (signal: AbortSignal) => Promise<Response>): Promise<Response>;
  readonly inflight: number;
  readonly heldBytes: number;
} {
  const maxHeld = limits.maxHeldBytes ?? 256 << 20;
  const sendTimeoutMs = limits.sendTimeoutMs ?? 60_000;
  let inflight = 0, held = 0;
  const busy = (why: string) => new HttpError(503, `${why}; retry shortly`, "busy", { "retry-after": "1" });
  return {
    get inflight() {
      return inflight;
    },
    get heldBytes() {
      return held;
    },
    async guard(req, serve) {
      if (inflight >= limits.maxInflight) throw busy("too many frame requests in progress");
      if (held >= maxHeld) throw busy("too many bytes waiting for their clients");
      inflight++;
      const deadline = AbortSignal.timeout(limits.deadlineMs);
      const late = () => new HttpError(504, `the frame took longer than ${limits.deadlineMs} ms`, "timeout");
      // The deadline wins even over work that takes no signal (an index being built).
      let onDeadline = () => {};
      const expired = new Promise<never>((_, reject) => {
        onDeadline = () => reject(late());
        deadline.addEventListener("abort", onDeadline, { once: true });
      });
      expired.catch(() => {});
      let res: Response;
      try {
        res = await Promise.race([serve(AbortSignal.any([req.signal, deadline])), expired]);
      } catch (err) {
        if (deadline.aborted && !req.signal.aborted) throw late();
        throw err;
      } finally {
        deadline.removeEventListener("abort", onDeadline);
        inflight--;
      }
      const size = Number(res.headers.get("content-length") ?? 0);
      if (!res.body || !size) return res;
      held += size;
      let released = false;
      const release = () => {
        if (!released) held -= size;
        released = true;
      };
      return new Response(whenSent(res.body, release, sendTimeoutMs), res);
    },
  };
}

const SLICE_BYTES = 64 << 10;

/**
 * `body` as it is sent: `onDone` is called once it has been taken whole, was
 * cancelled (the client went away), or nothing of it was taken for
 * `idleTimeoutMs` (then it is cut off). Bytes are handed on in 64 KiB slices,
 * so "taken" means the connection took them.
 *
 * @example
 * ```ts
 * import { whenSent } from "./http.ts";
 *
 * const body = whenSent(new Response("hello").body!, () => console.log("sent"));
 * await new Response(body).text(); // logs "sent"
 * ```
 */
export function whenSent(
  body: ReadableStream<Uint8Array>,
  onDone: () => void,
  idleTimeoutMs = Infinity,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let pending: Uint8Array = new Uint8Array(0);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = () => {
    clearTimeout(timer);
    pending = new Uint8Array(0); // let the body's memory go even while the connection lingers
    onDone();
  };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const arm = () => {
    clearTimeout(timer);
    if (idleTimeoutMs === Infinity) return;
    timer = setTimeout(() => {
      done();
      reader.cancel().catch(() => {});
      controller.error(new Error(`the client took nothing of the body for ${idleTimeoutMs} ms`));
    }, idleTimeoutMs);
  };
  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      arm();
    },
    async pull() {
      arm();
      try {
        // Small slices: the next pull comes only once the socket took the last, so "sent" means sent.
        if (pending.byteLength === 0) {
          const { value, done: end } = await reader.read();
          if (end) {
            done();
            controller.close();
            return;
          }
          pending = value;
        }
        controller.enqueue(pending.subarray(0, SLICE_BYTES));
        pending = pending.subarray(SLICE_BYTES);
      } catch (err) {
        done();
        controller.error(err);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/** A strong ETag (32 hex digits of SHA-256) of the given parts. */
export async function strongEtag(...parts: (string | number)[]): Promise<string> {
  return `"${(await sha256Hex(parts.join("|"))).slice(0, 32)}"`;
}

/** Whether `If-None-Match` matches `etag` (weak comparison, as RFC 9110 says for this header). */
export function ifNoneMatch(req: Request, etag: string): boolean {
  const header = req.headers.get("if-none-match");
  if (header === null) return false;
  if (header.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((t) => opaque(t) === opaque(etag));
}

/** A 304 for `etag`. */
export function notModified(etag: string): Response {
  return new Response(null, { status: 304, headers: { etag, "cache-control": "no-cache" } });
}
