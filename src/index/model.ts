/**
 * The frame index: what the container says about the video stream, and a
 * table of its packets, built once per object version. Frame N is the N-th
 * frame in presentation order, as `ffmpeg -vf "select=eq(n\,N)"` counts:
 * packets the demuxer marks to be discarded (edit lists) are decoded for
 * reference but not counted.
 *
 * Columns are typed arrays so a long video's table stays compact.
 *
 * @module
 */

import type { ContainerName, IndexSource } from "../container/container.ts";

/**
 * The decoder's parameters for the stream, as the decoder layer copied them
 * out of FFmpeg (plain data; `extradata` is bytes). Opaque to the index: it is
 * stored and handed back to the decoder as is.
 */
export type CodecParameters = Record<string, unknown> & { codec_id: number; extradata?: Uint8Array };

/** Packet flag: keyframe (random access point). */
export const FLAG_KEY = 1;
/** Packet flag: decode but do not show (edit lists). Same value as FFmpeg's AV_PKT_FLAG_DISCARD. */
export const FLAG_DISCARD = 4;
/** Packet flag: no later picture depends on it, so a decoder heading for a later frame may skip it. */
export const FLAG_DISPOSABLE = 8;
/**
 * Packet flag: {@link FLAG_DISPOSABLE} is known: the packet's bytes were
 * looked at (a scan looks at every packet; an index from an MP4 sample table
 * learns it when the packet first passes through), or the MP4's `sdtp` box
 * says other samples depend on it, or (H.264, HEVC) that none does.
 */
export const FLAG_CLASSIFIED = 16;

/**
 * Packet flag: the packet cannot be right (found from its size and place, its
 * bytes, or while decoding). Native ffmpeg may drop its picture, which shifts
 * the number of every later frame, and pictures decoded from it differ
 * between decoders; so no frame at or after it (presentation order), nor one
 * decoded after it, is served. See `src/index/damage.ts`.
 */
export const FLAG_DAMAGED = 32;

/**
 * Packet flag: the packet's framing was checked from its bytes (a scan checks
 * every packet; an index from an MP4 sample table when the packet first
 * passes through, whatever its `sdtp` entry already told).
 */
export const FLAG_CHECKED = 64;

/**
 * Packet flag, on the keyframe a decode job starts at: a verification decoded
 * that job through a drain, and marked any damage it found
 * ({@link FrameStore.verify}).
 */
export const FLAG_VERIFIED = 128;

/** The flags a classifier's verdict sets: disposable, needed, or (undefined) not judged, which counts as needed. */
export function classifiedFlags(verdict: boolean | undefined): number {
  return FLAG_CLASSIFIED | (verdict ? FLAG_DISPOSABLE : 0);
}

/** The packets of the video stream, in decode order, one column per field. */
export interface PacketTable {
  /** Byte offset of the packet's data in the object. */
  offset: Float64Array;
  /**
   * Size of the packet's data in bytes. MPEG-TS splits packets across
   * transport packets: there it is the span from `offset` through the
   * transport packet that starts the next video packet.
   */
  size: Uint32Array;
  /** Presentation timestamp, in `timeBase` units. */
  pts: Float64Array;
  /** Decoding timestamp, in `timeBase` units. */
  dts: Float64Array;
  /** {@link FLAG_KEY} | {@link FLAG_DISCARD} | {@link FLAG_DISPOSABLE} | {@link FLAG_CLASSIFIED} | {@link FLAG_DAMAGED} | {@link FLAG_CHECKED} | {@link FLAG_VERIFIED}. */
  flags: Uint8Array;
}

/** What {@link FrameStore.info} returns: facts about the video, safe to serialize as JSON. */
export interface VideoInfo {
  /** The object key. */
  key: string;
  /** Object size in bytes. */
  size: number;
  /** Object ETag (or file tag). */
  etag: string;
  /** Container family: `"mp4"` (MP4/MOV), `"matroska"` (MKV/WebM) or `"mpegts"` (MPEG-TS, M2TS). */
  container: ContainerName;
  /** How the packet table was built: from the container's sample table, or by scanning packets. */
  indexSource: IndexSource;
  /** Codec name as FFmpeg gives it, e.g. `"h264"`, `"hevc"`, `"vp9"`. */
  codec: string;
  /**
   * Width of the frames returned, in pixels: the picture as displayed, so the
   * coded height when {@link VideoInfo.rotation} is 90 or 270.
   */
  width: number;
  /** Height of the frames returned, in pixels (see {@link VideoInfo.width}). */
  height: number;
  /** Number of frames (presentation order, discarded frames excluded). */
  frameCount: number;
  /** Average frames per second over the whole stream (frame count / duration). */
  fps: number;
  /** The container's nominal frame rate; 0 when it gives none. */
  nominalFps: number;
  /**
   * Decoded pixel format as FFmpeg names it (e.g. `"yuv420p"`). Null until a
   * frame has been decoded when the container does not say.
   */
  pixelFormat: string | null;
  /**
   * Counter-clockwise display rotation from the container's display matrix:
   * 0, 90, 180 or 270 degrees. Frames are returned turned by it, as ffmpeg's
   * autorotate shows them.
   */
  rotation: 0 | 90 | 180 | 270;
  /** Seconds from the first frame's start to the last frame's end. */
  duration: number;
  /** Presentation time of frame 0 in seconds. */
  startTime: number;
  /** Stream time base as [numerator, denominator]. */
  timeBase: [number, number];
  /** Frame indices (presentation order) of the keyframes. */
  keyframes: number[];
}

/**
 * Where packets lie when they are not stored whole (MPEG-TS): each packet's
 * table entry is the span of bytes holding it, which the decoder layer demuxes
 * after `head`.
 */
export interface SpanLayout {
  /** The object's bytes before its first video packet (they hold the PAT and PMT), whole transport packets. */
  head: Uint8Array;
  /** Each packet's data size (the table's `size` holds its span), to check what a span yields. */
  dataSizes: Uint32Array;
}

/**
 * What probing an object yields, and the form in which indexes are stored
 * (see `src/index/codec.ts`): plain facts from the demuxer, no derived data.
 */
export interface ProbeResult {
  /** Container family. */
  container: ContainerName;
  /** How `packets` was obtained. */
  indexSource: IndexSource;
  /** Codec name as FFmpeg gives it. */
  codec: string;
  /** Codec parameters of the video stream, for the decoder. */
  codecpar: CodecParameters;
  /** Coded width in pixels. */
  width: number;
  /** Coded height in pixels. */
  height: number;
  /** Pixel format as FFmpeg names it, or null when the container does not say. */
  pixelFormat: string | null;
  /** Counter-clockwise display rotation from the container's display matrix. */
  rotation: VideoInfo["rotation"];
  /** Time base of the video stream. */
  timeBase: [number, number];
  /** The container's frame rate (r_frame_rate, else avg_frame_rate) as [num, den]; [0, 1] when unknown. */
  frameRate: [number, number];
  /** Video packets in decode order. */
  packets: PacketTable;
  /** Where packets lie when the container does not store them whole. */
  spans?: SpanLayout;
}

/** A video's complete index. */
export interface FrameIndex {
  /** Public facts. */
  info: VideoInfo;
  /** Codec parameters for the decoder. */
  codecpar: CodecParameters;
  /** Video packets in decode order. */
  packets: PacketTable;
  /** `frames[n]` is the decode-order packet number of frame n (presentation order). */
  frames: Uint32Array;
  /** Where packets lie when the container does not store them whole. */
  spans?: SpanLayout;
  /** Why packets are marked {@link FLAG_DAMAGED}, where this process found out (not stored). */
  damage?: Map<number, string>;
  /** What is wrong with the codec configuration, when native ffmpeg decodes nothing of the stream. */
  configDamage?: string;
}
