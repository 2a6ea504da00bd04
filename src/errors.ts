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
  | "closed";

/**
 * Base class of every error seekframe throws on purpose.
 *
 * @example
 * ```ts
 * try {
 *   await store.getFrame("clip.mp4", 10_000);
 * } catch (err) {
 *   if (err instanceof FrameOutOfRangeError) console.log(err.message);
 * }
 * ```
 */
export class SeekframeError extends Error {
  /** Stable code, see {@link ErrorCode}. */
  readonly code: ErrorCode;
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
  constructor(key: string, options?: ErrorOptions) {
    super("not_found", `object not found: ${JSON.stringify(key)}`, options);
    this.key = key;
  }
}

/** A frame index or time outside the video. The message names the valid range. */
export class FrameOutOfRangeError extends SeekframeError {
  /** Number of frames in the video. */
  readonly frameCount: number;
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
  constructor(message: string, options?: ErrorOptions) {
    super("unsupported", message, options);
  }
}

/** The media is corrupt or truncated, or decoding did not produce the expected frame. */
export class CorruptMediaError extends SeekframeError {
  constructor(message: string, options?: ErrorOptions) {
    super("corrupt", message, options);
  }
}

/** Storage could not be reached, refused access, or failed after retries. */
export class StorageError extends SeekframeError {
  /** HTTP status from the storage service, when there was one. */
  readonly status?: number;
  constructor(message: string, status?: number, options?: ErrorOptions) {
    super("storage", message, options);
    this.status = status;
  }
}

/** The object was replaced while it was being read (ETag no longer matches). */
export class ObjectChangedError extends SeekframeError {
  constructor(key: string, options?: ErrorOptions) {
    super(
      "changed",
      `object ${JSON.stringify(key)} changed while it was being read; retry to read the new version`,
      options,
    );
  }
}

/** An argument has the wrong type or value. The message names it and what is accepted. */
export class InvalidArgumentError extends SeekframeError {
  constructor(message: string) {
    super("invalid_argument", message);
  }
}

/** The store was used after `close()`. */
export class StoreClosedError extends SeekframeError {
  constructor() {
    super("closed", "the frame store is closed");
  }
}
