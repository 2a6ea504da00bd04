import assert from "node:assert/strict";
import { CorruptMediaError, type ErrorCode, ObjectNotFoundError } from "../errors.ts";
import {
  admission,
  authorize,
  BadRequest,
  errorResponse,
  HttpError,
  ifNoneMatch,
  json,
  notModified,
  STATUS,
  strongEtag,
} from "./http.ts";

const TAG = '"0123456789abcdef0123456789abcdef"';

function withIfNoneMatch(value?: string): Request {
  return new Request("http://x/", { headers: value === undefined ? {} : { "if-none-match": value } });
}

Deno.test("ifNoneMatch matches the tag itself, a weak form of it, a list holding it, and *", () => {
  for (const header of [TAG, `W/${TAG}`, ` ${TAG} `, `"aaaa", ${TAG}`, `W/"x",W/${TAG}`, "*", " * "]) {
    assert.equal(ifNoneMatch(withIfNoneMatch(header), TAG), true, header);
  }
  assert.equal(ifNoneMatch(withIfNoneMatch(TAG), `W/${TAG}`), true, "a weak tag of ours matches too");
});

Deno.test("ifNoneMatch does not match without the header, or with other tags", () => {
  for (const header of [undefined, "", '"0123"', `${TAG.slice(0, -2)}"`, `"a", "b"`, TAG.slice(1, -1), "**"]) {
    assert.equal(ifNoneMatch(withIfNoneMatch(header), TAG), false, String(header));
  }
});

Deno.test("strongEtag is 32 hex digits of the SHA-256 of the parts joined by |, quoted", async () => {
  // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
  assert.equal(await strongEtag("abc"), '"ba7816bf8f01cfea414140de5dae2223"');
  assert.equal(await strongEtag("a", "bc"), await strongEtag("a|bc"));
  assert.notEqual(await strongEtag(2, "e", 10), await strongEtag(2, "e", 11));
});

function authorization(value?: string): Request {
  return new Request("http://x/v1/info", { headers: value === undefined ? {} : { authorization: value } });
}

function refused(fn: () => void): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    assert.ok(err instanceof HttpError);
    assert.equal(err.status, 401);
    assert.equal(err.code, "unauthorized");
    assert.deepEqual(err.headers, { "www-authenticate": "Bearer" });
    return true;
  }
}

Deno.test("authorize accepts exactly Bearer and the token", () => {
  assert.equal(refused(() => authorize(authorization("Bearer tok-123"), "tok-123")), false);
});

Deno.test("authorize refuses headers shorter or longer than the expected one, including its prefixes", () => {
  const cases = [
    undefined,
    "",
    "Bearer",
    "Bearer ",
    "Bearer tok-12",
    "Bearer tok-1234",
    "Bearer tok-1233",
    "Bearer tok-123, Bearer tok-123",
  ];
  for (const value of cases) {
    assert.equal(refused(() => authorize(authorization(value), "tok-123")), true, String(value));
  }
});

Deno.test("authorize refuses a header of the right length that differs in any one byte", () => {
  const expected = "Bearer tok-123";
  for (let i = 0; i < expected.length; i++) {
    const value = expected.slice(0, i) + (expected[i] === "x" ? "y" : "x") + expected.slice(i + 1);
    assert.equal(refused(() => authorize(authorization(value), "tok-123")), true, value);
  }
});

Deno.test("STATUS gives every seekframe error code its HTTP status", () => {
  const expected: Record<ErrorCode, number> = {
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
  assert.deepEqual(STATUS, expected);
});

Deno.test("errorResponse maps HTTP errors, seekframe errors and aborts, hiding anything else", async () => {
  const http = errorResponse(new HttpError(429, "slow down", "busy", { "retry-after": "5" }));
  assert.equal(http.status, 429);
  assert.equal(http.headers.get("retry-after"), "5");
  assert.deepEqual(await http.json(), { error: "slow down", code: "busy" });

  const bad = errorResponse(new BadRequest('missing query parameter "key"'));
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { error: 'missing query parameter "key"', code: "invalid_argument" });

  const corrupt = errorResponse(new CorruptMediaError("truncated"));
  assert.equal(corrupt.status, 422);
  assert.deepEqual(await corrupt.json(), { error: "truncated", code: "corrupt" });

  const gone = errorResponse(new DOMException("aborted", "AbortError"));
  assert.equal(gone.status, 499);
  assert.deepEqual(await gone.json(), { error: "the client went away", code: "aborted" });

  const original = console.error;
  console.error = () => {};
  try {
    const internal = errorResponse(new RangeError("offset 12 outside /srv/data"));
    assert.equal(internal.status, 500);
    assert.equal(internal.headers.get("content-type"), "application/json");
    assert.deepEqual(await internal.json(), { error: "internal error", code: "internal" });
  } finally {
    console.error = original;
  }
});

Deno.test("json sets the status, the JSON content type and extra headers", async () => {
  const res = json({ a: [1, "b"] }, 201, { "x-extra": "1" });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.equal(res.headers.get("x-extra"), "1");
  assert.equal(await res.text(), '{"a":[1,"b"]}');
});

Deno.test("notModified is an empty 304 carrying the tag", async () => {
  const res = notModified(TAG);
  assert.equal(res.status, 304);
  assert.equal(res.headers.get("etag"), TAG);
  assert.equal(res.headers.get("cache-control"), "no-cache");
  assert.equal(res.body, null);
  assert.equal(await res.text(), "");
});

Deno.test("admission counts requests in flight, refuses past the limit, and frees the slot on success or failure", async () => {
  const admit = admission({ maxInflight: 2, deadlineMs: 10_000 });
  const req = new Request("http://x/");
  let release!: () => void;
  const held = new Promise<void>((resolve) => release = resolve);
  const a = admit.guard(req, async () => {
    await held;
    return new Response("a");
  });
  const b = admit.guard(req, async () => {
    await held;
    throw new ObjectNotFoundError("k");
  });
  assert.equal(admit.inflight, 2);
  await assert.rejects(
    admit.guard(req, () => Promise.resolve(new Response("c"))),
    (err) => err instanceof HttpError && err.status === 503 && err.code === "busy",
  );
  assert.equal(admit.inflight, 2);
  release();
  assert.equal(await (await a).text(), "a");
  await assert.rejects(b, ObjectNotFoundError);
  assert.equal(admit.inflight, 0);
});

Deno.test("admission aborts the signal at the deadline and turns the failure into a 504", async () => {
  const admit = admission({ maxInflight: 1, deadlineMs: 20 });
  let seen: AbortSignal | undefined;
  await assert.rejects(
    admit.guard(new Request("http://x/"), (signal) => {
      seen = signal;
      return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    }),
    (err) =>
      err instanceof HttpError && err.status === 504 && err.code === "timeout" &&
      err.message === "the frame took longer than 20 ms",
  );
  assert.equal(seen?.aborted, true);
  assert.equal(admit.inflight, 0);
});

Deno.test("admission passes a client's abort through as it is, not as a timeout", async () => {
  const admit = admission({ maxInflight: 1, deadlineMs: 10_000 });
  const client = new AbortController();
  const pending = admit.guard(
    new Request("http://x/", { signal: client.signal }),
    (signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
  );
  client.abort();
  await assert.rejects(pending, (err) => err instanceof DOMException && err.name === "AbortError");
});

Deno.test("whenSent hands the body on whole, in slices, and calls back once when it is taken or cancelled", async () => {
  const { whenSent } = await import("./http.ts");
  const data = new Uint8Array(300_000).map((_, i) => i % 251);
  let calls = 0;
  const reader = whenSent(new Response(data).body!, () => calls++).getReader();
  const chunks: Uint8Array[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  assert.ok(chunks.every((c) => c.byteLength <= 64 << 10), "64 KiB slices");
  assert.deepEqual(new Uint8Array(await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer()), data);
  assert.equal(calls, 1);
  let cancelled = 0;
  const stream = whenSent(new Response(data).body!, () => cancelled++);
  await stream.cancel();
  assert.equal(cancelled, 1);
});
