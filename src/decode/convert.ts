/**
 * Worker side: decoded pictures to packed RGB24, scaled and rotated as asked.
 * swscale contexts are cached per (source size, format, output size), at
 * most {@link MAX_SCALERS} of them: `width` comes from requests, so the cache
 * must not grow with what clients ask.
 *
 * @module
 */

import { CorruptMediaError, UnsupportedMediaError } from "../errors.ts";
import { AV_PIX_FMT_RGB24, SWS_BICUBIC } from "./ffmpeg.ts";
import type { LibAV } from "./libav.ts";
import type { OutputSpec } from "./protocol.ts";
import { rotateRGB } from "./rotate.ts";

/** swscale contexts kept per worker. */
export const MAX_SCALERS = 8;

/** A picture converted to RGB24. */
export interface RGBPicture {
  /** Width in pixels (after rotation). */
  width: number;
  /** Height in pixels (after rotation). */
  height: number;
  /** Packed RGB24. */
  data: Uint8Array<ArrayBuffer>;
  /** The decoded picture's pixel format number. */
  format: number;
}

/** Converts decoded frames of one libav.js instance to RGB24. */
export class Converter {
  readonly #av: LibAV;
  // Insertion order is use order: re-inserting on use makes it an LRU.
  readonly #scalers = new Map<string, number>();

  constructor(av: LibAV) {
    this.#av = av;
  }

  /** Converts the decoded frame `src` (an AVFrame pointer) as `output` says. */
  async toRGB(src: number, output: OutputSpec): Promise<RGBPicture> {
    const av = this.#av;
    const srcWidth = await av.AVFrame_width(src);
    const srcHeight = await av.AVFrame_height(src);
    const format = await av.AVFrame_format(src);
    const [width, height] = output.width > 0 ? [output.width, output.height] : [srcWidth, srcHeight];
    const sws = await this.#scaler(srcWidth, srcHeight, format, width, height);
    const dst = await av.av_frame_alloc();
    try {
      await av.AVFrame_width_s(dst, width);
      await av.AVFrame_height_s(dst, height);
      await av.AVFrame_format_s(dst, AV_PIX_FMT_RGB24);
      const ret = await av.sws_scale_frame(sws, dst, src);
      if (ret < 0) throw new CorruptMediaError(`pixel conversion failed (${ret})`);
      const packed = await av.ff_copyout_frame_video_packed(dst);
      const data = packed.data as Uint8Array<ArrayBuffer>;
      if (data.byteLength !== width * height * 3) {
        throw new CorruptMediaError(`unexpected RGB frame size ${data.byteLength} for ${width}x${height}`);
      }
      return { ...rotateRGB(data, width, height, output.rotation), format };
    } finally {
      await av.av_frame_free_js(dst);
    }
  }

  /** Frees every context (the instance is about to be dropped or reused from scratch). */
  clear(): void {
    this.#scalers.clear();
  }

  async #scaler(sw: number, sh: number, format: number, dw: number, dh: number): Promise<number> {
    const key = `${sw}x${sh}:${format}>${dw}x${dh}`;
    let sws = this.#scalers.get(key);
    if (sws !== undefined) {
      this.#scalers.delete(key);
      this.#scalers.set(key, sws);
      return sws;
    }
    sws = await this.#av.sws_getContext(sw, sh, format, dw, dh, AV_PIX_FMT_RGB24, SWS_BICUBIC, 0, 0, 0);
    if (!sws) throw new UnsupportedMediaError(`cannot convert pixel format ${format} to RGB`);
    this.#scalers.set(key, sws);
    while (this.#scalers.size > MAX_SCALERS) {
      const [oldest, ctx] = this.#scalers.entries().next().value!;
      this.#scalers.delete(oldest);
      await this.#av.sws_freeContext(ctx);
    }
    return sws;
  }
}
