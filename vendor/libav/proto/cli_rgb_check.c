/*
 * Every (Y, U, V) through cli_rgb_convert (its wasm SIMD blocks and its scalar
 * tail, 4:2:0 and 4:2:2 rows), for each matrix swscale has and both ranges,
 * against the converter's arithmetic (cli_rgb.h) computed directly.
 *
 *   emcc -O2 -msimd128 -sENVIRONMENT=node -I.. -o /tmp/check.js cli_rgb_check.c ../cli_rgb.c
 *   node --no-experimental-fetch /tmp/check.js      # wasm SIMD
 *   cc -O2 -I.. -o /tmp/check cli_rgb_check.c ../cli_rgb.c && /tmp/check   # scalar
 *
 * (emcc 3.1.6 needs acorn on NODE_PATH, e.g. <scratch>/src/node_modules; node
 * 20 needs --no-experimental-fetch for 3.1.6's loader.)
 */
#include <stdio.h>
#include "cli_rgb.h"

/* sws_getCoefficients: BT.709, FCC, BT.601 (also SMPTE 170M, BT.470BG), SMPTE 240M, BT.2020 */
static const int coeffs[][4] = {
    { 117489, 138438, 13975, 34925 }, { 104597, 132201, 25675, 53279 }, { 104448, 132798, 24759, 53109 },
    { 117579, 136230, 16907, 35559 }, { 110013, 140363, 12277, 42626 },
};

static int mulhi(long a, long k) { return (int) ((a * k) >> 16); }
static int clip8(int v) { return v < 0 ? 0 : v > 255 ? 255 : v; }

int main(void)
{
    enum { W = 256 + 7 }; /* 16 SIMD blocks, then an odd 7-pixel scalar tail */
    static uint8_t Y[2 * W], U[W], V[W], o[2 * W * 3];
    long bad = 0, n = 0;
    for (int m = 0; m < 5; m++)
        for (int full = 0; full < 2; full++) {
            CliRgbTables t;
            cli_rgb_init(&t, coeffs[m], full);
            for (int vshift = 0; vshift < 2; vshift++)
                for (int u = 0; u < 256; u++)
                    for (int v = 0; v < 256; v++) {
                        for (int x = 0; x < W; x++) {
                            Y[x] = x & 255;
                            Y[W + x] = 255 - (x & 255);
                        }
                        for (int x = 0; x < W / 2 + 1; x++) {
                            U[x] = u;
                            V[x] = v;
                        }
                        cli_rgb_convert(&t, W, 2, vshift, Y, W, U, 0, V, 0, o, W * 3);
                        for (int i = 0; i < 2 * W; i++, n++) {
                            int yy = mulhi(Y[i] * 8 - t.yoff, t.ky), uu = u * 8 - 1024, vv = v * 8 - 1024;
                            int r = clip8(yy + mulhi(vv, t.kvr));
                            int g = clip8(yy + mulhi(uu, t.kug) + mulhi(vv, t.kvg));
                            int b = clip8(yy + mulhi(uu, t.kub));
                            bad += o[3 * i] != r || o[3 * i + 1] != g || o[3 * i + 2] != b;
                        }
                    }
        }
    printf("%ld pixels, %ld differ\n", n, bad);
    return bad != 0;
}
