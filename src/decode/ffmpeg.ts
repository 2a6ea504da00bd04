/**
 * FFmpeg 9.0 ABI numbers seekframe uses, in one place, so an FFmpeg upgrade
 * is checked here alone. Names (codecs, pixel formats) are never kept in
 * tables: they are asked of FFmpeg itself.
 *
 * @module
 */

/** `AVMEDIA_TYPE_VIDEO` (`enum AVMediaType`). */
export const AVMEDIA_TYPE_VIDEO = 0;
/** `AVDISCARD_ALL` (`enum AVDiscard`): the demuxer drops the stream's packets. */
export const AVDISCARD_ALL = 48;
/** `AVERROR_EOF`: `FFERRTAG('E','O','F',' ')`, negated. */
export const AVERROR_EOF = -541478725;
/** `AVERROR(EAGAIN)`. */
export const AVERROR_EAGAIN = -6;
/** `EIO`, reported to the block-reader device for a failed read. */
export const EIO = 5;
/** `AV_PIX_FMT_RGB24`. */
export const AV_PIX_FMT_RGB24 = 2;
/** `SWS_BICUBIC`: the ffmpeg CLI's default scaler. */
export const SWS_BICUBIC = 4;
/** `AV_FRAME_FLAG_CORRUPT`. */
export const AV_FRAME_FLAG_CORRUPT = 1;
/** `AV_PKT_FLAG_KEY`. */
export const AV_PKT_FLAG_KEY = 1;
/**
 * `AV_PKT_FLAG_CORRUPT`: the demuxer knows the packet is damaged (MPEG-TS: a
 * continuity counter gap, the transport error indicator, a PES whose length
 * does not match its header).
 */
export const AV_PKT_FLAG_CORRUPT = 2;
/** `AV_PKT_FLAG_DISCARD`: decode but do not output (edit lists). */
export const AV_PKT_FLAG_DISCARD = 4;
/** `AVINDEX_KEYFRAME` in `AVIndexEntry.flags`. */
export const AVINDEX_KEYFRAME = 1;
/** `AVINDEX_DISCARD_FRAME` in `AVIndexEntry.flags`. */
export const AVINDEX_DISCARD_FRAME = 2;
/** `AV_PKT_DATA_DISPLAYMATRIX` (`enum AVPacketSideDataType`): a 3×3 int32 matrix, 16.16 fixed point. */
export const AV_PKT_DATA_DISPLAYMATRIX = 5;
/** `AV_NOPTS_VALUE` as libav.js's lo/hi pair reads it (a double). */
export const AV_NOPTS_VALUE = -9223372036854775808;
/** `AV_LOG_FATAL`. */
export const AV_LOG_FATAL = 8;

/** A 64-bit integer from libav.js's low and high 32-bit halves. */
export function int64(lo: number, hi: number): number {
  return hi * 4294967296 + (lo >>> 0);
}

/** The low and high 32-bit halves libav.js takes for a 64-bit integer. */
export function hiLo(n: number): [number, number] {
  const hi = Math.floor(n / 4294967296);
  return [n - hi * 4294967296, hi];
}
