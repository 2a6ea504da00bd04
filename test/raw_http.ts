/**
 * A raw HTTP/1.1 client over TCP for tests that must send what `fetch`
 * refuses or rewrites: invalid percent-encoding, `..` segments, CR/LF in the
 * request line or headers, absolute-form targets, huge headers, odd methods,
 * and requests written or read slowly.
 *
 * @module
 */

/** What came back for a raw request. */
export interface RawResponse {
  /** Status code, or 0 when no status line arrived. */
  status: number;
  /** Header fields as sent, names lower-cased. */
  headers: [string, string][];
  /** The body (de-chunked). */
  body: Uint8Array;
  /** The body as text. */
  text: string;
  /** Everything received, status line included. */
  raw: Uint8Array;
  /** True when the server closed the connection (EOF seen). */
  closed: boolean;
  /** True when `timeoutMs` passed before a whole response arrived. */
  timedOut: boolean;
  /** A socket error while writing or reading, if any. */
  error?: string;
}

/** The value of a header of a raw response (the first one). */
export function header(res: RawResponse, name: string): string | undefined {
  return res.headers.find(([n]) => n === name.toLowerCase())?.[1];
}

const encoder = new TextEncoder();

/** Where `base` (`http://127.0.0.1:PORT`) listens. */
export function addressOf(base: string): { hostname: string; port: number } {
  const url = new URL(base);
  return { hostname: url.hostname, port: Number(url.port) };
}

/**
 * Sends `request` (the bytes exactly as given) to `base` and reads one
 * response. `head: true` says the request was a HEAD (no body follows).
 */
export async function rawRequest(
  base: string,
  request: string | Uint8Array,
  options: { timeoutMs?: number; head?: boolean } = {},
): Promise<RawResponse> {
  const conn = await Deno.connect(addressOf(base));
  try {
    let error: string | undefined;
    try {
      await writeAll(conn, typeof request === "string" ? encoder.encode(request) : request);
    } catch (err) {
      // The server may answer and close before reading everything (a huge request): read what it said.
      error = `write: ${err instanceof Error ? err.message : err}`;
    }
    const res = await readResponse(conn, options.timeoutMs ?? 10_000, options.head ?? false);
    return error && !res.error ? { ...res, error } : res;
  } finally {
    try {
      conn.close();
    } catch {
      // already closed
    }
  }
}

/** Writes all of `bytes`. */
export async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.byteLength;) at += await conn.write(bytes.subarray(at));
}

/** Reads one HTTP/1.1 response from `conn`, up to `timeoutMs`. */
export async function readResponse(conn: Deno.Conn, timeoutMs: number, head = false): Promise<RawResponse> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let closed = false, timedOut = false;
  let error: string | undefined;
  const deadline = Date.now() + timeoutMs;
  const buf = new Uint8Array(64 << 10);
  for (;;) {
    const parsed = parse(concat(chunks, total), head);
    if (parsed) return { ...parsed, raw: concat(chunks, total), closed, timedOut, error };
    if (closed || error) break;
    const left = deadline - Date.now();
    if (left <= 0) {
      timedOut = true;
      break;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = await Promise.race([
      conn.read(buf).catch((err) => {
        error = `read: ${err instanceof Error ? err.message : err}`;
        return null;
      }),
      new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), left)),
    ]);
    clearTimeout(timer);
    if (read === "timeout") {
      timedOut = true;
      break;
    }
    if (read === null) {
      closed = true;
      continue;
    }
    chunks.push(buf.slice(0, read));
    total += read;
  }
  const raw = concat(chunks, total);
  const partial = parse(raw, head, true);
  return {
    status: partial?.status ?? 0,
    headers: partial?.headers ?? [],
    body: partial?.body ?? new Uint8Array(),
    text: partial?.text ?? "",
    raw,
    closed,
    timedOut,
    error,
  };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  chunks.splice(0, chunks.length, out);
  return out;
}

function indexOf(bytes: Uint8Array, seq: number[], from = 0): number {
  outer: for (let i = from; i <= bytes.byteLength - seq.length; i++) {
    for (let j = 0; j < seq.length; j++) if (bytes[i + j] !== seq[j]) continue outer;
    return i;
  }
  return -1;
}

const CRLF = [13, 10];
const CRLFCRLF = [13, 10, 13, 10];

/**
 * Parses a whole response from `raw`, or returns undefined when more bytes
 * are needed. With `partial`, returns what there is (a cut body) instead.
 */
function parse(
  raw: Uint8Array,
  head: boolean,
  partial = false,
): Omit<RawResponse, "raw" | "closed" | "timedOut" | "error"> | undefined {
  const end = indexOf(raw, CRLFCRLF);
  if (end < 0) return undefined;
  const lines = new TextDecoder().decode(raw.subarray(0, end)).split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  const status = m ? Number(m[1]) : 0;
  const headers = lines.slice(1).map((l) => {
    const colon = l.indexOf(":");
    return [l.slice(0, colon).trim().toLowerCase(), l.slice(colon + 1).trim()] as [string, string];
  });
  const get = (name: string) => headers.find(([n]) => n === name)?.[1];
  const rest = raw.subarray(end + 4);
  const done = (body: Uint8Array) => ({ status, headers, body, text: new TextDecoder().decode(body) });
  if (head || status === 204 || status === 304 || (status >= 100 && status < 200)) return done(new Uint8Array());
  const length = get("content-length");
  if (length !== undefined) {
    const n = Number(length);
    if (rest.byteLength >= n) return done(rest.subarray(0, n));
    return partial ? done(rest) : undefined;
  }
  if (get("transfer-encoding")?.toLowerCase().includes("chunked")) {
    const body: Uint8Array[] = [];
    let size = 0;
    for (let at = 0;;) {
      const eol = indexOf(rest, CRLF, at);
      if (eol < 0) break;
      const n = parseInt(new TextDecoder().decode(rest.subarray(at, eol)).split(";")[0], 16);
      if (!Number.isFinite(n)) break;
      if (n === 0) return done(concat(body, size));
      if (rest.byteLength < eol + 2 + n + 2) break;
      body.push(rest.subarray(eol + 2, eol + 2 + n));
      size += n;
      at = eol + 2 + n + 2;
    }
    return partial ? done(concat(body, size)) : undefined;
  }
  // Neither: the body runs to the end of the connection.
  return partial ? done(rest) : undefined;
}
