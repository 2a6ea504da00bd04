/**
 * Messages between the {@link DecoderPool} (main thread) and its Workers.
 * Plain data only, so they cross `postMessage` unchanged. Results are
 * discriminated unions: the worker and the session state machine on the main
 * thread read the same `kind`s.
 *
 * @module
 */

import type { WireError } from "../errors.ts";
import type { CodecParameters, ProbeResult } from "../index/model.ts";
import type { Rotation } from "./rotate.ts";

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
}

/** A packet to be demuxed out of a {@link DecodeInput} span. */
export interface SpanPacket {
  /** Where the packet starts in the object. */
  offset: number;
  /** Its data size, which the span must yield whole. */
  length: number;
  /** Presentation timestamp. */
  pts: number;
  /** Decoding timestamp. */
  dts: number;
  /** FFmpeg packet flags. */
  flags: number;
}

/**
 * The packets of a job: either each packet's bytes, or (for containers that
 * do not store packets whole, like MPEG-TS) one byte span of the object that
 * the worker demuxes after the stream's `head` (PAT, PMT).
 */
export type DecodeInput =
  | { kind: "packets"; packets: PacketIn[] }
  | {
    kind: "span";
    /** The object's bytes before its first video packet. */
    head: Uint8Array;
    /** Where `data` starts in the object. */
    offset: number;
    /** The span's bytes. */
    data: Uint8Array;
    /** The packets to find in it, decode order. */
    packets: SpanPacket[];
  };

/** How decoded frames come back. */
export interface OutputSpec {
  /**
   * `"rgb24"`: packed RGB, scaled then rotated as below. `"native"`: the
   * decoded picture itself, laid out as FFmpeg's `rawvideo` of its pixel
   * format (no scaling, no rotation).
   */
  pixels: "rgb24" | "native";
  /** Width to scale to before rotating; 0 keeps the decoded size. */
  width: number;
  /** Height to scale to before rotating (0 with `width` 0). */
  height: number;
  /** Counter-clockwise rotation applied after scaling. */
  rotation: Rotation;
}

/** A decoded frame. */
export interface DecodedFrame {
  /** Presentation timestamp, stream time base. */
  pts: number;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** The pixels: packed RGB24, or the native picture (see {@link OutputSpec.pixels}). */
  data: Uint8Array;
  /** Layout of `data`: `"rgb24"`, or the decoder's pixel format as FFmpeg names it. */
  layout: string;
  /** The decoder's pixel format, as FFmpeg names it. */
  pixelFormat: string;
}

/**
 * Feed the input's packets to the session's decoder and return the frames
 * whose pts is in `targets`. With `start`, a new session starts at the first
 * packet (a keyframe); without, the packets continue the open session (`from`
 * must be the next packet it expects), so sequential reads never decode a
 * frame twice.
 */
export interface DecodeJobMessage {
  /** Message id. */
  id: number;
  /** Operation. */
  op: "decode";
  /** Decoder session, so a worker keeps its decoder open between jobs. */
  session: string;
  /** Codec parameters of the stream. */
  codecpar: CodecParameters;
  /** Stream time base. */
  timeBase: [number, number];
  /** Start a new session at the first packet. */
  start: boolean;
  /** Decode-order number of the first packet the job covers. */
  from: number;
  /**
   * Decode-order number of the last packet it covers. Packets in between that
   * no later picture needs may be left out of `input` (skipped, not decoded).
   */
  to: number;
  /** The packets to feed. */
  input: DecodeInput;
  /** Wanted presentation timestamps. */
  targets: number[];
  /** Size and rotation of the frames returned. */
  output: OutputSpec;
  /** Pictures past the targets the session may keep for later jobs (default 16, at most 64). */
  keep?: number;
  /**
   * Drain the decoder after the last packet even with no targets, so every
   * picture fed comes out and is checked (a verification). Default false.
   */
  drain?: boolean;
}

/** Where a decoder session stands after a job. */
export type SessionState =
  /** It takes more packets; `ready` frames (decoded past the targets) wait for a later job. */
  | { state: "open"; lastPts: number; ready: number[] }
  /** It was drained: it takes no more packets, but still hands out its `ready` frames. */
  | { state: "drained"; ready: number[] }
  /** Nothing is left of it. */
  | { state: "closed" };

/**
 * Damage a decoder session saw (vendor/libav/README.md, "Decoder session"):
 * the decoder failed on a packet, concealed or flagged a picture, logged an
 * error, dropped a picture or output pictures out of order. The pictures that
 * came out after it are not returned.
 */
export interface DecodeDamage {
  /** What was seen, in words. */
  reason: string;
  /** Pts of the packet it was first seen in (NaN when unknown). */
  pts: number;
  /** Its dts (NaN when unknown). */
  dts: number;
  /** The lowest pts damage was seen at (NaN when unknown). */
  minPts: number;
  /** Targets that came out after the damage, whose pictures are not returned. */
  refused: number[];
}

/** What a decode job returns. */
export type DecodeResult =
  /** The session was not where `from` said (or is gone): nothing was decoded; start a new one. */
  | { kind: "lost" }
  | {
    kind: "decoded";
    /** The wanted frames that came out. */
    frames: DecodedFrame[];
    /** Frames the decoder output in this job (wanted or not). */
    decoded: number;
    /** The session after the job. */
    session: SessionState;
    /** Damage the session saw, in this job or before (then it stays until a new start). */
    damage?: DecodeDamage;
  };

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
  error?: WireError;
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

/** Main → worker, first: the compiled libav.js module to instantiate. */
export interface InitMessage {
  /** Operation. */
  op: "init";
  /** Compiled once on the main thread. */
  module: WebAssembly.Module;
}

/** Main → worker: finish loading and the current job, then answer {@link ClosedMessage}. */
export interface CloseMessage {
  /** Operation. */
  op: "close";
}

/** Worker → main: nothing is running or loading; the worker can be terminated. */
export interface ClosedMessage {
  /** Operation. */
  op: "closed";
}

/** Worker → main: a job finished. */
export type ResultMessage =
  | { op: "probed"; id: number; probe: ProbeResult; heapBytes?: number }
  | { op: "decoded"; id: number; result: DecodeResult; heapBytes?: number }
  | { op: "error"; id: number; error: WireError; heapBytes?: number };

/** Any message the worker receives. */
export type ToWorker = InitMessage | DecodeJobMessage | ProbeJobMessage | ReadReplyMessage | CloseMessage;
/** Any message the worker sends. */
export type FromWorker = ResultMessage | ReadRequestMessage | ClosedMessage;
