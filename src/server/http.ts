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
  /** Requests served at once; more get 503 with `Retry-After`. */
  maxInflight: number;
  /** A request taking longer is abandoned with 504. */
  deadlineMs: number;
}

/**
 * Admission control and deadlines: `guard(req, serve)` runs `serve` with a
 * signal that aborts when the client goes away or the deadline passes.
 *
 * @example
 * ```ts
 * import { admission } from "./http.ts";
 *
 * const admit = admission({ maxInflight: 64, deadlineMs: 30_000 });
 * const res = await admit.guard(new Request("http://x/"), () => Promise.resolve(new Response("ok")));
 * ```
 */
export function admission(limits: AdmissionLimits): {
  guard(req: Request, serve: (signal: AbortSignal) => Promise<Response>): Promise<Response>;
  readonly inflight: number;
} {
  let inflight = 0;
  return {
    get inflight() {
      return inflight;
    },
    async guard(req, serve) {
      if (inflight >= limits.maxInflight) {
        throw new HttpError(503, "too many frame requests in progress; retry shortly", "busy", { "retry-after": "1" });
      }
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
      try {
        return await Promise.race([serve(AbortSignal.any([req.signal, deadline])), expired]);
      } catch (err) {
        if (deadline.aborted && !req.signal.aborted) throw late();
        throw err;
      } finally {
        deadline.removeEventListener("abort", onDeadline);
        inflight--;
      }
    },
  };
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
