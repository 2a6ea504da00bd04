/**
 * The first stage of the data path: a {@link ByteSource} is one immutable
 * version of one object, read by byte ranges. A {@link SourceProvider} opens
 * keys (S3 objects, local files) into sources. Everything downstream (cache,
 * index, decoder) sees only these two interfaces.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";

/** Request counters of a source or provider. All fields only grow. */
export interface IoStats {
  /** Ranged GETs (or file reads) sent to storage. */
  requests: number;
  /** Bytes received from storage. */
  bytesFetched: number;
  /** Requests that failed and were retried. */
  retries: number;
}

/** What one call costs in storage requests; a caller may pass one to have it counted. */
export interface RequestCost {
  /** Requests sent to storage. */
  requests: number;
  /** Bytes received from storage. */
  bytesFetched: number;
}

/** One version of one object, readable by byte range. */
export interface ByteSource {
  /** The key this source was opened with. */
  readonly key: string;
  /**
   * Where the object lives, independent of its version (as
   * {@link SourceProvider.location} gives it). With {@link etag} it names
   * this version in caches and indexes.
   */
  readonly location: string;
  /** Size in bytes. */
  readonly size: number;
  /** Storage ETag (quotes removed) or, for files, a size+mtime tag. */
  readonly etag: string;
  /**
   * Bytes fetched while opening (the head of the object), so the first read
   * of them costs no request. May be empty.
   */
  readonly head: Uint8Array;
  /**
   * Reads `length` bytes at `offset`. The range must lie inside the object.
   * Throws {@link ObjectChangedError} if the object was replaced since open.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * When storage last vouched for this version (ms since the epoch): when it
   * was opened, and after each read, since reads are pinned to the version.
   * 0 for a version known from elsewhere ({@link SourceProvider.openVersion}).
   */
  readonly confirmedAt?: number;
  /**
   * Asks storage whether the object is still this version, reading no bytes
   * (S3: a conditional HEAD). Throws {@link ObjectChangedError} if it was
   * replaced, {@link ObjectNotFoundError} if it is gone. Without it, a store
   * trusts the version while it is open (see `revalidateMs`). The request is
   * added to `cost` when given.
   */
  confirm?(cost?: RequestCost): Promise<void>;
}

/** One object of a listing. */
export interface ListedObject {
  /** Its key (relative to the provider's prefix or folder). */
  key: string;
  /** Size in bytes. */
  size: number;
  /** Last modification time (ms since the epoch), when known. */
  modified?: number;
}

/** A page of a listing. */
export interface ObjectList {
  /** Objects in key order. */
  objects: ListedObject[];
  /** Pass it back for the next page; absent on the last. */
  cursor?: string;
}

/**
 * A new version of an object, as changes to the version it replaces: every
 * byte outside `patches` keeps that version's value (zero past its end).
 */
export interface ObjectEdits {
  /** Size of the new version. */
  size: number;
  /** Changed byte runs: sorted, not overlapping, inside `[0, size)`. */
  patches: { lo: number; data: Uint8Array }[];
}

/** What committing {@link ObjectEdits} did. */
export interface CommitResult {
  /** The new version's ETag. */
  etag: string;
  /** Its size. */
  size: number;
  /** Bytes sent to storage. */
  bytesUploaded: number;
  /** Bytes storage copied from the old version without sending them (S3: UploadPartCopy). */
  bytesCopied: number;
  /** Requests sent (reads of the old version excluded). */
  requests: number;
}

/** Opens keys into {@link ByteSource}s. */
export interface SourceProvider {
  /** Human-readable description for logs, e.g. `s3://bucket/prefix` (no secrets). */
  readonly description: string;
  /** Counters summed over every source this provider opened. */
  readonly stats: IoStats;
  /**
   * Opens a key. Throws {@link ObjectNotFoundError}, {@link StorageError}
   * or {@link InvalidArgumentError} for keys that may not be read. Requests
   * made are added to `cost` when given.
   */
  open(key: string, cost?: RequestCost): Promise<ByteSource>;
  /**
   * A source for a version of the object known from elsewhere (a stored
   * index), without a request. Its reads fail with {@link ObjectChangedError}
   * if the object is no longer that version.
   */
  openVersion(key: string, version: { etag: string; size: number }): ByteSource;
  /** Where `key` lives, independent of its version: distinct for every object this provider can open. */
  location(key: string): string;
  /**
   * A page of the objects whose keys start with `prefix`, in key order
   * (`limit` at most, default 1000). Absent when the provider cannot list.
   */
  list?(prefix: string, options?: { cursor?: string; limit?: number }): Promise<ObjectList>;
  /**
   * Writes `edits` as a new version of the object `source` is a version of,
   * only if it is still that version (else {@link ObjectChangedError}, and
   * nothing is written). `read` gives the old version's bytes (through the
   * cache) where the new version needs them. Absent when the provider is
   * read-only.
   */
  commit?(
    source: ByteSource,
    edits: ObjectEdits,
    read: (offset: number, length: number) => Promise<Uint8Array>,
  ): Promise<CommitResult>;
  /** Releases clients and handles. */
  close(): Promise<void>;
}

/** The identity of a source's object version: its location and ETag. */
export function sourceId(source: Pick<ByteSource, "location" | "etag">): string {
  return `${source.location}@${source.etag}`;
}

/** A zeroed {@link IoStats}. */
export function newIoStats(): IoStats {
  return { requests: 0, bytesFetched: 0, retries: 0 };
}

/** Validates an object key: non-empty, no NUL, no `..` segments, bounded length. */
export function checkKey(key: unknown): string {
  if (typeof key !== "string" || key.length === 0) {
    throw new InvalidArgumentError("key must be a non-empty string");
  }
  // S3 limits keys to 1,024 bytes of UTF-8.
  if (new TextEncoder().encode(key).byteLength > 1024) {
    throw new InvalidArgumentError("key must be at most 1024 bytes of UTF-8");
  }
  // Control characters, and U+FFFD (what a query's invalid UTF-8 decodes to: two bad keys would name one object).
  // deno-lint-ignore no-control-regex -- control characters are what it looks for
  if (/[\u0000-\u001f\u007f\ufffd]/.test(key)) {
    throw new InvalidArgumentError(`key ${JSON.stringify(key)} must not contain control characters or invalid UTF-8`);
  }
  if (key.includes("\\")) {
    throw new InvalidArgumentError(`key ${JSON.stringify(key)} must not contain backslashes`);
  }
  if (key.split("/").some((part) => part === ".." || part === ".")) {
    throw new InvalidArgumentError(
      `key ${JSON.stringify(key)} must not contain "." or ".." segments`,
    );
  }
  if (key.startsWith("/") || key.includes("//")) {
    throw new InvalidArgumentError(`key ${JSON.stringify(key)} must not start with "/" or contain empty segments`);
  }
  return key;
}
