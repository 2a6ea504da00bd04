/**
 * The object as a seekable file (`openRemoteFile`), against a real MinIO with
 * a counting proxy in between, so every request the library makes is seen on
 * the wire (`deno bench -A --unstable-kv bench/remote_file_bench.ts`, or
 * `deno task bench`):
 *
 * - **Writes.** A 4 KiB write into the middle of a 50 MiB object of random
 *   bytes, into its last 4 KiB, appended at its end, and past its end (leaving
 *   a gap of zeros), each committed by `flush()` on a fresh copy of the
 *   object: requests by kind (GET/HEAD/PUT/POST; UploadPartCopy, UploadPart,
 *   PutObject, Create/Complete multipart), the request-body bytes sent to
 *   storage, the response bytes fetched (the old bytes a sent part needs),
 *   the bytes copied server-side (summed from the `x-amz-copy-source-range`
 *   headers the proxy sees), the part plan, and the wall time of the commit.
 *   Each result is checked: the stored object (downloaded with the SDK,
 *   straight from MinIO) hashes as the original with the write applied, and
 *   its ETag changed. The naive way (download the whole object, PUT it back)
 *   is a row of the same table.
 * - **Reads.** 1,000 sequential 4 KiB reads from the start of the object and
 *   1,000 seeded random ones over it, each through a new `openRemoteFile`
 *   (default cache, cold): GETs, bytes fetched, time; every read is compared
 *   with the local copy.
 *
 * Then `Deno.bench` times a warm 4 KiB read and a 4 KiB write + flush into
 * the middle of the object.
 *
 * The proxy is in this file (not `test/proxy.ts`) because it must see request
 * headers and count body bytes both ways. It runs in this process, so wall
 * times include its copying; request and byte counts are exact.
 *
 * Starts its own MinIO (via `bench/setup.ts`) unless `S3_ENDPOINT` answers.
 * Environment knobs:
 * - `SEEKFRAME_BENCH_OBJECT_MIB`: object size in MiB (default 50; at least 10
 *   so commits are multipart).
 * - `SEEKFRAME_BENCH_GAP_BYTES`: gap left by the write past the end (default
 *   1 MiB).
 * - `SEEKFRAME_BENCH_READS`: reads per read pattern (default 1000).
 * - `SEEKFRAME_BENCH_SEED`: seed of the random read offsets (default 42).
 *
 * @module
 */

import assert from "node:assert/strict";
import http from "node:http";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "npm:@aws-sdk/client-s3@3.1175.0";
import { type CommitResult, openRemoteFile, type RemoteFile } from "../mod.ts";
import { BUCKET, rawClient, rng, s3Options } from "../test/env.ts";
import { benchSetup } from "./setup.ts";

await benchSetup({ long: false });

const MIB = 1 << 20;
const WRITE = 4096;
const SIZE = Number(Deno.env.get("SEEKFRAME_BENCH_OBJECT_MIB") ?? 50) * MIB;
const GAP = Number(Deno.env.get("SEEKFRAME_BENCH_GAP_BYTES") ?? MIB);
const READS = Number(Deno.env.get("SEEKFRAME_BENCH_READS") ?? 1000);
const SEED = Number(Deno.env.get("SEEKFRAME_BENCH_SEED") ?? 42);
/** S3's smallest part but the last (MinIO enforces it too). */
const MIN_PART = 5 * MIB;
if (!Number.isSafeInteger(SIZE) || SIZE < 2 * MIN_PART) {
  throw new Error("SEEKFRAME_BENCH_OBJECT_MIB must be an integer ≥ 10 (commits of smaller objects are one PUT)");
}
const PREFIX = "bench-remote-file/";

// ---------------------------------------------------------------- counting proxy

/** One request the proxy forwarded. */
interface Seen {
  method: string;
  /** S3 operation, from the method, query and headers. */
  kind: string;
  /** The `partNumber` query parameter, for parts. */
  part?: number;
  /** Bytes of `x-amz-copy-source-range`, for UploadPartCopy. */
  copied: number;
  /** Request body bytes as sent on the wire. */
  sent: number;
  /** Response body bytes. */
  received: number;
  status: number;
  /** Whether an UploadPartCopy or PUT carried its version condition. */
  conditional: boolean;
  done: boolean;
}

/** Names the S3 operation of a request (path-style, as the SDK sends it to MinIO). */
function kindOf(method: string, query: URLSearchParams, headers: http.IncomingHttpHeaders): string {
  const id = query.get("x-id");
  if (method === "PUT" && query.has("uploadId")) return headers["x-amz-copy-source"] ? "UploadPartCopy" : "UploadPart";
  if (method === "POST" && query.has("uploads")) return "CreateMultipartUpload";
  if (method === "POST" && query.has("uploadId")) return "CompleteMultipartUpload";
  if (method === "DELETE" && query.has("uploadId")) return "AbortMultipartUpload";
  if (method === "GET") return id ?? "GetObject";
  if (method === "HEAD") return "HeadObject";
  if (method === "PUT") return id ?? "PutObject";
  return `${method} ${id ?? "?"}`;
}

/** A proxy to `target` that logs every request with its headers of interest and body sizes. */
async function startCountingProxy(target: string) {
  const upstream = new URL(target);
  const log: Seen[] = [];
  const server = http.createServer((req, res) => {
    const method = req.method ?? "";
    const url = new URL(req.url ?? "/", "http://proxy");
    const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers["x-amz-copy-source-range"] ?? ""));
    const seen: Seen = {
      method,
      kind: kindOf(method, url.searchParams, req.headers),
      part: url.searchParams.has("partNumber") ? Number(url.searchParams.get("partNumber")) : undefined,
      copied: range ? Number(range[2]) - Number(range[1]) + 1 : 0,
      sent: 0,
      received: 0,
      status: 0,
      conditional: Boolean(req.headers["if-match"] ?? req.headers["x-amz-copy-source-if-match"]),
      done: false,
    };
    log.push(seen);
    // Headers go through untouched (Host included), so signatures still verify.
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, method, path: req.url, headers: req.headers },
      (up) => {
        seen.status = up.statusCode ?? 0;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.on("data", (chunk: Uint8Array) => {
          seen.received += chunk.byteLength;
          res.write(chunk);
        });
        up.on("end", () => {
          seen.done = true;
          res.end();
        });
        up.on("error", () => {
          seen.done = true;
          res.destroy();
        });
      },
    );
    out.on("error", () => {
      seen.done = true;
      res.destroy();
    });
    req.on("data", (chunk: Uint8Array) => {
      seen.sent += chunk.byteLength;
      out.write(chunk);
    });
    req.on("end", () => out.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    log,
    /** The requests from index `from` on, once every one of them has finished. */
    async since(from: number): Promise<Seen[]> {
      // A response can resolve the SDK call a tick before the proxy sees its end.
      for (let i = 0; i < 200 && log.slice(from).some((s) => !s.done); i++) await new Promise((r) => setTimeout(r, 5));
      return log.slice(from);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------- helpers

const direct = s3Options();
const proxy = await startCountingProxy(direct.endpoint!);
const viaProxy = s3Options({ endpoint: proxy.endpoint });
/** For setup and checks, straight to MinIO (not counted). */
const client = rawClient();
/** The naive client goes through the proxy like the library. */
const naiveClient = new S3Client({
  region: viaProxy.region,
  endpoint: viaProxy.endpoint,
  credentials: viaProxy.credentials,
  forcePathStyle: true,
});

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)));
  return out;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function upload(key: string, bytes: Uint8Array): Promise<string> {
  const out = await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
  return (out.ETag ?? "").replaceAll('"', "");
}

async function download(key: string): Promise<{ bytes: Uint8Array; etag: string }> {
  const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { bytes: await out.Body!.transformToByteArray(), etag: (out.ETag ?? "").replaceAll('"', "") };
}

/** `old` with `data` written at `offset` (zeros in any gap), as a file would hold it. */
function applied(old: Uint8Array, offset: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(old.byteLength, offset + data.byteLength));
  out.set(old);
  out.set(data, offset);
  return out;
}

const mib = (n: number) => (n / MIB).toFixed(3);
const int = (n: number) => n.toLocaleString("en-US");
const count = (seen: Seen[], pred: (s: Seen) => boolean) => seen.filter(pred).length;
const sum = (seen: Seen[], f: (s: Seen) => number) => seen.reduce((a, s) => a + f(s), 0);
/** A markdown table row (and the separator under it, for a header). */
function row(cells: (string | number)[], header = false): string {
  const line = `| ${cells.join(" | ")} |`;
  return header ? `${line}\n|${"---|".repeat(cells.length)}` : line;
}

/** What a phase cost on the wire. */
interface Cost {
  requests: number;
  get: number;
  head: number;
  put: number;
  post: number;
  other: number;
  putObject: number;
  uploadPart: number;
  uploadPartCopy: number;
  create: number;
  complete: number;
  abort: number;
  sent: number;
  fetched: number;
  copied: number;
  failed: number;
  unconditional: number;
  /** Parts in order: "copy 25.000" or "send 5.000" (MiB). */
  plan: string;
}

function costOf(seen: Seen[]): Cost {
  const is = (kind: string) => (s: Seen) => s.kind === kind;
  const parts = seen.filter((s) => s.kind === "UploadPart" || s.kind === "UploadPartCopy")
    .sort((a, b) => (a.part ?? 0) - (b.part ?? 0));
  return {
    requests: seen.length,
    get: count(seen, (s) => s.method === "GET"),
    head: count(seen, (s) => s.method === "HEAD"),
    put: count(seen, (s) => s.method === "PUT"),
    post: count(seen, (s) => s.method === "POST"),
    other: count(seen, (s) => !["GET", "HEAD", "PUT", "POST"].includes(s.method)),
    putObject: count(seen, is("PutObject")),
    uploadPart: count(seen, is("UploadPart")),
    uploadPartCopy: count(seen, is("UploadPartCopy")),
    create: count(seen, is("CreateMultipartUpload")),
    complete: count(seen, is("CompleteMultipartUpload")),
    abort: count(seen, is("AbortMultipartUpload")),
    sent: sum(seen, (s) => s.sent),
    fetched: sum(seen, (s) => s.method === "GET" ? s.received : 0),
    copied: sum(seen, (s) => s.copied),
    failed: count(seen, (s) => s.status >= 300),
    // The writes that replace the object must be conditional on the version read.
    unconditional: count(
      seen,
      (s) =>
        (s.kind === "UploadPartCopy" || s.kind === "PutObject" || s.kind === "CompleteMultipartUpload") &&
        !s.conditional,
    ),
    plan: parts.map((s) => s.kind === "UploadPartCopy" ? `copy ${mib(s.copied)}` : `send ${mib(s.sent)}`).join(
      " + ",
    ) || "one PUT",
  };
}

// ---------------------------------------------------------------- writes

const original = randomBytes(SIZE);
const originalHash = await sha256(original);

interface WriteRow {
  label: string;
  offset: number;
  newSize: number;
  open: Cost;
  commit: Cost;
  ms: number;
  result?: CommitResult;
  /** Least bytes any single multipart upload must send for this write (S3's part rules). */
  leastSent: number;
  /** Least old bytes that must be fetched to make those parts. */
  leastFetched: number;
}

/** Uploads a fresh copy of the object, writes 4 KiB at `offset` through a RemoteFile, commits, and checks the result. */
async function writeCase(label: string, offset: number, leastSent: number, leastFetched: number): Promise<WriteRow> {
  const key = `${PREFIX}write-${label.replaceAll(/[^a-z0-9]+/gi, "-")}.bin`;
  const oldEtag = await upload(key, original);
  const data = randomBytes(WRITE);
  const expected = applied(original, offset, data);

  const atOpen = proxy.log.length;
  const file = await openRemoteFile({ s3: viaProxy }, key);
  const open = costOf(await proxy.since(atOpen));
  assert.equal(file.stat().etag, oldEtag);

  const atWrite = proxy.log.length;
  const t0 = performance.now();
  await file.seek(offset);
  await file.write(data);
  const result = await file.flush();
  const ms = performance.now() - t0;
  await file.close();
  const commit = costOf(await proxy.since(atWrite));

  const stored = await download(key);
  assert.equal(stored.bytes.byteLength, expected.byteLength, `${label}: size`);
  assert.equal(await sha256(stored.bytes), await sha256(expected), `${label}: the original with the 4 KiB written`);
  assert.notEqual(stored.etag, oldEtag, `${label}: the ETag changed`);
  assert.equal(stored.etag, result?.etag, `${label}: the file reports the stored ETag`);
  assert.equal(commit.failed, 0, `${label}: no request failed`);
  assert.equal(commit.unconditional, 0, `${label}: every replacing request is pinned to the old version`);
  // The library's own account of the commit matches the wire.
  assert.equal(result?.bytesCopied, commit.copied, `${label}: bytesCopied`);
  assert.equal(result?.requests, commit.requests - commit.get, `${label}: requests (reads excluded)`);
  await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
  return { label, offset, newSize: expected.byteLength, open, commit, ms, result, leastSent, leastFetched };
}

/** The naive way: GET the whole object, PUT it back with the 4 KiB changed (conditional, as the library's). */
async function naiveCase(offset: number): Promise<WriteRow> {
  const key = `${PREFIX}write-naive.bin`;
  const oldEtag = await upload(key, original);
  const data = randomBytes(WRITE);
  const at = proxy.log.length;
  const t0 = performance.now();
  const got = await naiveClient.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const body = applied(await got.Body!.transformToByteArray(), offset, data);
  await naiveClient.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, IfMatch: `"${oldEtag}"` }));
  const ms = performance.now() - t0;
  const commit = costOf(await proxy.since(at));
  const stored = await download(key);
  assert.equal(await sha256(stored.bytes), await sha256(applied(original, offset, data)), "naive: result");
  assert.notEqual(stored.etag, oldEtag, "naive: the ETag changed");
  await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
  const none = costOf([]);
  return {
    label: "naive: GET all + PUT all",
    offset,
    newSize: SIZE,
    open: none,
    commit,
    ms,
    leastSent: 0,
    leastFetched: 0,
  };
}

const middle = SIZE / 2 - WRITE / 2;
const writes: WriteRow[] = [
  // A changed part that is not the last must be a whole 5 MiB part: 5 MiB sent, 5 MiB − 4 KiB of it old bytes.
  await writeCase("middle", middle, MIN_PART, MIN_PART - WRITE),
  // The last part may be of any size: only the new bytes need sending.
  await writeCase("last 4 KiB", SIZE - WRITE, WRITE, 0),
  await writeCase("append at end", SIZE, WRITE, 0),
  await writeCase(`past end (gap ${int(GAP)} B)`, SIZE + GAP, GAP + WRITE, 0),
];
const naive = await naiveCase(middle);

console.log(`\nobject: ${mib(SIZE)} MiB of random bytes (sha256 ${originalHash.slice(0, 16)}…), write: ${WRITE} B\n`);
console.log("**Writes** (requests of the commit; the open is one GET of the head, listed apart):\n");
const kib = (n: number) => (n / 1024).toFixed(1);
console.log(
  row([
    "write",
    "offset",
    "new size",
    "open GETs / KiB",
    "requests",
    "GET",
    "HEAD",
    "PUT",
    "POST",
    "other",
    "PutObject",
    "UploadPart",
    "UploadPartCopy",
    "Create MPU",
    "Complete MPU",
    "bytes sent",
    "bytes fetched",
    "bytes copied server-side",
    "ms",
    "sent / naive",
  ], true),
);
for (const r of [...writes, naive]) {
  const c = r.commit;
  console.log(row([
    r.label,
    int(r.offset),
    int(r.newSize),
    r === naive ? "–" : `${r.open.get} / ${kib(r.open.fetched)}`,
    c.requests,
    c.get,
    c.head,
    c.put,
    c.post,
    c.other,
    c.putObject,
    c.uploadPart,
    c.uploadPartCopy,
    c.create,
    c.complete,
    int(c.sent),
    int(c.fetched),
    int(c.copied),
    r.ms.toFixed(0),
    (c.sent / naive.commit.sent).toFixed(4),
  ]));
}
console.log(
  "\n(bytes sent: request bodies on the wire, Complete's XML included; bytes fetched: GET response bodies, the old " +
    "bytes of the sent part; bytes copied: the sum of x-amz-copy-source-range sizes the proxy saw)\n",
);

console.log(
  row([
    "write",
    "parts (MiB, in order)",
    "bytes sent",
    "least for one multipart upload",
    "old bytes fetched",
    "least",
    "bytes copied",
    "copied with the least sent",
  ], true),
);
for (const r of writes) {
  // With the least sent, the rest of the new version is copied (a gap's zeros are sent, not copied).
  console.log(row([
    r.label,
    r.commit.plan,
    int(r.commit.sent),
    int(r.leastSent),
    int(r.commit.fetched),
    int(r.leastFetched),
    int(r.commit.copied),
    int(r.newSize - r.leastSent),
  ]));
}
console.log(
  "\n(least: every part but the last is ≥ 5 MiB and a part is either copied or sent whole, so a change that is not in " +
    "the last part costs a 5 MiB sent part; the last part may be as small as the new bytes)\n",
);

// ---------------------------------------------------------------- reads

const readKey = `${PREFIX}reads.bin`;
await upload(readKey, original);

interface ReadRow {
  label: string;
  open: Cost;
  reads: Cost;
  ms: number;
  readBytes: number;
}

async function readCase(label: string, offsets: number[]): Promise<ReadRow> {
  const atOpen = proxy.log.length;
  const t0 = performance.now();
  await using file = await openRemoteFile({ s3: viaProxy }, readKey);
  const open = costOf(await proxy.since(atOpen));
  const atReads = proxy.log.length;
  let readBytes = 0;
  for (const offset of offsets) {
    if (file.tell() !== offset) await file.seek(offset);
    const got = await file.read(WRITE);
    readBytes += got.byteLength;
    // Each read checked against the local copy: a cheap byte compare, no extra requests.
    assert.deepEqual(got, original.subarray(offset, offset + WRITE), `${label}: read at ${offset}`);
  }
  const ms = performance.now() - t0;
  const reads = costOf(await proxy.since(atReads));
  return { label, open, reads, ms, readBytes };
}

const random = rng(SEED);
const reads = [
  await readCase(`${int(READS)} sequential 4 KiB from 0`, Array.from({ length: READS }, (_, i) => i * WRITE)),
  await readCase(
    `${int(READS)} random 4 KiB (seed ${SEED})`,
    Array.from({ length: READS }, () => Math.floor(random() * (SIZE - WRITE + 1))),
  ),
];

console.log("**Reads** (new `openRemoteFile` each, default cache, cold):\n");
console.log(
  row([
    "reads",
    "open: GETs / KiB",
    "GETs for the reads",
    "bytes fetched",
    "bytes read",
    "fetched / read",
    "GETs incl. open",
    "ms (open incl.)",
    "ms / read",
  ], true),
);
for (const r of reads) {
  console.log(row([
    r.label,
    `${r.open.get} / ${kib(r.open.fetched)}`,
    r.reads.get,
    int(r.reads.fetched),
    int(r.readBytes),
    (r.reads.fetched / r.readBytes).toFixed(2),
    r.open.get + r.reads.get,
    r.ms.toFixed(0),
    (r.ms / READS).toFixed(2),
  ]));
  assert.equal(r.reads.requests, r.reads.get, `${r.label}: only GETs`);
}

const mid = writes[0].commit;
console.log(
  [
    `\nbytes uploaded and requests for a 4 KiB write into the middle of a ${mib(SIZE)} MiB object:`,
    `${int(mid.sent)} bytes sent (${mib(mid.sent)} MiB,`,
    `${(100 * mid.sent / naive.commit.sent).toFixed(2)}% of the naive ${int(naive.commit.sent)})`,
    `in ${mid.requests} requests (${mid.create} CreateMultipartUpload, ${mid.uploadPartCopy} UploadPartCopy,`,
    `${mid.uploadPart} UploadPart, ${mid.complete} CompleteMultipartUpload,`,
    `${mid.get} GET for ${int(mid.fetched)} old bytes),`,
    `${int(mid.copied)} bytes copied server-side, ${writes[0].ms.toFixed(0)} ms;`,
    `naive: ${naive.commit.requests} requests, ${int(naive.commit.fetched)} bytes fetched, ${naive.ms.toFixed(0)} ms`,
  ].join(" "),
);
const [seq, rnd] = reads;
console.log(
  [
    `GETs for the ${int(READS)} small reads:`,
    `sequential ${seq.reads.get} (+${seq.open.get} at open), ${int(seq.reads.fetched)} bytes;`,
    `random ${rnd.reads.get} (+${rnd.open.get} at open), ${int(rnd.reads.fetched)} bytes\n`,
  ].join(" "),
);

naiveClient.destroy();

// ---------------------------------------------------------------- Deno.bench

const warm: RemoteFile = await openRemoteFile({ s3: viaProxy }, readKey);
await warm.read(1 << 20); // the first MiB cached
const warmRandom = rng(SEED + 1);
Deno.bench("warm 4 KiB read (cached)", { group: "read", n: 2000, warmup: 100 }, async () => {
  await warm.seek(Math.floor(warmRandom() * ((1 << 20) - WRITE)));
  await warm.read(WRITE);
});
const writer: RemoteFile = await openRemoteFile({ s3: viaProxy }, readKey);
Deno.bench(`4 KiB write + flush, middle of ${mib(SIZE)} MiB`, { group: "write", n: 5, warmup: 1 }, async () => {
  await writer.seek(middle);
  await writer.write(randomBytes(WRITE));
  await writer.flush();
});
globalThis.addEventListener("unload", () => {
  warm.abort();
  writer.abort();
  client.destroy();
  proxy.close();
});
