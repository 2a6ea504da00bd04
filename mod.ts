/**
 * seekframe: exact decoded video frames, by frame number, from videos in
 * S3-compatible object storage or a local folder, fetching only the bytes a
 * frame needs.
 *
 * @example
 * ```ts
 * import { openFrameStore } from "@seekframe/seekframe";
 *
 * const store = await openFrameStore({ s3: { bucket: "videos", endpoint: "http://127.0.0.1:9000" } });
 * const frame = await store.getFrame("clips/a.mp4", 1234); // RGB24, frame.width × frame.height × 3
 * const info = await store.info("clips/a.mp4");
 * await store.close();
 * ```
 *
 * @module
 */

export {
  type Frame,
  type FramePlan,
  type FrameRequestOptions,
  FrameStore,
  type FrameStoreOptions,
  openFrameStore,
  type StoreStats,
} from "./src/store.ts";
export type { VideoInfo } from "./src/index/model.ts";
export type { ByteRange } from "./src/index/plan.ts";
export type { S3Options } from "./src/storage/s3.ts";
export { FileProvider } from "./src/storage/file.ts";
export { DiskCache, type DiskCacheOptions } from "./src/storage/disk.ts";
export { S3Provider } from "./src/storage/s3.ts";
export type { ByteSource, IoStats, SourceProvider } from "./src/storage/source.ts";
export { type BlockCacheOptions, type CacheStats, newReadStats, type ReadStats } from "./src/storage/cache.ts";
export {
  CorruptMediaError,
  type ErrorCode,
  FrameOutOfRangeError,
  InvalidArgumentError,
  ObjectChangedError,
  ObjectNotFoundError,
  SeekframeError,
  StorageError,
  StoreClosedError,
  UnsupportedMediaError,
} from "./src/errors.ts";
