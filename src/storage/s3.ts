/**
 * S3-compatible byte source (AWS S3, MinIO, R2…) on `@aws-sdk/client-s3`,
 * which is loaded when the first request is made, so programs that read only
 * local folders never load it (nor need its permissions).
 *
 * Opening an object costs one ranged GET of its head, which also returns the
 * size and ETag (no HEAD request). Every later read is a ranged GET pinned to
 * that ETag with `If-Match`, so bytes of two object versions can never mix.
 * Revalidating a version without reading it is a HEAD with `If-Match`.
 *
 * @module
 */

import type { S3Client } from "npm:@aws-sdk/client-s3@3.1175.0";
import {
  CorruptMediaError,
  InvalidArgumentError,
  ObjectChangedError,
  ObjectNotFoundError,
  StorageError,
} from "../errors.ts";
import { newBytes } from "./file.ts";
import {
  type ByteSource,
  checkKey,
  type CommitResult,
  type IoStats,
  newIoStats,
  type ObjectEdits,
  type ObjectList,
  type RequestCost,
  type SourceProvider,
} from "./source.ts";

/** S3's smallest part (all but the last) of a multipart upload. */
export const MIN_PART_BYTES = 5 << 20;
/** S3's largest part. */
const MAX_PART_BYTES = 5 * 1024 ** 3;
/** Objects at least this large are rewritten by multipart upload, copying unchanged parts server-side. */
export const MULTIPART_MIN_BYTES = 2 * MIN_PART_BYTES;

/** Where and how to reach an S3-compatible bucket. */
export interface S3Options {
  /** Bucket name. Required. */
  bucket: string;
  /** Endpoint URL, e.g. `http://127.0.0.1:9000`. Default: AWS for `region`. */
  endpoint?: string;
  /** Region. Default `"us-east-1"`. */
  region?: string;
  /** Credentials. Default: the AWS SDK's chain (environment, profile…). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Path-style addressing (`endpoint/bucket/key`); MinIO needs it. Default: true when `endpoint` is set. */
  forcePathStyle?: boolean;
  /**
   * Only keys under this folder are reachable; keys are relative to it (a
   * trailing `/` is added if missing). Default `""`: the whole bucket.
   */
  prefix?: string;
  /** Attempts per request, including the first (SDK retry with backoff and jitter). Default 4. */
  maxAttempts?: number;
  /** Bytes fetched by the opening GET (the head of the object). Default 65536. */
  headBytes?: number;
  /** Milliseconds a request may take before it is aborted and retried. Default 30000. */
  requestTimeoutMs?: number;
}

type Sdk = typeof import("npm:@aws-sdk/client-s3@3.1175.0");
let sdk: Promise<Sdk> | undefined;

/** The AWS SDK, imported on first use. */
function loadSdk(): Promise<Sdk> {
  sdk ??= import("npm:@aws-sdk/client-s3@3.1175.0");
  return sdk;
}

/**
 * Opens objects of one bucket as {@link ByteSource}s.
 *
 * @example Read the first bytes of an object
 * ```ts
 * import { S3Provider } from "@seekframe/seekframe";
 *
 * const s3 = new S3Provider({ bucket: "videos", endpoint: "http://127.0.0.1:9000" });
 * const src = await s3.open("clips/a.mp4");
 * console.log(src.size, src.etag, await src.read(0, 16));
 * await s3.close();
 * ```
 */
export class S3Provider implements SourceProvider {
  /** `s3://bucket/prefix` and the endpoint's origin (no credentials). */
  readonly description: string;
  /** Requests sent, bytes received and retries, over every object. */
  readonly stats: IoStats = newIoStats();
  readonly #bucket: Bucket;
  readonly #prefix: string;
  readonly #headBytes: number;

  /**
   * Checks the options; the SDK client is made on the first request.
   *
   * @param options The bucket and how to reach it.
   */
  constructor(options: S3Options) {
    if (typeof options?.bucket !== "string" || options.bucket === "") {
      throw new InvalidArgumentError("s3.bucket must be a non-empty string");
    }
    // A prefix is a folder: without the slash, "videos" would reach "videos-private/" too.
    this.#prefix = options.prefix && !options.prefix.endsWith("/") ? `${options.prefix}/` : options.prefix ?? "";
    this.#headBytes = options.headBytes ?? 65536;
    if (!Number.isInteger(this.#headBytes) || this.#headBytes < 1) {
      throw new InvalidArgumentError("s3.headBytes, when provided, must be a positive integer");
    }
    this.#bucket = new Bucket(options, this.stats);
    this.description = `s3://${options.bucket}/${this.#prefix}` +
      (options.endpoint ? ` at ${new URL(options.endpoint).origin}` : "");
  }

  /** Opens `key` (relative to the prefix) with one ranged GET of its head. */
  async open(key: string, cost?: RequestCost): Promise<ByteSource> {
    checkKey(key);
    const objectKey = this.#prefix + key;
    const { body, size, etag } = await this.#bucket.get(key, objectKey, `bytes=0-${this.#headBytes - 1}`);
    if (cost) {
      cost.requests++;
      cost.bytesFetched += body.byteLength;
    }
    return new S3Source(this.#bucket, this.location(key), key, objectKey, size, etag, body);
  }

  /** A page of the keys under the prefix that start with `prefix` (ListObjectsV2). */
  list(prefix: string, options: { cursor?: string; limit?: number } = {}): Promise<ObjectList> {
    return this.#bucket.list(this.#prefix, prefix, options);
  }

  /**
   * Writes a new version, conditional on the old one's ETag (`If-Match`).
   * Objects of {@link MULTIPART_MIN_BYTES} or more become a multipart upload
   * in which unchanged runs of at least {@link MIN_PART_BYTES} are copied
   * server-side (UploadPartCopy, pinned with `x-amz-copy-source-if-match`)
   * and only the rest is sent; smaller ones are one PUT.
   */
  commit(
    source: ByteSource,
    edits: ObjectEdits,
    read: (offset: number, length: number) => Promise<Uint8Array>,
  ): Promise<CommitResult> {
    return this.#bucket.commit(source.key, this.#prefix + source.key, source, edits, read);
  }

  /** A source for a version known from an index, without a request; its reads are pinned to it. */
  openVersion(key: string, version: { etag: string; size: number }): ByteSource {
    checkKey(key);
    const objectKey = this.#prefix + key;
    const source = new S3Source(
      this.#bucket,
      this.location(key),
      key,
      objectKey,
      version.size,
      version.etag,
      new Uint8Array(),
    );
    source.confirmedAt = 0; // known from an index, not from storage
    return source;
  }

  /** `s3:` + the description + the object key. */
  location(key: string): string {
    return `s3:${this.description}:${this.#prefix + checkKey(key)}`;
  }

  /** Closes the SDK client. */
  async close(): Promise<void> {
    await this.#bucket.close();
  }
}

/** The requests to one bucket (module-private: sources use it, users never see it). */
class Bucket {
  readonly #options: S3Options;
  readonly #stats: IoStats;
  #client?: Promise<S3Client>;

  constructor(options: S3Options, stats: IoStats) {
    this.#options = options;
    this.#stats = stats;
  }

  #connect(): Promise<S3Client> {
    const o = this.#options;
    this.#client ??= loadSdk().then(({ S3Client }) =>
      new S3Client({
        region: o.region ?? "us-east-1",
        endpoint: o.endpoint,
        credentials: o.credentials,
        forcePathStyle: o.forcePathStyle ?? o.endpoint !== undefined,
        maxAttempts: o.maxAttempts ?? 4,
        requestHandler: {
          requestTimeout: o.requestTimeoutMs ?? 30_000,
          // Without it the SDK only warns when the timeout passes, and a stalled server hangs the read.
          throwOnRequestTimeout: true,
          // A body that stops coming mid-way is cut off too.
          socketTimeout: o.requestTimeoutMs ?? 30_000,
          connectionTimeout: 5_000,
        },
      })
    );
    return this.#client;
  }

  /**
   * A ranged GET, with errors mapped to seekframe's error classes. A body cut
   * short (a reset mid-body, or fewer bytes than `expected`) is fetched again,
   * up to `maxAttempts` times in all: the SDK retries requests, not bodies.
   */
  async get(
    key: string,
    objectKey: string,
    range: string,
    ifMatch?: string,
    expected?: number,
  ): Promise<{ body: Uint8Array; size: number; etag: string }> {
    const attempts = this.#options.maxAttempts ?? 4;
    for (let attempt = 1;; attempt++) {
      try {
        const got = await this.#getOnce(key, objectKey, range, ifMatch);
        if (expected !== undefined && got.body.byteLength !== expected) {
          throw new StorageError(
            `short read of ${JSON.stringify(key)}: asked ${expected} bytes (${range}), got ${got.body.byteLength}`,
          );
        }
        return got;
      } catch (err) {
        if (!(err instanceof BodyError || (err instanceof StorageError && err.message.startsWith("short read")))) {
          throw err;
        }
        if (attempt >= attempts) throw err instanceof BodyError ? err.error : err;
        this.#stats.retries++;
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt * (0.5 + Math.random())));
      }
    }
  }

  async #getOnce(
    key: string,
    objectKey: string,
    range: string,
    ifMatch?: string,
  ): Promise<{ body: Uint8Array; size: number; etag: string }> {
    const [client, { GetObjectCommand }] = await Promise.all([this.#connect(), loadSdk()]);
    this.#stats.requests++;
    let out;
    try {
      out = await client.send(
        new GetObjectCommand({
          Bucket: this.#options.bucket,
          Key: objectKey,
          Range: range,
          IfMatch: ifMatch === undefined ? undefined : `"${ifMatch}"`,
        }),
      );
    } catch (err) {
      throw mapS3Error(err, key);
    }
    // The SDK retries inside send(); its metadata says how often.
    this.#stats.retries += Math.max(0, (out.$metadata.attempts ?? 1) - 1);
    let body: Uint8Array;
    try {
      body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      throw new BodyError(
        new StorageError(`reading ${JSON.stringify(key)} failed mid-body: ${errText(err)}`, undefined, {
          cause: err,
        }),
      );
    }
    this.#stats.bytesFetched += body.byteLength;
    // A body shorter than its headers said broke off (a proxy or connection cut it).
    const promised = out.ContentLength ?? rangeLength(out.ContentRange);
    if (promised !== undefined && body.byteLength !== promised) {
      throw new BodyError(
        new StorageError(`short read of ${JSON.stringify(key)}: ${promised} bytes promised, ${body.byteLength} came`),
      );
    }
    const size = sizeFromContentRange(out.ContentRange) ?? body.byteLength;
    const etag = (out.ETag ?? "").replaceAll('"', "");
    return { body, size, etag };
  }

  /** A HEAD pinned to `etag`: no bytes, but a 412 if the object changed. */
  async head(key: string, objectKey: string, etag: string): Promise<void> {
    const [client, { HeadObjectCommand }] = await Promise.all([this.#connect(), loadSdk()]);
    this.#stats.requests++;
    try {
      const out = await client.send(
        new HeadObjectCommand({ Bucket: this.#options.bucket, Key: objectKey, IfMatch: `"${etag}"` }),
      );
      this.#stats.retries += Math.max(0, (out.$metadata.attempts ?? 1) - 1);
    } catch (err) {
      throw mapS3Error(err, key);
    }
  }

  /** One page of ListObjectsV2, keys made relative to `base`. */
  async list(base: string, prefix: string, options: { cursor?: string; limit?: number }): Promise<ObjectList> {
    const [client, { ListObjectsV2Command }] = await Promise.all([this.#connect(), loadSdk()]);
    this.#stats.requests++;
    let out;
    try {
      out = await client.send(
        new ListObjectsV2Command({
          Bucket: this.#options.bucket,
          Prefix: base + prefix,
          ContinuationToken: options.cursor,
          MaxKeys: options.limit ?? 1000,
        }),
      );
    } catch (err) {
      const mapped = mapS3Error(err, prefix);
      if (mapped instanceof StorageError && mapped.status === 400 && options.cursor !== undefined) {
        throw new InvalidArgumentError("cursor is not one a listing of this bucket gave");
      }
      throw mapped;
    }
    const objects = (out.Contents ?? [])
      .filter((o) => o.Key !== undefined && o.Key.startsWith(base) && !o.Key.endsWith("/"))
      .map((o) => ({ key: o.Key!.slice(base.length), size: o.Size ?? 0, modified: o.LastModified?.getTime() }));
    return out.IsTruncated && out.NextContinuationToken ? { objects, cursor: out.NextContinuationToken } : { objects };
  }

  /** See {@link S3Provider.commit}. */
  async commit(
    key: string,
    objectKey: string,
    old: { size: number; etag: string },
    edits: ObjectEdits,
    read: (offset: number, length: number) => Promise<Uint8Array>,
  ): Promise<CommitResult> {
    const sdk = await loadSdk();
    const client = await this.#connect();
    const Bucket = this.#options.bucket;
    const ifMatch = `"${old.etag}"`;
    let requests = 0;
    const send = async <T>(request: () => Promise<T>): Promise<T> => {
      requests++;
      this.#stats.requests++;
      try {
        return await request();
      } catch (err) {
        throw mapS3Error(err, key);
      }
    };
    if (edits.size < MULTIPART_MIN_BYTES) {
      const body = await newBytes(old.size, edits, 0, edits.size, read);
      const out = await send(() =>
        client.send(new sdk.PutObjectCommand({ Bucket, Key: objectKey, Body: body, IfMatch: ifMatch }))
      );
      return { etag: unquote(out.ETag), size: edits.size, bytesUploaded: body.byteLength, bytesCopied: 0, requests };
    }
    const parts = planParts(old.size, edits);
    const { UploadId } = await send(() =>
      client.send(new sdk.CreateMultipartUploadCommand({ Bucket, Key: objectKey }))
    );
    let bytesUploaded = 0, bytesCopied = 0;
    try {
      const done: { PartNumber: number; ETag?: string }[] = [];
      for (const [i, part] of parts.entries()) {
        const PartNumber = i + 1;
        if (part.copy) {
          const out = await send(() =>
            client.send(
              new sdk.UploadPartCopyCommand({
                Bucket,
                Key: objectKey,
                UploadId,
                PartNumber,
                CopySource: `${encodeURIComponent(Bucket)}/${encodeURIComponent(objectKey).replaceAll("%2F", "/")}`,
                CopySourceRange: `bytes=${part.lo}-${part.hi - 1}`,
                CopySourceIfMatch: ifMatch,
              }),
            )
          );
          bytesCopied += part.hi - part.lo;
          done.push({ PartNumber, ETag: out.CopyPartResult?.ETag });
        } else {
          const body = await newBytes(old.size, edits, part.lo, part.hi - part.lo, read);
          const out = await send(() =>
            client.send(new sdk.UploadPartCommand({ Bucket, Key: objectKey, UploadId, PartNumber, Body: body }))
          );
          bytesUploaded += body.byteLength;
          done.push({ PartNumber, ETag: out.ETag });
        }
      }
      const out = await send(() =>
        client.send(
          new sdk.CompleteMultipartUploadCommand({
            Bucket,
            Key: objectKey,
            UploadId,
            IfMatch: ifMatch,
            MultipartUpload: { Parts: done },
          }),
        )
      );
      return { etag: unquote(out.ETag), size: edits.size, bytesUploaded, bytesCopied, requests };
    } catch (err) {
      // Nothing was written: drop the parts (best effort; lifecycle rules clean up the rest).
      await send(() => client.send(new sdk.AbortMultipartUploadCommand({ Bucket, Key: objectKey, UploadId })))
        .catch(() => {});
      throw err;
    }
  }

  async close(): Promise<void> {
    // A client that could not be made has nothing to release.
    const client = await this.#client?.catch(() => undefined);
    client?.destroy();
  }
}

class S3Source implements ByteSource {
  confirmedAt: number = Date.now();
  constructor(
    readonly bucket: Bucket,
    readonly location: string,
    readonly key: string,
    readonly objectKey: string,
    readonly size: number,
    readonly etag: string,
    readonly head: Uint8Array,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`read [${offset}, ${offset + length}) outside object of ${this.size} bytes`);
    }
    if (length === 0) return new Uint8Array();
    const { body } = await this.bucket.get(
      this.key,
      this.objectKey,
      `bytes=${offset}-${offset + length - 1}`,
      this.etag,
      length,
    );
    this.confirmedAt = Date.now();
    return body;
  }

  async confirm(cost?: RequestCost): Promise<void> {
    if (cost) cost.requests++;
    await this.bucket.head(this.key, this.objectKey, this.etag);
    this.confirmedAt = Date.now();
  }
}

/** One part of a multipart rewrite: copied from the old version, or sent. */
export interface PlannedPart {
  /** First byte. */
  lo: number;
  /** One past the last byte. */
  hi: number;
  /** Copied server-side (unchanged bytes of the old version). */
  copy: boolean;
}

/**
 * The parts of a multipart rewrite: every part but the last at least
 * {@link MIN_PART_BYTES} and at most 5 GiB; unchanged runs inside the old
 * version are copied, each changed run is sent with enough unchanged bytes
 * around it to make a part.
 *
 * @example
 * ```ts
 * import { planParts } from "./s3.ts";
 *
 * // 4 KiB changed in the middle of 50 MiB: copy, send 5 MiB, copy.
 * const parts = planParts(50 << 20, { size: 50 << 20, patches: [{ lo: 25 << 20, data: new Uint8Array(4096) }] });
 * console.log(parts.map((p) => p.copy));
 * ```
 */
export function planParts(oldSize: number, edits: ObjectEdits): PlannedPart[] {
  // Changed runs: the patches, and whatever lies past the old end.
  const dirty: [number, number][] = edits.patches.map((p) => [p.lo, p.lo + p.data.byteLength]);
  if (edits.size > oldSize) dirty.push([oldSize, edits.size]);
  dirty.sort((a, b) => a[0] - b[0]);
  // Grow each run to a whole part, to the right, and merge. The last part may be of any size, so a run
  // that reaches the end is not grown.
  const sent: [number, number][] = [];
  for (const [lo, hi0] of dirty) {
    const hi = Math.min(edits.size, Math.max(hi0, lo + MIN_PART_BYTES));
    const last = sent[sent.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else sent.push([lo, hi]);
  }
  // The unchanged runs between them are copied; one too small to be a part (all but the last
  // must be 5 MiB) is sent with its neighbours instead.
  const runs: PlannedPart[] = [];
  let at = 0;
  for (const [lo, hi] of sent) {
    if (lo > at) runs.push({ lo: at, hi: lo, copy: true });
    runs.push({ lo, hi, copy: false });
    at = hi;
  }
  if (at < edits.size) runs.push({ lo: at, hi: edits.size, copy: true });
  const parts: PlannedPart[] = [];
  runs.forEach((run, i) => {
    if (run.copy && run.hi - run.lo < MIN_PART_BYTES && i < runs.length - 1) run.copy = false;
    const prev = parts[parts.length - 1];
    if (prev && !prev.copy && !run.copy) prev.hi = run.hi;
    else parts.push(run);
  });
  // Parts over 5 GiB are split (copies only; a sent part is never that large).
  return parts.flatMap((p) => {
    const out: PlannedPart[] = [];
    for (let lo = p.lo; lo < p.hi; lo += MAX_PART_BYTES) {
      out.push({ lo, hi: Math.min(p.hi, lo + MAX_PART_BYTES), copy: p.copy });
    }
    return out;
  });
}

function unquote(etag: string | undefined): string {
  return (etag ?? "").replaceAll('"', "");
}

/** A body that broke off after the response began (retried, unlike the SDK's own errors). */
class BodyError extends Error {
  constructor(readonly error: StorageError) {
    super(error.message);
  }
}

function rangeLength(value: string | undefined): number | undefined {
  const m = value?.match(/^bytes (\d+)-(\d+)\//);
  return m ? Number(m[2]) - Number(m[1]) + 1 : undefined;
}

function sizeFromContentRange(value: string | undefined): number | undefined {
  const m = value?.match(/\/(\d+)$/);
  return m ? Number(m[1]) : undefined;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What the SDK's service exceptions carry (checked by shape: the SDK module is loaded lazily). */
interface ServiceError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && "$fault" in err && "$metadata" in err;
}

/** Maps SDK and network errors to seekframe errors; never leaks credentials. */
function mapS3Error(err: unknown, key: string): Error {
  if (isServiceError(err)) {
    const status = err.$metadata?.httpStatusCode;
    if (err.name === "NoSuchKey" || err.name === "NotFound" || status === 404) {
      if (err.name === "NoSuchBucket") {
        return new StorageError(`bucket does not exist (${err.message})`, status, { cause: err });
      }
      return new ObjectNotFoundError(key, { cause: err });
    }
    if (status === 412 || err.name === "PreconditionFailed") {
      return new ObjectChangedError(key, { cause: err });
    }
    if (status === 416 || err.name === "InvalidRange") {
      // Reads are bounds-checked, so only an empty object gets here.
      return new CorruptMediaError(`object ${JSON.stringify(key)} is empty`, { cause: err });
    }
    if (status === 403 || status === 401) return new StorageError(deniedMessage(err.name, key), status, { cause: err });
    return new StorageError(`storage error for ${JSON.stringify(key)}: ${err.name} (HTTP ${status})`, status, {
      cause: err,
    });
  }
  if (err instanceof Error && err.name === "CredentialsProviderError") {
    return new StorageError(
      "no storage credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile), " +
        "or pass s3.credentials",
      undefined,
      { cause: err },
    );
  }
  return new StorageError(`storage unreachable while reading ${JSON.stringify(key)}: ${errText(err)}`, undefined, {
    cause: err,
  });
}

/** What a 401/403 means, by the service's error code (a HEAD's has none: "Unknown"). */
function deniedMessage(code: string, key: string): string {
  switch (code) {
    case "SignatureDoesNotMatch":
      return "the storage rejected the request signature: the secret key (AWS_SECRET_ACCESS_KEY) is wrong";
    case "InvalidAccessKeyId":
      return "the storage does not know the access key (AWS_ACCESS_KEY_ID)";
    case "ExpiredToken":
    case "TokenRefreshRequired":
      return "the storage credentials have expired (AWS_SESSION_TOKEN)";
    default:
      return `access to ${JSON.stringify(key)} denied (${code === "Unknown" ? "HTTP 403" : code}): ` +
        "the credentials may lack permission for this bucket or key";
  }
}
