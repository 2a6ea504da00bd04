/*
 * cli_rgb: see cli_rgb.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "cli_rgb.h"

/* A 16.16 matrix entry scaled to the converter's 16-bit multiplier:
 * (f * 2^13 + 2^15) >> 16, saturated the way the converter saturates. */
static int16_t coeff16(int64_t f)
{
    int64_t r = (f * 8192 + 32768) >> 16;
    if (r < -0x7FFF) return -0x8000;
    if (r > 0x7FFF) return 0x7FFF;
    return (int16_t) r;
}

/* High half of a signed 16x16 multiply: floor(a*k / 2^16), without relying
 * on >> of a negative number. */
static int mulhi(int a, int k)
{
    int32_t p = (int32_t) a * k;
    return p >= 0 ? p >> 16 : -(int) (((uint32_t) -p + 0xFFFF) >> 16);
}

static inline uint8_t clip8(int v)
{
    return v < 0 ? 0 : v > 255 ? 255 : (uint8_t) v;
}

void cli_rgb_init(CliRgbTables *t, const int inv_table[4], int full_range)
{
    int64_t crv = inv_table[0], cbu = inv_table[1];
    int64_t cgu = -inv_table[2], cgv = -inv_table[3];
    int64_t cy = 1 << 16, oy = 0;
    if (!full_range) {
        cy = cy * 255 / 219;
        oy = 16 << 16;
    } else {
        crv = crv * 224 / 255;
        cbu = cbu * 224 / 255;
        cgu = cgu * 224 / 255;
        cgv = cgv * 224 / 255;
    }
    int ky = coeff16(cy), kvr = coeff16(crv), kub = coeff16(cbu);
    int kug = coeff16(cgu), kvg = coeff16(cgv);
    /* The luma offset goes through the same rounding with 2^3 instead of 2^13. */
    int yoff = (int) ((oy * 8 + 32768) >> 16);
    t->ky = ky; t->kvr = kvr; t->kug = kug; t->kvg = kvg; t->kub = kub; t->yoff = yoff;
    for (int i = 0; i < 256; i++) {
        int yy = (int16_t) (i * 8 - yoff);
        int cc = i * 8 - 1024;
        t->y[i] = (int16_t) mulhi(yy, ky);
        t->rv[i] = (int16_t) mulhi(cc, kvr);
        t->gu[i] = (int16_t) mulhi(cc, kug);
        t->gv[i] = (int16_t) mulhi(cc, kvg);
        t->bu[i] = (int16_t) mulhi(cc, kub);
    }
    for (int v = -CLI_RGB_CLIP_OFF; v < CLI_RGB_CLIP_OFF; v++)
        t->clip[v + CLI_RGB_CLIP_OFF] = clip8(v);
}

/* Pixels x and x+1 of one row, which share one chroma sample (r, g, b). */
#define PAIR(o, yr, x)                       \
    do {                                     \
        int y0 = ty[(yr)[x]];                \
        int y1 = ty[(yr)[(x) + 1]];          \
        (o)[0] = clip[y0 + r];               \
        (o)[1] = clip[y0 + g];               \
        (o)[2] = clip[y0 + b];               \
        (o)[3] = clip[y1 + r];               \
        (o)[4] = clip[y1 + g];               \
        (o)[5] = clip[y1 + b];               \
    } while (0)

/* The last pixel of an odd-width row: chroma column w/2, as the SIMD (which
 * works in blocks of 8, into the row padding) uses it. */
#define LAST(o, yr, x)                       \
    do {                                     \
        int y0 = ty[(yr)[x]];                \
        (o)[0] = clip[y0 + r];               \
        (o)[1] = clip[y0 + g];               \
        (o)[2] = clip[y0 + b];               \
    } while (0)

#ifdef __wasm_simd128__
#include <wasm_simd128.h>

/* The converter's own 16-bit lane arithmetic: mulhi is the high half of a
 * 16x16 product (arithmetic, so a floor), the clamp a saturating narrow. */
static inline __attribute__((always_inline)) v128_t mulhi8(v128_t a, v128_t k)
{
    v128_t lo = wasm_i32x4_extmul_low_i16x8(a, k), hi = wasm_i32x4_extmul_high_i16x8(a, k);
    return wasm_i8x16_shuffle(lo, hi, 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31);
}

/* Chroma terms of 8 chroma samples (16 pixels): r, g, b as 16-bit lanes. */
typedef struct { v128_t r, g, b; } Chroma8;

static inline __attribute__((always_inline)) Chroma8 chroma8(const CliRgbTables *t, const uint8_t *ur, const uint8_t *vr)
{
    v128_t off = wasm_i16x8_splat(1024);
    v128_t u = wasm_i16x8_sub(wasm_i16x8_shl(wasm_u16x8_load8x8(ur), 3), off);
    v128_t v = wasm_i16x8_sub(wasm_i16x8_shl(wasm_u16x8_load8x8(vr), 3), off);
    Chroma8 c;
    c.r = mulhi8(v, wasm_i16x8_splat(t->kvr));
    c.g = wasm_i16x8_add(mulhi8(u, wasm_i16x8_splat(t->kug)), mulhi8(v, wasm_i16x8_splat(t->kvg)));
    c.b = mulhi8(u, wasm_i16x8_splat(t->kub));
    return c;
}

/* Each chroma lane twice: for pixels 0-7 (lanes 0-3) and 8-15 (lanes 4-7). */
#define DUP_LO(x) wasm_i8x16_shuffle(x, x, 0, 1, 0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 7, 6, 7)
#define DUP_HI(x) wasm_i8x16_shuffle(x, x, 8, 9, 8, 9, 10, 11, 10, 11, 12, 13, 12, 13, 14, 15, 14, 15)

/* 16 pixels of one row: luma yr[0..15], chroma c, out o[0..47]. */
static inline __attribute__((always_inline)) void row16(const CliRgbTables *t, const uint8_t *yr, Chroma8 c, uint8_t *o)
{
    v128_t ky = wasm_i16x8_splat(t->ky), yoff = wasm_i16x8_splat(t->yoff);
    v128_t y8 = wasm_v128_load(yr);
    v128_t y0 = mulhi8(wasm_i16x8_sub(wasm_i16x8_shl(wasm_u16x8_extend_low_u8x16(y8), 3), yoff), ky);
    v128_t y1 = mulhi8(wasm_i16x8_sub(wasm_i16x8_shl(wasm_u16x8_extend_high_u8x16(y8), 3), yoff), ky);
    v128_t r = wasm_u8x16_narrow_i16x8(wasm_i16x8_add(y0, DUP_LO(c.r)), wasm_i16x8_add(y1, DUP_HI(c.r)));
    v128_t g = wasm_u8x16_narrow_i16x8(wasm_i16x8_add(y0, DUP_LO(c.g)), wasm_i16x8_add(y1, DUP_HI(c.g)));
    v128_t b = wasm_u8x16_narrow_i16x8(wasm_i16x8_add(y0, DUP_LO(c.b)), wasm_i16x8_add(y1, DUP_HI(c.b)));
    /* interleave to RGBRGB...: 48 bytes, two shuffles per 16 */
    v128_t rg0 = wasm_i8x16_shuffle(r, g, 0, 16, 0, 1, 17, 0, 2, 18, 0, 3, 19, 0, 4, 20, 0, 5);
    v128_t rg1 = wasm_i8x16_shuffle(r, g, 21, 0, 6, 22, 0, 7, 23, 0, 8, 24, 0, 9, 25, 0, 10, 26);
    v128_t rg2 = wasm_i8x16_shuffle(r, g, 0, 11, 27, 0, 12, 28, 0, 13, 29, 0, 14, 30, 0, 15, 31, 0);
    wasm_v128_store(o, wasm_i8x16_shuffle(rg0, b, 0, 1, 16, 3, 4, 17, 6, 7, 18, 9, 10, 19, 12, 13, 20, 15));
    wasm_v128_store(o + 16, wasm_i8x16_shuffle(rg1, b, 0, 21, 2, 3, 22, 5, 6, 23, 8, 9, 24, 11, 12, 25, 14, 15));
    wasm_v128_store(o + 32, wasm_i8x16_shuffle(rg2, b, 26, 1, 2, 27, 4, 5, 28, 7, 8, 29, 10, 11, 30, 13, 14, 31));
}
#endif

/* One row (4:2:2 rows, or the last row of an odd-height 4:2:0 picture). */
static void cli_rgb_row(const CliRgbTables *t, int w, const uint8_t *restrict yr,
                        const uint8_t *restrict ur, const uint8_t *restrict vr, uint8_t *restrict o)
{
    const int16_t *restrict ty = t->y;
    const uint8_t *restrict clip = t->clip + CLI_RGB_CLIP_OFF;
    int x = 0;
#ifdef __wasm_simd128__
    for (; x + 16 <= w; x += 16, o += 48)
        row16(t, yr + x, chroma8(t, ur + (x >> 1), vr + (x >> 1)), o);
#endif
    for (; x + 1 < w; x += 2) {
        int U = ur[x >> 1], V = vr[x >> 1];
        int r = t->rv[V], g = t->gu[U] + t->gv[V], b = t->bu[U];
        PAIR(o, yr, x);
        o += 6;
    }
    if (x < w) {
        int U = ur[x >> 1], V = vr[x >> 1];
        int r = t->rv[V], g = t->gu[U] + t->gv[V], b = t->bu[U];
        LAST(o, yr, x);
    }
}

void cli_rgb_convert(const CliRgbTables *t, int w, int h, int vshift,
                     const uint8_t *py, int sy, const uint8_t *pu, int su,
                     const uint8_t *pv, int sv, uint8_t *dst, int sd)
{
    const int16_t *restrict ty = t->y, *restrict trv = t->rv, *restrict tgu = t->gu;
    const int16_t *restrict tgv = t->gv, *restrict tbu = t->bu;
    const uint8_t *restrict clip = t->clip + CLI_RGB_CLIP_OFF;
    int y = 0;
    /* 4:2:0: two rows per chroma row, its terms looked up once */
    for (; vshift && y + 1 < h; y += 2) {
        const uint8_t *restrict y0r = py + (long) y * sy;
        const uint8_t *restrict y1r = y0r + sy;
        const uint8_t *restrict ur = pu + (long) (y >> 1) * su;
        const uint8_t *restrict vr = pv + (long) (y >> 1) * sv;
        uint8_t *restrict o0 = dst + (long) y * sd;
        uint8_t *restrict o1 = o0 + sd;
        int x = 0;
#ifdef __wasm_simd128__
        for (; x + 16 <= w; x += 16, o0 += 48, o1 += 48) {
            Chroma8 c = chroma8(t, ur + (x >> 1), vr + (x >> 1));
            row16(t, y0r + x, c, o0);
            row16(t, y1r + x, c, o1);
        }
#endif
        for (; x + 1 < w; x += 2) {
            int U = ur[x >> 1], V = vr[x >> 1];
            int r = trv[V], g = tgu[U] + tgv[V], b = tbu[U];
            PAIR(o0, y0r, x);
            PAIR(o1, y1r, x);
            o0 += 6;
            o1 += 6;
        }
        if (x < w) {
            int U = ur[x >> 1], V = vr[x >> 1];
            int r = trv[V], g = tgu[U] + tgv[V], b = tbu[U];
            LAST(o0, y0r, x);
            LAST(o1, y1r, x);
        }
    }
    for (; y < h; y++)
        cli_rgb_row(t, w, py + (long) y * sy, pu + (long) (y >> vshift) * su,
                    pv + (long) (y >> vshift) * sv, dst + (long) y * sd);
}
