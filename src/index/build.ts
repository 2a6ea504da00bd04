/**
 * Turns what the demuxer reported (codec parameters and the video packets in
 * decode order) into a {@link FrameIndex}: the presentation order, keyframes,
 * frame rate and duration.
 *
 * @module
 */

import { CorruptMediaError, UnsupportedMediaError } from "../errors.ts";
import {
  type CodecParameters,
  FLAG_DISCARD,
  FLAG_KEY,
  type FrameIndex,
  type PacketTable,
  type VideoInfo,
} from "./model.ts";

/** What probing an object yields; the decoder pool produces it. */
export interface ProbeResult {
  /** Container family. */
  container: VideoInfo["container"];
  /** How `packets` was obtained. */
  indexSource: VideoInfo["indexSource"];
  /** Codec parameters of the video stream. */
  codecpar: CodecParameters;
  /** Time base of the video stream. */
  timeBase: [number, number];
  /** Video packets in decode order. */
  packets: PacketTable;
  /** The container's frame rate (r_frame_rate, else avg_frame_rate) as [num, den]; [0, 1] when unknown. */
  frameRate?: [number, number];
  /** MPEG-TS: the object's bytes before the first video packet (PAT, PMT), needed to demux a span. */
  tsHead?: Uint8Array;
  /** MPEG-TS: each packet's data size (`packets.size` holds its span), to check what a span yields. */
  tsDataSizes?: Uint32Array;
}

/** FFmpeg codec ids (FFmpeg 9.0 `AVCodecID`) of the decoders this build has. */
const CODECS: Record<number, string> = {
  12: "mpeg4",
  27: "h264",
  139: "vp8",
  166: "vp9",
  172: "hevc",
  222: "av1",
};

/** Name of the decoder for an FFmpeg codec id, or undefined when this build has none. */
export function codecName(codecId: number): string | undefined {
  return CODECS[codecId];
}

/** Builds the index of one object version from a probe. */
export function buildIndex(
  object: { key: string; size: number; etag: string },
  probe: ProbeResult,
): FrameIndex {
  const codec = codecName(probe.codecpar.codec_id);
  if (!codec) {
    throw new UnsupportedMediaError(
      `unsupported video codec (FFmpeg codec id ${probe.codecpar.codec_id}) in ${JSON.stringify(object.key)}; ` +
        `supported: ${Object.values(CODECS).join(", ")}`,
    );
  }
  const { packets } = probe;
  const count = packets.pts.length;
  checkOrder(packets, JSON.stringify(object.key));
  const shown: number[] = [];
  for (let i = 0; i < count; i++) {
    if (Number.isNaN(packets.pts[i])) {
      throw new UnsupportedMediaError(`packet ${i} of ${JSON.stringify(object.key)} has no presentation timestamp`);
    }
    if (!(packets.flags[i] & FLAG_DISCARD)) shown.push(i);
  }
  shown.sort((a, b) => packets.pts[a] - packets.pts[b] || a - b);
  for (let n = 1; n < shown.length; n++) {
    if (packets.pts[shown[n]] === packets.pts[shown[n - 1]]) {
      throw new CorruptMediaError(
        `two frames of ${JSON.stringify(object.key)} share the timestamp ${packets.pts[shown[n]]}; ` +
          "their order is ambiguous",
      );
    }
  }
  const frames = Uint32Array.from(shown);
  const keyframes: number[] = [];
  frames.forEach((p, n) => {
    if (packets.flags[p] & FLAG_KEY) keyframes.push(n);
  });
  const [num, den] = probe.timeBase;
  const first = count ? packets.pts[frames[0]] : 0;
  const last = count ? packets.pts[frames[frames.length - 1]] : 0;
  const step = medianStep(packets.pts, frames);
  const duration = frames.length ? ((last - first + step) * num) / den : 0;
  const turn = rotation(probe.codecpar);
  const turned = turn % 180 !== 0;
  const codedWidth = Number(probe.codecpar.width ?? 0), codedHeight = Number(probe.codecpar.height ?? 0);
  const info: VideoInfo = {
    key: object.key,
    size: object.size,
    etag: object.etag,
    container: probe.container,
    indexSource: probe.indexSource,
    codec,
    width: turned ? codedHeight : codedWidth,
    height: turned ? codedWidth : codedHeight,
    frameCount: frames.length,
    fps: duration > 0 ? frames.length / duration : 0,
    nominalFps: probe.frameRate && probe.frameRate[1] > 0 ? probe.frameRate[0] / probe.frameRate[1] : 0,
    pixelFormat: pixelFormatName(Number(probe.codecpar.format ?? -1)),
    rotation: turn,
    duration,
    startTime: (first * num) / den,
    timeBase: [num, den],
    keyframes,
  };
  if (probe.container === "mpegts" && !probe.tsHead?.byteLength) {
    throw new CorruptMediaError(
      `${JSON.stringify(object.key)}: no MPEG-TS header (PAT, PMT) before the first video packet`,
    );
  }
  if (probe.container === "mpegts" && probe.tsDataSizes?.length !== count) {
    throw new CorruptMediaError(`the MPEG-TS index of ${JSON.stringify(object.key)} lacks its packet sizes`);
  }
  return { info, codecpar: probe.codecpar, packets, frames, tsHead: probe.tsHead, tsDataSizes: probe.tsDataSizes };
}

/** FFmpeg 9.0 `AVPixelFormat` names of the formats these decoders produce. */
const PIXEL_FORMATS: Record<number, string> = {
  0: "yuv420p",
  4: "yuv422p",
  5: "yuv444p",
  8: "gray",
  12: "yuvj420p",
  13: "yuvj422p",
  14: "yuvj444p",
  23: "nv12",
  62: "yuv420p10le",
  64: "yuv422p10le",
  68: "yuv444p10le",
  123: "yuv420p12le",
};

/** Name of an FFmpeg pixel format number, or null when unknown (MP4s are indexed without decoding). */
export function pixelFormatName(format: number): string | null {
  return PIXEL_FORMATS[format] ?? (format >= 0 ? `pix_fmt ${format}` : null);
}

/**
 * Refuses streams whose frames ffmpeg would number differently from their
 * presentation order: one that starts between keyframes or shows frames
 * before its first keyframe (decoders drop those, so every later number would
 * be off), and one whose timestamps jump back (concatenated streams, which
 * ffmpeg shows in file order). Packets are in decode order.
 */
function checkOrder(packets: PacketTable, key: string): void {
  const { pts, flags } = packets;
  if (pts.length === 0) return;
  if (!(flags[0] & FLAG_KEY)) {
    throw new UnsupportedMediaError(
      `${key} starts between keyframes; the frames before its first one cannot be decoded`,
    );
  }
  // Each GOP (decode order, from a keyframe) must show after every earlier one.
  let earlier = -Infinity, gopMin = Infinity, gopMax = -Infinity, firstGop = true;
  for (let i = 0; i <= pts.length; i++) {
    if (i === pts.length || (i > 0 && flags[i] & FLAG_KEY)) {
      if (gopMin <= earlier) {
        throw new UnsupportedMediaError(
          `the timestamps of ${key} jump back at packet ${i} (a concatenated or spliced stream); ` +
            "its frame order is ambiguous",
        );
      }
      earlier = Math.max(earlier, gopMax);
      gopMin = Infinity;
      gopMax = -Infinity;
      firstGop = i === 0;
      if (i === pts.length) break;
    }
    if (firstGop && !(flags[i] & FLAG_DISCARD) && pts[i] < pts[0]) {
      throw new UnsupportedMediaError(
        `${key} shows frames before its first keyframe (leading pictures of an open GOP); decoders drop them`,
      );
    }
    // Discarded packets (edit lists) are decoded but not shown: only shown frames must keep their order.
    if (flags[i] & FLAG_DISCARD) continue;
    gopMin = Math.min(gopMin, pts[i]);
    gopMax = Math.max(gopMax, pts[i]);
  }
}

const AV_PKT_DATA_DISPLAYMATRIX = 5;

/**
 * Counter-clockwise rotation from the stream's display matrix, as FFmpeg's
 * `av_display_rotation_get` reads it, normalized to 0, 90, 180 or 270; 0 when
 * there is none. A matrix that mirrors the picture or turns it by another
 * angle is refused: ffmpeg versions disagree on how to show it, and a frame
 * turned differently from what the user sees elsewhere would be wrong.
 */
function rotation(codecpar: CodecParameters): VideoInfo["rotation"] {
  const side = (codecpar.coded_side_data as { type: number; data: Uint8Array }[] | null | undefined)
    ?.find((d) => d.type === AV_PKT_DATA_DISPLAYMATRIX);
  if (!side || side.data.byteLength < 36) return 0;
  const m = new Int32Array(side.data.slice(0, 36).buffer);
  const scale0 = Math.hypot(m[0], m[3]), scale1 = Math.hypot(m[1], m[4]);
  if (scale0 === 0 || scale1 === 0) return 0;
  if (m[0] * m[4] - m[1] * m[3] < 0) {
    throw new UnsupportedMediaError(
      "the video's display matrix mirrors the picture; mirrored videos are not supported",
    );
  }
  const degrees = -Math.atan2(m[1] / scale1, m[0] / scale0) * 180 / Math.PI;
  const turn = ((Math.round(degrees / 90) * 90) % 360 + 360) % 360;
  if (Math.abs(((degrees - turn) % 360 + 540) % 360 - 180) > 1) {
    throw new UnsupportedMediaError(
      `the video's display matrix turns it by ${degrees.toFixed(1)}°; only right angles are supported`,
    );
  }
  return turn as VideoInfo["rotation"];
}

/** Median distance between consecutive presentation timestamps (the usual frame duration). */
function medianStep(pts: Float64Array, frames: Uint32Array): number {
  if (frames.length < 2) return 1;
  const steps = new Float64Array(frames.length - 1);
  for (let n = 1; n < frames.length; n++) steps[n - 1] = pts[frames[n]] - pts[frames[n - 1]];
  steps.sort();
  return steps[steps.length >> 1];
}
