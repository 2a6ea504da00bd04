/*
 * cli_rgb: 8-bit planar YUV (4:2:0 or 4:2:2) -> packed RGB24, giving the same
 * bytes as the Debian ffmpeg 5.1 CLI on x86-64: libswscale 6.7's unscaled
 * converter, whose SIMD kernels (MMXEXT, SSSE3) compute differently from
 * swscale's C table converter, the only one a wasm build has.
 *
 * Written for seekframe from a reading of how that converter computes; no
 * FFmpeg code is included. Compiled into the libav.js build by build.sh
 * (research: branch h-pixels, research/pixels/README.md).
 *
 * Arithmetic, per pixel (x, y) with chroma sample (x/2, y>>vshift):
 *   y' = Y*8 - yoff                 yoff = round(16*8) limited, 0 full range
 *   u' = U*8 - 1024,  v' = V*8 - 1024
 *   mulhi(a, k) = floor(a*k / 65536)          (16-bit signed multiply, high half)
 *   R = clip8(mulhi(y',ky) + mulhi(v',kvr))
 *   G = clip8(mulhi(y',ky) + mulhi(u',kug) + mulhi(v',kvg))
 *   B = clip8(mulhi(y',ky) + mulhi(u',kub))
 * with 16-bit coefficients k = round(c * 2^13 / 2^16), c the 16.16 matrix
 * entries from sws_getCoefficients() (limited range: luma gain 255/219 in
 * 16.16 by integer division; full range: chroma entries * 224/255).
 * Every sum stays far inside int16, so the SIMD's saturating adds never
 * saturate and the per-component terms can be tabulated.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef CLI_RGB_H
#define CLI_RGB_H

#include <stdint.h>

/* |y term| <= 1023 and |chroma term| <= 1024, so every sum of terms lies in
 * [-2047, 2047]: a clip table of 4096 entries covers them. */
#define CLI_RGB_CLIP_OFF 2048

typedef struct CliRgbTables {
    int16_t y[256];   /* mulhi(Y*8 - yoff, ky) */
    int16_t rv[256];  /* mulhi(V*8 - 1024, kvr) */
    int16_t gu[256];  /* mulhi(U*8 - 1024, kug) */
    int16_t gv[256];  /* mulhi(V*8 - 1024, kvg) */
    int16_t bu[256];  /* mulhi(U*8 - 1024, kub) */
    uint8_t clip[2 * CLI_RGB_CLIP_OFF]; /* clip[v + CLI_RGB_CLIP_OFF] = clamp(v, 0, 255) */
    int16_t ky, kvr, kug, kvg, kub, yoff; /* for the wasm SIMD loop */
} CliRgbTables;

/* inv_table: the 4 ints sws_getCoefficients(colorspace) returns
 * {v->r, u->b, u->g, v->g} (16.16). full_range: 1 for JPEG range input. */
void cli_rgb_init(CliRgbTables *t, const int inv_table[4], int full_range);

/* Converts rows [0, h) of a picture of width w; chroma row of luma row y is
 * y >> vshift (1: 4:2:0, 0: 4:2:2). Writes exactly w*3 bytes per row (odd w:
 * the last pixel uses chroma column w/2). */
void cli_rgb_convert(const CliRgbTables *t, int w, int h, int vshift,
                     const uint8_t *py, int sy, const uint8_t *pu, int su,
                     const uint8_t *pv, int sv, uint8_t *dst, int sd);

#endif
