/**
 * Messages between the {@link DecoderPool} (main thread) and its Workers.
 * Plain data only, so they cross `postMessage` unchanged.
 *
 * @module
 */

import type { CodecParameters } from "../index/model.ts";
import type { ProbeResult } from "../index/build.ts";
import type { Turn } from "./rotate.ts";

/** A packet handed to the decoder. Timestamps are in the stream time base. */
export interface PacketIn {
  /** Packet bytes. */
  data: Uint8Array;
  /** Presentation timestamp. */
  pts: number;
  /** Decoding timestamp. */
  dts: number;
  /** FFmpeg packet flags (1 key, 4 discard). */
  flags: number;
  /** Byte offset in the object; with a {@link TsSpan}, `data` is empty and comes from the span. */
  offset?: number;
  /** With a {@link TsSpan}: the packet's data size, which the span must yield. */
  length?: number;
}

/**
 * MPEG-TS packets are split across 188-byte transport packets, so they cannot
 * be sliced out of the object: the worker demuxes them from the byte span
 * that holds them, after the stream's header (PAT/PMT).
 */
export interface TsSpan {
  /** The object's first bytes, before its first video packet (they hold the PAT and PMT). */
  head: Uint8Array;
  /** Where `data` starts in the object: the first packet's transport packet. */
  offset: number;
  /** The bytes through the transport packet that starts the packet after the last one. */
  data: Uint8Array;
}

/** A decoded frame in RGB24. */
export interface DecodedFrame {
  /** Presentation timestamp, stream time base. */
  pts: number;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** RGB24 pixels, row-major, `width * height * 3` bytes. */
  data: Uint8Array;
  /** The decoder's pixel format (FFmpeg `AVPixelFormat` number). */
  format: number;
}

/**
 * Feed `packets` to the stream's decoder and return the frames whose pts is in
 * `targets`. With `reset`, a new session starts at `packets[0]` (a keyframe);
 * without, the packets continue the open session (`from` must be the next
 * packet it expects), so sequential reads never decode a frame twice.
 */
export interface DecodeJobMessage {
  /** Message id. */
  id: number;
  /** Operation. */
  op: "decode";
  /** Stable id of the stream, so a worker can keep its decoder open. */
  stream: string;
  /** Codec parameters of the stream. */
  codecpar: CodecParameters;
  /** Stream time base. */
  timeBase: [number, number];
  /** Start a new session (flush the decoder) at `packets[0]`. */
  reset: boolean;
  /** Decode-order number of `packets[0]`. */
  from: number;
  /** Packets, decode order. */
  packets: PacketIn[];
  /** For MPEG-TS: where the packets' data is (see {@link TsSpan}). */
  span?: TsSpan;
  /** Wanted presentation timestamps. */
  targets: number[];
  /** Output size; 0 × 0 keeps the decoded size. */
  outWidth: number;
  /** Output height (see `outWidth`). */
  outHeight: number;
  /** Counter-clockwise turn applied after scaling (the size above is before it). */
  turn: Turn;
}

/** What a decode job returns. */
export interface DecodeResult {
  /** The wanted frames that came out (all of them unless `lost`). */
  frames: DecodedFrame[];
  /** The session was not where `from` said (or is gone): nothing was decoded; retry with `reset`. */
  lost: boolean;
  /** Whether the session can continue (with `drained`, only to hand out its `ready` frames). */
  open: boolean;
  /** The decoder was drained: it outputs nothing more until a reset, except `ready`. */
  drained: boolean;
  /** Largest pts the session has output. */
  lastPts: number;
  /** Frames output past the targets that the session keeps for the next job (their pts). */
  ready: number[];
  /** Frames the decoder output in this job (wanted or not). */
  decoded: number;
}

/** Open an object with the demuxer (reading through the main thread) and index its video stream. */
export interface ProbeJobMessage {
  /** Message id. */
  id: number;
  /** Operation. */
  op: "probe";
  /** Object size in bytes. */
  size: number;
  /** Key, for error messages. */
  key: string;
  /** Scan packets even when the container has a sample table (to cross-check the two). */
  scan?: boolean;
}

/** Main → worker: bytes for a pending read of a probe. */
export interface ReadReplyMessage {
  /** Operation. */
  op: "read-reply";
  /** Id of the probe job that asked. */
  id: number;
  /** Offset of `data`. */
  pos: number;
  /** Bytes starting at `pos` (at least what was asked, unless at the end of the object). */
  data?: Uint8Array;
  /** Set when the read failed; the probe fails with this error. */
  error?: ErrorInfo;
}

/** Worker → main: the probe `id` needs bytes. */
export interface ReadRequestMessage {
  /** Operation. */
  op: "read";
  /** Id of the probe job. */
  id: number;
  /** Offset wanted. */
  pos: number;
  /** Bytes wanted. */
  length: number;
}

/** A serialized error. */
export interface ErrorInfo {
  /** Error class name. */
  name: string;
  /** Message. */
  message: string;
  /** seekframe error code, if any. */
  code?: string;
}

/** Worker → main: a job finished. */
export type ResultMessage =
  | { op: "result"; id: number; probe: ProbeResult }
  | { op: "result"; id: number; decoded: DecodeResult }
  | { op: "error"; id: number; error: ErrorInfo };

/** Any message the worker receives. */
export type ToWorker = DecodeJobMessage | ProbeJobMessage | ReadReplyMessage;
/** Any message the worker sends. */
export type FromWorker = ResultMessage | ReadRequestMessage;
