/**
 * Turns what the demuxer reported (a {@link ProbeResult}: the video stream's
 * facts and its packets in decode order) into a {@link FrameIndex}: the
 * presentation order, keyframes, frame rate and duration.
 *
 * @module
 */

import { CorruptMediaError, UnsupportedMediaError } from "../errors.ts";
import { containerNamed } from "../container/registry.ts";
import { markLayoutDamage } from "./damage.ts";
import {
  FLAG_DISCARD,
  FLAG_KEY,
  type FrameIndex,
  type PacketTable,
  type ProbeResult,
  type VideoInfo,
} from "./model.ts";

/**
 * Builds the index of one object version from a probe. Throws
 * {@link UnsupportedMediaError} for streams whose frames ffmpeg would number
 * differently from their presentation order (see {@link checkOrder}).
 *
 * @example
 * ```ts
 * import { buildIndex } from "./build.ts";
 * import { DecoderPool } from "../decode/pool.ts";
 *
 * const bytes = await Deno.readFile("./videos/sample.mp4");
 * const pool = new DecoderPool({ workers: 1 });
 * const probe = await pool.probe("sample.mp4", bytes.byteLength, (pos, n) => Promise.resolve(bytes.slice(pos, pos + n)));
 * await pool.close();
 * const index = buildIndex({ key: "sample.mp4", size: bytes.byteLength, etag: "e1" }, probe);
 * console.log(index.info.frameCount, index.info.keyframes);
 * ```
 */
export function buildIndex(
  object: { key: string; size: number; etag: string },
  probe: ProbeResult,
): FrameIndex {
  const { packets } = probe;
  const count = packets.pts.length;
  const key = JSON.stringify(object.key);
  if (!containerNamed(probe.container).storedWhole && probe.spans?.dataSizes.length !== count) {
    throw new CorruptMediaError(`the index of ${key} lacks the span layout of its packets`);
  }
  checkOrder(packets, key);
  // Packets whose place and size cannot be right: their frames and those after are refused.
  const damage = new Map<number, string>();
  markLayoutDamage(packets, {
    objectSize: object.size,
    storedWhole: containerNamed(probe.container).storedWhole,
    dataSizes: probe.spans?.dataSizes,
  }, damage);
  const shown: number[] = [];
  for (let i = 0; i < count; i++) {
    if (Number.isNaN(packets.pts[i])) {
      throw new UnsupportedMediaError(`packet ${i} of ${key} has no presentation timestamp`);
    }
    if (!(packets.flags[i] & FLAG_DISCARD)) shown.push(i);
  }
  shown.sort((a, b) => packets.pts[a] - packets.pts[b] || a - b);
  for (let n = 1; n < shown.length; n++) {
    if (packets.pts[shown[n]] === packets.pts[shown[n - 1]]) {
      throw new CorruptMediaError(
        `two frames of ${key} share the timestamp ${packets.pts[shown[n]]}; their order is ambiguous`,
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
  const turned = probe.rotation % 180 !== 0;
  const [rateNum, rateDen] = probe.frameRate;
  const info: VideoInfo = {
    key: object.key,
    size: object.size,
    etag: object.etag,
    container: probe.container,
    indexSource: probe.indexSource,
    codec: probe.codec,
    width: turned ? probe.height : probe.width,
    height: turned ? probe.width : probe.height,
    frameCount: frames.length,
    fps: duration > 0 ? frames.length / duration : 0,
    nominalFps: rateDen > 0 ? rateNum / rateDen : 0,
    pixelFormat: probe.pixelFormat,
    rotation: probe.rotation,
    duration,
    startTime: (first * num) / den,
    timeBase: [num, den],
    keyframes,
  };
  return { info, codecpar: probe.codecpar, packets, frames, spans: probe.spans, damage };
}

/**
 * Refuses streams whose frames ffmpeg would number differently from their
 * presentation order: one that starts between keyframes or shows frames
 * before its first keyframe (decoders drop those, so every later number would
 * be off), and one whose timestamps jump back (concatenated streams, which
 * ffmpeg shows in file order). Packets are in decode order.
 */
export function checkOrder(packets: PacketTable, key: string): void {
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

/** Median distance between consecutive presentation timestamps (the usual frame duration). */
function medianStep(pts: Float64Array, frames: Uint32Array): number {
  if (frames.length < 2) return 1;
  const steps = new Float64Array(frames.length - 1);
  for (let n = 1; n < frames.length; n++) steps[n - 1] = pts[frames[n]] - pts[frames[n - 1]];
  steps.sort();
  return steps[steps.length >> 1];
}
