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
   * trusts the version while it is open (see `revalidateMs`).
   */
  confirm?(): Promise<void>;
}

/** Opens keys into {@link ByteSource}s. */
export interface SourceProvider {
  /** Human-readable description for logs, e.g. `s3://bucket/prefix` (no secrets). */
  readonly description: string;
  /** Counters summed over every source this provider opened. */
  readonly stats: IoStats;
  /**
   * Opens a key. Throws {@link ObjectNotFoundError}, {@link StorageError}
   * or {@link InvalidArgumentError} for keys that may not be read.
   */
  open(key: string): Promise<ByteSource>;
  /**
   * A source for a version of the object known from elsewhere (a stored
   * index), without a request. Its reads fail with {@link ObjectChangedError}
   * if the object is no longer that version.
   */
  openVersion(key: string, version: { etag: string; size: number }): ByteSource;
  /** Where `key` lives, independent of its version: distinct for every object this provider can open. */
  location(key: string): string;
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
  if (key.length > 1024) {
    throw new InvalidArgumentError("key must be at most 1024 characters");
  }
  if (key.includes("\0")) {
    throw new InvalidArgumentError("key must not contain NUL characters");
  }
  if (key.split("/").some((part) => part === ".." || part === ".")) {
    throw new InvalidArgumentError(
      `key ${JSON.stringify(key)} must not contain "." or ".." segments`,
    );
  }
  if (key.startsWith("/")) {
    throw new InvalidArgumentError(`key ${JSON.stringify(key)} must not start with "/"`);
  }
  return key;
}
