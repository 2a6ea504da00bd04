/**
 * S3-compatible byte source (AWS S3, MinIO, R2…) on `@aws-sdk/client-s3`.
 *
 * Opening an object costs one ranged GET of its head, which also returns the
 * size and ETag (no HEAD request). Every later read is a ranged GET pinned to
 * that ETag with `If-Match`, so bytes of two object versions can never mix.
 * Revalidating a version without reading it is a HEAD with `If-Match`.
 *
 * @module
 */

import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import {
  CorruptMediaError,
  InvalidArgumentError,
  ObjectChangedError,
  ObjectNotFoundError,
  StorageError,
} from "../errors.ts";
import { type ByteSource, checkKey, type IoStats, newIoStats, type SourceProvider } from "./source.ts";

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
  /** Only keys under this prefix are reachable; keys are relative to it. Default `""`. */
  prefix?: string;
  /** Attempts per request, including the first (SDK retry with backoff and jitter). Default 4. */
  maxAttempts?: number;
  /** Bytes fetched by the opening GET (the head of the object). Default 65536. */
  headBytes?: number;
  /** Milliseconds a request may take before it is aborted and retried. Default 30000. */
  requestTimeoutMs?: number;
}

/**
 * Opens objects of one bucket as {@link ByteSource}s.
 *
 * @example
 * ```ts
 * const s3 = new S3Provider({ bucket: "videos", endpoint: "http://127.0.0.1:9000" });
 * const src = await s3.open("clips/a.mp4");
 * const firstBytes = await src.read(0, 16);
 * ```
 */
export class S3Provider implements SourceProvider {
  readonly description: string;
  readonly stats: IoStats = newIoStats();
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #headBytes: number;

  constructor(options: S3Options) {
    if (typeof options?.bucket !== "string" || options.bucket === "") {
      throw new InvalidArgumentError("s3.bucket must be a non-empty string");
    }
    this.#bucket = options.bucket;
    this.#prefix = options.prefix ?? "";
    this.#headBytes = options.headBytes ?? 65536;
    if (!Number.isInteger(this.#headBytes) || this.#headBytes < 1) {
      throw new InvalidArgumentError("s3.headBytes, when provided, must be a positive integer");
    }
    this.#client = new S3Client({
      region: options.region ?? "us-east-1",
      endpoint: options.endpoint,
      credentials: options.credentials,
      forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
      maxAttempts: options.maxAttempts ?? 4,
      requestHandler: { requestTimeout: options.requestTimeoutMs ?? 30_000, connectionTimeout: 5_000 },
    });
    this.description = `s3://${this.#bucket}/${this.#prefix}` +
      (options.endpoint ? ` at ${new URL(options.endpoint).origin}` : "");
  }

  async open(key: string): Promise<ByteSource> {
    checkKey(key);
    const objectKey = this.#prefix + key;
    const { body, size, etag } = await this.#get(key, objectKey, `bytes=0-${this.#headBytes - 1}`);
    return new S3Source(this, key, objectKey, size, etag, body);
  }

  openVersion(key: string, version: { etag: string; size: number }): ByteSource {
    checkKey(key);
    const source = new S3Source(this, key, this.#prefix + key, version.size, version.etag, new Uint8Array());
    source.confirmedAt = 0; // known from an index, not from storage
    return source;
  }

  location(key: string): string {
    return `s3:${this.description}:${this.#prefix + checkKey(key)}`;
  }

  /** One ranged GET, with errors mapped to seekframe's error classes. */
  async #get(
    key: string,
    objectKey: string,
    range: string,
    ifMatch?: string,
  ): Promise<{ body: Uint8Array; size: number; etag: string }> {
    let out: GetObjectCommandOutput;
    this.stats.requests++;
    try {
      out = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key: objectKey,
          Range: range,
          IfMatch: ifMatch === undefined ? undefined : `"${ifMatch}"`,
        }),
      );
    } catch (err) {
      throw mapS3Error(err, key);
    }
    // The SDK retries inside send(); its metadata says how often.
    this.stats.retries += Math.max(0, (out.$metadata.attempts ?? 1) - 1);
    let body: Uint8Array;
    try {
      body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      throw new StorageError(`reading ${JSON.stringify(key)} failed: ${errText(err)}`, undefined, {
        cause: err,
      });
    }
    this.stats.bytesFetched += body.byteLength;
    const size = sizeFromContentRange(out.ContentRange) ?? body.byteLength;
    const etag = (out.ETag ?? "").replaceAll('"', "");
    return { body, size, etag };
  }

  /** Used by {@link S3Source}: a HEAD pinned to its ETag. */
  async head(source: S3Source): Promise<void> {
    this.stats.requests++;
    try {
      const out = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#bucket, Key: source.objectKey, IfMatch: `"${source.etag}"` }),
      );
      this.stats.retries += Math.max(0, (out.$metadata.attempts ?? 1) - 1);
    } catch (err) {
      throw mapS3Error(err, source.key);
    }
  }

  /** Used by {@link S3Source}: a pinned ranged GET. */
  async getRange(source: S3Source, offset: number, length: number): Promise<Uint8Array> {
    const { body } = await this.#get(
      source.key,
      source.objectKey,
      `bytes=${offset}-${offset + length - 1}`,
      source.etag,
    );
    if (body.byteLength !== length) {
      throw new StorageError(
        `short read of ${JSON.stringify(source.key)}: asked ${length} bytes at ${offset}, got ${body.byteLength}`,
      );
    }
    return body;
  }

  close(): Promise<void> {
    this.#client.destroy();
    return Promise.resolve();
  }
}

class S3Source implements ByteSource {
  readonly id: string;
  confirmedAt: number = Date.now();
  constructor(
    readonly provider: S3Provider,
    readonly key: string,
    readonly objectKey: string,
    readonly size: number,
    readonly etag: string,
    readonly head: Uint8Array,
  ) {
    this.id = `${provider.location(key)}@${etag}`;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`read [${offset}, ${offset + length}) outside object of ${this.size} bytes`);
    }
    if (length === 0) return Promise.resolve(new Uint8Array());
    return this.provider.getRange(this, offset, length).then((bytes) => {
      this.confirmedAt = Date.now();
      return bytes;
    });
  }

  async confirm(): Promise<void> {
    await this.provider.head(this);
    this.confirmedAt = Date.now();
  }
}

function sizeFromContentRange(value: string | undefined): number | undefined {
  const m = value?.match(/\/(\d+)$/);
  return m ? Number(m[1]) : undefined;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Maps SDK and network errors to seekframe errors; never leaks credentials. */
function mapS3Error(err: unknown, key: string): Error {
  if (err instanceof S3ServiceException) {
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
    if (status === 403 || status === 401) {
      return new StorageError(`access to ${JSON.stringify(key)} denied (${err.name})`, status, {
        cause: err,
      });
    }
    return new StorageError(`storage error for ${JSON.stringify(key)}: ${err.name} (HTTP ${status})`, status, {
      cause: err,
    });
  }
  return new StorageError(`storage unreachable while reading ${JSON.stringify(key)}: ${errText(err)}`, undefined, {
    cause: err,
  });
}
