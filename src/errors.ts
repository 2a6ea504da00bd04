/**
 * Typed errors. Every failure a caller can act on has its own class, and every
 * class extends {@link SeekframeError}, so `err instanceof SeekframeError`
 * separates "the input or the storage was bad" from programming errors.
 *
 * The `code` field is stable and machine-readable; the server maps it to an
 * HTTP status without knowing the classes.
 *
 * @module
 */

/** Stable machine-readable error codes. */
export type ErrorCode =
  | "not_found"
  | "out_of_range"
  | "unsupported"
  | "corrupt"
  | "storage"
  | "changed"
  | "invalid_argument"
  | "index_store"
  | "decoder"
  | "closed";

/**
 * Base class of every error seekframe throws on purpose.
 *
 * @example Tell bad requests from failures
 * ```ts
 * import { FrameOutOfRangeError, openFrameStore, SeekframeError } from "@seekframe/seekframe";
 *
 * await using store = await openFrameStore({ dir: "./videos" });
 * try {
 *   await store.getFrame("sample.mp4", 10_000);
 * } catch (err) {
 *   if (err instanceof FrameOutOfRangeError) console.log(err.message); // names the valid range
 *   else if (err instanceof SeekframeError) console.log(err.code);
 *   else throw err;
 * }
 * ```
 */
export class SeekframeError extends Error {
  /** Stable code, see {@link ErrorCode}. */
  readonly code: ErrorCode;
  /**
   * Creates the error.
   *
   * @param code The stable code.
   * @param message What went wrong, naming the value at fault and what is accepted.
   * @param options `cause`: the underlying error.
   */
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The object (or local file) does not exist. */
export class ObjectNotFoundError extends SeekframeError {
  /** The key that was asked for. */
  readonly key: string;
  /**
   * Creates the error.
   *
   * @param key The key asked for.
   * @param options `cause`: the storage error; `message` replaces the default message.
   */
  constructor(key: string, options?: ErrorOptions & { message?: string }) {
    super("not_found", options?.message ?? `object not found: ${JSON.stringify(key)}`, options);
    this.key = key;
  }
}

/** A frame index or time outside the video. The message names the valid range. */
export class FrameOutOfRangeError extends SeekframeError {
  /** Number of frames in the video. */
  readonly frameCount: number;
  /**
   * Creates the error.
   *
   * @param requested The frame number (or a time, as text) asked for.
   * @param frameCount Frames in the video.
   * @param message Replaces the default message.
   */
  constructor(requested: number | string, frameCount: number, message?: string) {
    super(
      "out_of_range",
      message ??
        (frameCount > 0
          ? `frame ${requested} is out of range: video has ${frameCount} frames (0–${frameCount - 1})`
          : `frame ${requested} is out of range: video has no frames`),
    );
    this.frameCount = frameCount;
  }
}

/** The container or codec is not one this build handles. The message names it. */
export class UnsupportedMediaError extends SeekframeError {
  /**
   * Creates the error.
   *
   * @param message What is wrong, naming the object and the part at fault.
   * @param options `cause`: the underlying error.
   */
  constructor(message: string, options?: ErrorOptions) {
    super("unsupported", message, options);
  }
}

/** The media is corrupt or truncated, or decoding did not produce the expected frame. */
export class CorruptMediaError extends SeekframeError {
  /**
   * Creates the error.
   *
   * @param message What is wrong, naming the object and the part at fault.
   * @param options `cause`: the underlying error.
   */
  constructor(message: string, options?: ErrorOptions) {
    super("corrupt", message, options);
  }
}

/** Storage could not be reached, refused access, or failed after retries. */
export class StorageError extends SeekframeError {
  /** HTTP status from the storage service, when there was one. */
  readonly status?: number;
  /**
   * Creates the error.
   *
   * @param message What failed; never includes credentials.
   * @param status The storage service's HTTP status, if any.
   * @param options `cause`: the underlying error.
   */
  constructor(message: string, status?: number, options?: ErrorOptions) {
    super("storage", message, options);
    this.status = status;
  }
}

/** The object was replaced while it was being read (ETag no longer matches). */
export class ObjectChangedError extends SeekframeError {
  /** The key of the object. */
  readonly key: string;
  /**
   * Creates the error.
   *
   * @param key The key of the object.
   * @param options `cause`: the storage error; `message` replaces the default message.
   */
  constructor(key: string, options?: ErrorOptions & { message?: string }) {
    super(
      "changed",
      options?.message ??
        `object ${JSON.stringify(key)} changed while it was being read; retry to read the new version`,
      options,
    );
    this.key = key;
  }
}

/** An argument has the wrong type or value. The message names it and what is accepted. */
export class InvalidArgumentError extends SeekframeError {
  /**
   * Creates the error.
   *
   * @param message Names the argument and the values accepted.
   */
  constructor(message: string) {
    super("invalid_argument", message);
  }
}

/**
 * The index store (Deno KV, or your own `IndexStore`) failed. A frame
 * store does not let this reach callers: it builds indexes in memory until
 * the index store answers again.
 */
export class IndexStoreError extends SeekframeError {
  /**
   * Creates the error.
   *
   * @param message What failed.
   * @param options `cause`: the underlying error.
   */
  constructor(message: string, options?: ErrorOptions) {
    super("index_store", message, options);
  }
}

/** The store was used after `close()`. */
export class StoreClosedError extends SeekframeError {
  /** Creates the error; its message says the store is closed. */
  constructor() {
    super("closed", "the frame store is closed");
  }
}

/**
 * The decoder failed, not the media: its Worker crashed, its wasm instance
 * trapped, or it ran out of memory. seekframe retries such a job once on a fresh Worker; this is
 * thrown when that failed too. Retrying later may succeed.
 */
export class DecoderError extends SeekframeError {
  /**
   * Creates the error.
   *
   * @param message What failed.
   * @param options `cause`: the underlying error.
   */
  constructor(message: string, options?: ErrorOptions) {
    super("decoder", message, options);
  }
}

/** An error as plain data, to cross a Worker boundary (see {@link toWire} and {@link fromWire}). */
export interface WireError {
  /** Class name. */
  name: string;
  /** Message. */
  message: string;
  /** The {@link ErrorCode} of a {@link SeekframeError}. */
  code?: ErrorCode;
  /** {@link StorageError.status}. */
  status?: number;
  /** {@link ObjectNotFoundError.key} or {@link ObjectChangedError.key}. */
  key?: string;
  /** {@link FrameOutOfRangeError.frameCount}. */
  frameCount?: number;
}

/** Plain data for any thrown value; {@link fromWire} rebuilds it. */
export function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: "Error", message: String(err) };
  const wire: WireError = { name: err.name, message: err.message };
  if (err instanceof SeekframeError) wire.code = err.code;
  if (err instanceof StorageError) wire.status = err.status;
  if (err instanceof ObjectNotFoundError || err instanceof ObjectChangedError) wire.key = err.key;
  if (err instanceof FrameOutOfRangeError) wire.frameCount = err.frameCount;
  return wire;
}

/**
 * Rebuilds the error {@link toWire} described: the same {@link SeekframeError}
 * class for a known code, else a plain `Error` with the same name and message.
 */
export function fromWire(wire: WireError): Error {
  const { message } = wire;
  switch (wire.code) {
    case "not_found":
      return new ObjectNotFoundError(wire.key ?? "", { message });
    case "out_of_range":
      return new FrameOutOfRangeError("", wire.frameCount ?? 0, message);
    case "unsupported":
      return new UnsupportedMediaError(message);
    case "corrupt":
      return new CorruptMediaError(message);
    case "storage":
      return new StorageError(message, wire.status);
    case "changed":
      return new ObjectChangedError(wire.key ?? "", { message });
    case "invalid_argument":
      return new InvalidArgumentError(message);
    case "index_store":
      return new IndexStoreError(message);
    case "decoder":
      return new DecoderError(message);
    case "closed":
      return new StoreClosedError();
  }
  const err = new Error(message);
  err.name = wire.name;
  return err;
}
