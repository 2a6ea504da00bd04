/**
 * seekframe: exact decoded video frames, by frame number, from videos in
 * S3-compatible object storage or a local folder, fetching only the bytes a
 * frame needs.
 *
 * The data path, one stage per folder: a {@link SourceProvider} opens
 * objects (`src/storage/`), a {@link BlockCache} serves their bytes, a
 * container module and the index say which packets a frame needs
 * (`src/container/`, `src/index/`, persisted by an {@link IndexStore}),
 * decoder Workers turn them into pixels (`src/decode/`), encoders into bytes
 * (`src/encode/`), and the sidecar serves them (`./server`).
 *
 * @example Frames from a bucket
 * ```ts
 * import { openFrameStore } from "@seekframe/seekframe";
 *
 * await using store = await openFrameStore({ s3: { bucket: "videos", endpoint: "http://127.0.0.1:9000" } });
 * const frame = await store.getFrame("clips/a.mp4", 1234); // RGB24, frame.width × frame.height × 3
 * const info = await store.info("clips/a.mp4");
 * ```
 *
 * @module
 */

export {
  type Frame,
  type FramePlan,
  type FrameRequestOptions,
  FrameStore,
  type FrameStoreParts,
  type InfoOptions,
  openFrameStore,
  openRemoteFile,
  type PlannedRun,
  type RemoteFileOptions,
  type StoreStats,
  type VerifyOptions,
  type VerifyReport,
} from "./src/frame_store.ts";
export { RemoteFile, type RemoteFileInfo, type RemoteFileParts } from "./src/storage/remote_file.ts";
export type { FrameStoreOptions, IndexProgress, RangeProfile } from "./src/options.ts";
export type { ContainerName, IndexSource } from "./src/container/container.ts";
export type { CodecParameters, PacketTable, ProbeResult, SpanLayout, VideoInfo } from "./src/index/model.ts";
export type { ByteRange, RangePolicy } from "./src/index/plan.ts";
export { type IndexStore, MemoryIndexStore, type ObjectVersion, type StoredIndex } from "./src/index/index_store.ts";
export { KvIndexStore } from "./src/index/kv.ts";
export type { IndexStoreStats } from "./src/index/resilient.ts";
export { type S3Options, S3Provider } from "./src/storage/s3.ts";
export { FileProvider } from "./src/storage/file.ts";
export { DiskCache, type DiskCacheOptions, type Extent } from "./src/storage/disk.ts";
export type {
  ByteSource,
  CommitResult,
  IoStats,
  ListedObject,
  ObjectEdits,
  ObjectList,
  RequestCost,
  SourceProvider,
} from "./src/storage/source.ts";
export {
  BlockCache,
  type BlockCacheOptions,
  type CacheStats,
  newReadStats,
  type ReadMode,
  type ReadStats,
} from "./src/storage/cache.ts";
export {
  CorruptMediaError,
  DecoderError,
  type ErrorCode,
  FrameOutOfRangeError,
  IndexStoreError,
  InvalidArgumentError,
  ObjectChangedError,
  ObjectNotFoundError,
  SeekframeError,
  StorageError,
  StoreClosedError,
  UnsupportedMediaError,
} from "./src/errors.ts";
