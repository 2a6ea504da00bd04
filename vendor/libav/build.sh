#!/usr/bin/env bash
# Build the custom libav.js variant "seekframe" (FFmpeg 9.0 -> WebAssembly ES module)
# for the seekframe project, from the sources shipped in the npm package libav.js@6.10.9.
#
#   bash vendor/libav/build.sh
#
# Requirements: emscripten (tested: Debian's emcc 3.1.6), node + npm, make, cmake (AV1),
# tar/xz, patch, sha256sum. Network: npm registry only (nothing is fetched from GitHub/ffmpeg.org).
#
# Environment overrides:
#   SEEKFRAME_LIBAV_SCRATCH  scratch/build directory   (default: <repo>/.build/libav)
#   SEEKFRAME_LIBAV_AV1      1 = include libaom AV1 decoder, 0 = leave it out (default: 1)
#   SEEKFRAME_LIBAV_JOBS     make parallelism          (default: 2)
#   SEEKFRAME_LIBAV_SIMD     1 = wasm SIMD build (variant seekframe-simd: FFmpeg with
#                            --arch=wasm -msimd128), 0 = scalar (variant seekframe) (default: 1)
#   SEEKFRAME_LIBAV_OPT      optimisation flags for FFmpeg and the link (default: -Oz)
#   SEEKFRAME_LIBAV_DIST     output directory          (default: vendor/libav/dist; VERSIONS goes
#                            to vendor/libav/VERSIONS for the default, else into that directory)
#
# Idempotent: re-running only redoes what changed. Both variants can share one scratch directory.
set -euo pipefail

LIBAVJS_VERSION=6.10.9
FFMPEG_VERSION=9.0
LIBAOM_VERSION=03087864
TERSER_VERSION=5.34.1   # pinned (same as libav.js's package-lock.json)
ACORN_VERSION=8.12.1    # pinned; needed by emscripten's JS optimizer (NODE_PATH)

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SCRATCH="${SEEKFRAME_LIBAV_SCRATCH:-$REPO/.build/libav}"
WITH_AV1="${SEEKFRAME_LIBAV_AV1:-1}"
JOBS="${SEEKFRAME_LIBAV_JOBS:-2}"
WITH_SIMD="${SEEKFRAME_LIBAV_SIMD:-1}"
OPT="${SEEKFRAME_LIBAV_OPT:--Oz}"
PKGDIR="$SCRATCH/npm"
SRC="$SCRATCH/src"
DIST="$(mkdir -p "${SEEKFRAME_LIBAV_DIST:-$HERE/dist}" && cd "${SEEKFRAME_LIBAV_DIST:-$HERE/dist}" && pwd)"
if [ "$DIST" = "$HERE/dist" ]; then VERSIONS_FILE="$HERE/VERSIONS"; else VERSIONS_FILE="$DIST/VERSIONS"; fi
# The dist files are always named libav-seekframe.*; the variant name keeps the two builds'
# FFmpeg trees apart in the scratch directory.
if [ "$WITH_SIMD" = 1 ]; then VARIANT=seekframe-simd; else VARIANT=seekframe; fi

log() { printf '\n==> %s\n' "$*"; }
run() { printf '  $ %s\n' "$*"; "$@"; }

command -v emcc >/dev/null || { echo "emcc not found (install emscripten)" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm not found" >&2; exit 1; }
# (sed reads all of it: with head, emcc could hit a closed pipe and fail the build under pipefail)
EMCC_VERSION="$(emcc --version | sed -n '1s/^emcc ([^)]*) \([0-9.]*\).*/\1/p')"
log "libav.js $LIBAVJS_VERSION / FFmpeg $FFMPEG_VERSION / emcc $EMCC_VERSION; scratch: $SCRATCH; AV1: $WITH_AV1; variant: $VARIANT"
mkdir -p "$SCRATCH"

# ---------------------------------------------------------------------------
# 1. Fetch the npm package (contains sources/: FFmpeg, libav.js build system, libaom, ...)
# ---------------------------------------------------------------------------
if [ "$(node -p "try{require('$PKGDIR/node_modules/libav.js/package.json').version}catch(e){''}")" != "$LIBAVJS_VERSION" ]; then
    log "npm install libav.js@$LIBAVJS_VERSION into $PKGDIR"
    mkdir -p "$PKGDIR"
    [ -f "$PKGDIR/package.json" ] || echo '{"name":"seekframe-libav-scratch","private":true}' > "$PKGDIR/package.json"
    (cd "$PKGDIR" && run npm install --no-audit --no-fund --ignore-scripts "libav.js@$LIBAVJS_VERSION")
else
    log "libav.js@$LIBAVJS_VERSION already present in $PKGDIR"
fi
SOURCES="$PKGDIR/node_modules/libav.js/sources"

# ---------------------------------------------------------------------------
# 2. Extract the libav.js build system and put the shipped tarballs where Make expects them
# ---------------------------------------------------------------------------
if [ ! -f "$SRC/.extracted" ]; then
    log "extracting libav.js build system into $SRC"
    mkdir -p "$SRC"
    run tar -xJf "$SOURCES/libav.js.tar.xz" -C "$SRC"
    touch "$SRC/.extracted"
fi
mkdir -p "$SRC/build"
for f in ffmpeg-$FFMPEG_VERSION.tar.xz emfiberthreads-1.3.tar.gz libaom-$LIBAOM_VERSION.tar.gz; do
    if [ ! -f "$SRC/build/$f" ]; then
        log "placing $f in build/ (so make does not download it)"
        run cp "$SOURCES/$f" "$SRC/build/$f"
    fi
done

# ---------------------------------------------------------------------------
# 3. Node tooling: pinned terser (Makefile's minifier) + acorn (emscripten optimizer)
# ---------------------------------------------------------------------------
if [ "$(node -p "try{require('$SRC/node_modules/terser/package.json').version}catch(e){''}")" != "$TERSER_VERSION" ] ||
   [ "$(node -p "try{require('$SRC/node_modules/acorn/package.json').version}catch(e){''}")" != "$ACORN_VERSION" ]; then
    log "npm install terser@$TERSER_VERSION acorn@$ACORN_VERSION in $SRC"
    (cd "$SRC" && run npm install --no-audit --no-fund --ignore-scripts --no-save \
        "terser@$TERSER_VERSION" "acorn@$ACORN_VERSION")
fi
export NODE_PATH="$SRC/node_modules${NODE_PATH:+:$NODE_PATH}"

cd "$SRC"

# ---------------------------------------------------------------------------
# 4. Fixes for emscripten 3.1.6 (all scripted, guarded so re-runs are no-ops)
# ---------------------------------------------------------------------------
log "applying emscripten-3.1.6 fixes"
# 4a. STACK_SIZE does not exist in 3.1.6; its name there is TOTAL_STACK.
if grep -q -- '-s STACK_SIZE=' Makefile; then
    run sed -i 's/-s STACK_SIZE=/-s TOTAL_STACK=/' Makefile
fi
# 4b. Build for web/worker only: the 3.1.6 Node glue uses __dirname/require (breaks in Deno).
if ! grep -q 'ENVIRONMENT=web,worker' Makefile; then
    run sed -i 's/^\t-s MODULARIZE=1 \\$/\t-s MODULARIZE=1 \\\n\t-s ENVIRONMENT=web,worker \\/' Makefile
    grep -q 'ENVIRONMENT=web,worker' Makefile || { echo "ENVIRONMENT patch failed" >&2; exit 1; }
fi
# 4c. libav.js's pre.js assigns the (newer-emscripten) global `_scriptName` without declaring it:
#     in an ES module inside a Worker (self.location defined) that is a ReferenceError.
#     3.1.6 does not use _scriptName at all, so declare it locally.
if ! grep -q 'seekframe: declare _scriptName' src/pre.js; then
    run sed -i 's|^if (typeof _scriptName === "undefined") {|var _scriptName; // seekframe: declare _scriptName (emscripten 3.1.6 has none)\nif (typeof _scriptName === "undefined") {|' src/pre.js
    grep -q 'seekframe: declare _scriptName' src/pre.js || { echo "pre.js patch failed" >&2; exit 1; }
fi
# 4d. libaom: decoder only (the FFmpeg libaom_av1 decoder needs no encoder; halves build time)
if ! grep -q 'CONFIG_AV1_ENCODER=0' mk/libaom.mk; then
    run sed -i 's/^\t\t-DCONFIG_MULTITHREAD=0$/\t\t-DCONFIG_MULTITHREAD=0 -DCONFIG_AV1_ENCODER=0/' mk/libaom.mk
    grep -q 'CONFIG_AV1_ENCODER=0' mk/libaom.mk || { echo "libaom.mk patch failed" >&2; exit 1; }
fi
# 4d2. tools/license-header.sh uses `git describe --tags` (no git checkout here): use a fixed string
if grep -q 'git describe --tags' tools/license-header.sh; then
    run sed -i "s/\$(git describe --tags)/$LIBAVJS_VERSION (custom variant seekframe, built by seekframe vendor\/libav\/build.sh)/" tools/license-header.sh
fi
# 4e. emfiberthreads 1.3 sources miss #include <stdlib.h> (clang 14: implicit declaration error)
EFT=build/emfiberthreads/emfiberthreads-1.3
run make "$EFT/Makefile"
for c in "$EFT"/src/*.c; do
    if ! grep -q '#include <stdlib.h>' "$c"; then
        run sed -i '1i #include <stdlib.h>' "$c"
    fi
done
# 4f. libaom compiles its cmake command line into the library (aom_codec_build_config), with
#     the toolchain file as a path relative to the build directory: the wasm would depend on
#     how deep the scratch directory is. Make that path absolute. If libaom was built
#     already, reinstall it (aom.pc stays as is, so FFmpeg is not reconfigured) and touch the
#     bindings so that the wasm is relinked with it.
if [ "$WITH_AV1" = 1 ]; then
    AOMCFG="build/libaom-$LIBAOM_VERSION/build-base/config/aom_config.c"
    run make "build/libaom-$LIBAOM_VERSION/build-base/Makefile"
    if grep -q 'TOOLCHAIN_FILE=\\"\.\./' "$AOMCFG"; then
        run sed -i -E 's#TOOLCHAIN_FILE=\\"(\.\./)+#TOOLCHAIN_FILE=\\"/#' "$AOMCFG"
        if [ -f build/inst/base/lib/pkgconfig/aom.pc ]; then
            (cd "build/libaom-$LIBAOM_VERSION/build-base" && run make -j"$JOBS" install >/dev/null)
            touch src/b-seekframe.c
        fi
    fi
    grep -q 'TOOLCHAIN_FILE=\\"/usr' "$AOMCFG" || { echo "aom_config.c patch failed" >&2; exit 1; }
fi
# 4g. FFmpeg 9.0's wasm SIMD HEVC idct passes elements of a constant array to
#     wasm_i16x8_const_splat, which clang 14's wasm_simd128.h refuses ("__c must be constant").
#     wasm_i16x8_splat of the same values folds to the same v128.const. (Only compiled with SIMD.)
run make "build/ffmpeg-$FFMPEG_VERSION/PATCHED"
IDCT="build/ffmpeg-$FFMPEG_VERSION/libavcodec/wasm/hevc/idct.c"
if grep -q 'wasm_i16x8_const_splat(transform\[' "$IDCT"; then
    run sed -i 's/wasm_i16x8_const_splat(transform\[/wasm_i16x8_splat(transform[/g' "$IDCT"
fi
# 4h. swscale sizes its scaling filters to the SIMD code's alignment, which changes how
#     near-zero taps are trimmed and so a coefficient here and there: to scale exactly as
#     the x86-64 ffmpeg CLI does, use x86's alignment (horizontal 4, vertical 2, and x86's
#     exception for 1-tap vertical filters). swscale's C code runs filters of any size.
SWSU="build/ffmpeg-$FFMPEG_VERSION/libswscale/utils.c"
if ! grep -q 'seekframe: x86 filter alignment' "$SWSU"; then
    run sed -i \
        -e 's/const int filterAlign = X86_MMX(cpu_flags)     ? 4 :/const int filterAlign = 1 \/* seekframe: x86 filter alignment *\/ ? 4 :/' \
        -e 's/const int filterAlign = X86_MMX(cpu_flags)     ? 2 :/const int filterAlign = 1 \/* seekframe: x86 filter alignment *\/ ? 2 :/' \
        -e 's/if (HAVE_MMX \&\& cpu_flags \& AV_CPU_FLAG_MMX || have_neon(cpu_flags)) {/if (1 \/* seekframe: x86 filter alignment *\/) {/' \
        "$SWSU"
    [ "$(grep -c 'seekframe: x86 filter alignment' "$SWSU")" = 3 ] || { echo "utils.c patch failed" >&2; exit 1; }
fi

# ---------------------------------------------------------------------------
# 5. Custom bindings + funcs.json entries + variant config
# ---------------------------------------------------------------------------
log "installing seekframe bindings and funcs.json entries"
# cli_rgb.c is named src/b-*.c because the Makefile relinks when one of those
# changes; it does not look at headers, so a changed cli_rgb.h touches them.
if ! cmp -s "$HERE/seekframe-bindings.c" src/b-seekframe.c; then
    run cp "$HERE/seekframe-bindings.c" src/b-seekframe.c
fi
if ! cmp -s "$HERE/cli_rgb.c" src/b-seekframe-cli_rgb.c; then
    run cp "$HERE/cli_rgb.c" src/b-seekframe-cli_rgb.c
fi
if ! cmp -s "$HERE/cli_rgb.h" src/cli_rgb.h; then
    run cp "$HERE/cli_rgb.h" src/cli_rgb.h
    run touch src/b-seekframe.c src/b-seekframe-cli_rgb.c
fi
node - <<'EOF'
const fs = require("fs");
const f = JSON.parse(fs.readFileSync("funcs.json", "utf8"));
// 4th element: doc for tools/mk-types-dts.js (parameter names + comment in libav.types.d.ts)
const doc = (raw, ...names) => ({doc: {raw: "/**\n * " + raw + "\n */", param: names.map(declname => ({declname}))}});
const want = {
    functions: [
        ["seekframe_index_count", "number", ["number", "number"],
            doc("seekframe: number of demuxer index entries of a stream (negative AVERROR on error).", "fmt_ctx", "stream_index")],
        ["seekframe_index_read", "number", ["number", "number", "number", "number"],
            doc("seekframe: write up to max index entries x 5 doubles (pos, dts, pts, size, flags) at out (malloc'd, read with copyout_f64). pts is exact for mov/mp4 (as mov_finalize_packet gives), NaN otherwise; flags: AVINDEX_* | 16 if an mp4 sdtp box tells whether samples depend on it, | 8 if none does. Returns count or negative AVERROR.", "fmt_ctx", "stream_index", "out", "max")],
        ["seekframe_mov_is_fragmented", "number", ["number"],
            doc("seekframe: 1 if the mov demuxer saw fragments, 0 if not, -1 if not the mov demuxer.", "fmt_ctx")],
        ["seekframe_stream_info", "number", ["number", "number", "number"],
            doc("seekframe: write 12 doubles at out: tb num/den, start_time, duration, nb_frames, avg_frame_rate num/den, r_frame_rate num/den, video_delay, index entries, mov dts_shift. Returns 12 or negative AVERROR.", "fmt_ctx", "stream_index", "out")],
        ["seekframe_packet_pos", "number", ["number"],
            doc("seekframe: AVPacket.pos as a double (-1 if unknown).", "pkt")],
        ["seekframe_session_open", "number", ["number", "number", "number"],
            doc("seekframe: open a decoder session for an AVCodecParameters* and the stream time base. Returns the session pointer (> 0) or a negative AVERROR.", "codecpar", "tb_num", "tb_den")],
        ["seekframe_session_reset", "number", ["number"],
            doc("seekframe: flush the session's decoder (next packet starts at a keyframe) and drop its kept frames. Returns 0.", "session")],
        ["seekframe_session_close", null, ["number"],
            doc("seekframe: free a session and everything it holds.", "session")],
        ["seekframe_session_buffer", "number", ["number", "number"],
            doc("seekframe: a session-owned buffer of at least size bytes to write the next job into (0 on ENOMEM); valid until the next call with a larger size or close.", "session", "size")],
        ["seekframe_session_run", "number", ["number", "number"],
            doc("seekframe: run a decode job (layout in vendor/libav/README.md). Returns the session's result area (doubles; valid until the next run/reset/close), or 0 if the job is malformed.", "session", "job")],
        ["seekframe_pix_fmt_name", "string", ["number"],
            doc("seekframe: FFmpeg's name of a pixel format (empty if unknown).", "pix_fmt")],
        ["seekframe_demux_watch", "number", ["number"],
            doc("seekframe: watch a demuxer (any, when 0: the next one opened) for damage (MPEG-TS continuity gaps and transport errors on a video PID, PES length mismatches) until seekframe_demux_damage. Returns 0.", "fmt_ctx")],
        ["seekframe_demux_damage", "number", ["number", "number"],
            doc("seekframe: write up to max file positions (doubles) where the watched demuxer found damage at out, and stop watching. Returns how many, or -1 if there were more than 1024.", "out", "max")],
        ["seekframe_heap_info", "number", ["number"],
            doc("seekframe: write 2 doubles at out: wasm memory size, top of the malloc arena (sbrk(0)). Returns 2.", "out")]
    ]
};
let changed = false;
if (JSON.stringify(f.seekframe) !== JSON.stringify(want)) { f.seekframe = want; changed = true; }
// copyin_f64 / copyout_f64 (Float64Array view on the heap) for the index buffer
if (!f.c.copiers.some(c => c[0] === "f64")) { f.c.copiers.push(["f64", "Float64Array"]); changed = true; }
if (changed) {
    fs.writeFileSync("funcs.json", JSON.stringify(f, null, 4) + "\n");
    console.log("  funcs.json updated (component 'seekframe', copier f64)");
} else console.log("  funcs.json already up to date");
EOF

# put(file, content): write only when the content changes (mtimes drive make)
put() {
    mkdir -p "$(dirname "$1")"
    printf '%s\n' "$2" > "$1.new"
    if cmp -s "$1.new" "$1"; then rm "$1.new"; else mv "$1.new" "$1"; fi
}
put configs/fragments/seekframe/components.txt 'seekframe'
put configs/fragments/seekframe/link-flags.txt '-DLIBAVJS_SEEKFRAME=1 src/b-seekframe.c src/b-seekframe-cli_rgb.c'
# wasm SIMD: FFmpeg's configure maps --arch=emscripten (libav.js's default) to no
# architecture; --arch=wasm enables ARCH_WASM and its simd128 code (HEVC idct/sao), which
# configure only keeps if the compiler accepts wasm_simd128.h, hence -msimd128.
put configs/fragments/seekframe-simd128/ffmpeg-config.txt '--arch=wasm --enable-simd128 --extra-cflags=-msimd128'
put configs/fragments/seekframe-simd128/link-flags.txt '-msimd128'

FRAGMENTS='"avformat", "avcodec", "avbsf", "swscale", "seekframe",
  "demuxer-mp4", "demuxer-webm", "demuxer-mpegts",
  "decoder-h264", "decoder-hevc", "decoder-vp8", "decoder-vp9", "decoder-mpeg4",
  "parser-h264", "parser-hevc", "parser-vp8", "parser-vp9", "parser-mpeg4video",
  "bsf-vp9_superframe_split", "bsf-h264_mp4toannexb", "bsf-hevc_mp4toannexb"'
if [ "$WITH_AV1" = 1 ]; then
    FRAGMENTS="$FRAGMENTS, \"decoder-libaom_av1\", \"parser-av1\""
fi
if [ "$WITH_SIMD" = 1 ]; then
    FRAGMENTS="$FRAGMENTS, \"seekframe-simd128\""
fi
log "generating variant config '$VARIANT': [$FRAGMENTS]"
# Regenerate, but keep the old files (and their mtimes) when the content is unchanged,
# so that an unchanged config does not trigger an FFmpeg reconfigure/rebuild.
CFG="configs/configs/$VARIANT"
rm -rf "$CFG.prev"
[ -d "$CFG" ] && cp -a "$CFG" "$CFG.prev"
(cd configs && node mkconfig.js "$VARIANT" "[$FRAGMENTS]")
if [ -d "$CFG.prev" ]; then
    for f in "$CFG"/*; do
        b="$(basename "$f")"
        if cmp -s "$f" "$CFG.prev/$b"; then cp -a "$CFG.prev/$b" "$f"; else echo "  changed: $b"; fi
    done
    rm -rf "$CFG.prev"
fi
cat "$CFG/ffmpeg-config.txt" | tr '\n' ' '; echo

# ---------------------------------------------------------------------------
# 6. Build only the non-threaded wasm ES-module target + its ES6 frontend + types
# ---------------------------------------------------------------------------
VER="$(make -s print-version)"
TARGETS=(
    "dist/libav-$VER-$VARIANT.wasm.mjs"
    "dist/libav-$VER-$VARIANT.mjs"
    "dist/libav.types.d.ts"
)
log "make -j$JOBS ${TARGETS[*]}"
START=$(date +%s)
# libav.js's Makefile takes FFmpeg as built once libavformat.a exists, also after an
# interrupted build: configure (if needed), then always let FFmpeg's own make finish.
FFB="build/ffmpeg-$FFMPEG_VERSION/build-base-$VARIANT"
run make -j"$JOBS" OPTFLAGS="$OPT" "$FFB/ffbuild/config.mak"
run make -C "$FFB" -j"$JOBS"
run make -j"$JOBS" OPTFLAGS="$OPT" "${TARGETS[@]}"
log "make finished in $(( $(date +%s) - START )) s"

# ---------------------------------------------------------------------------
# 7. Copy results to vendor/libav/dist with stable names
# ---------------------------------------------------------------------------
log "copying results to $DIST"
mkdir -p "$DIST"
# The frontend imports "<base>/libav-<VER>-<variant>.wasm.mjs"; the wasm glue asks locateFile for
# "libav-<VER>-<variant>.wasm.wasm". Rename to version-less names and patch both references.
# The SIMD variant's names ("seekframe-simd") become "seekframe" too (no-ops for seekframe).
NAMES="s/libav-$VER-$VARIANT/libav-seekframe/g; s/\"$VARIANT\"/\"seekframe\"/g"
sed "s/libav-@VER-/libav-/g; s/\"\\/libav-$VER-\"/\"\\/libav-\"/g; $NAMES; s/libav-$VER-/libav-/g" \
    "dist/libav-$VER-$VARIANT.mjs" > "$DIST/libav-seekframe.mjs.tmp"
sed "$NAMES; s/libav-$VER-/libav-/g" "dist/libav-$VER-$VARIANT.wasm.mjs" > "$DIST/libav-seekframe.wasm.mjs.tmp"
mv "$DIST/libav-seekframe.mjs.tmp" "$DIST/libav-seekframe.mjs"
mv "$DIST/libav-seekframe.wasm.mjs.tmp" "$DIST/libav-seekframe.wasm.mjs"
cp "dist/libav-$VER-$VARIANT.wasm.wasm" "$DIST/libav-seekframe.wasm.wasm"
cp dist/libav.types.d.ts "$DIST/libav.types.d.ts"
rm -f "$DIST"/*.tmp

# ---------------------------------------------------------------------------
# 8. VERSIONS file
# ---------------------------------------------------------------------------
log "writing $VERSIONS_FILE"
{
    echo "libav.js $LIBAVJS_VERSION (npm package libav.js@$LIBAVJS_VERSION, build system sources/libav.js.tar.xz; internal version string $VER)"
    echo "FFmpeg $FFMPEG_VERSION (sources/ffmpeg-$FFMPEG_VERSION.tar.xz of that package, with libav.js's patches/ffmpeg series9)"
    if [ "$WITH_AV1" = 1 ]; then echo "libaom $LIBAOM_VERSION (v3.14.1; sources/libaom-$LIBAOM_VERSION.tar.gz; decoder only, scalar -Oz)"; fi
    echo "emfiberthreads 1.3"
    echo "emscripten $EMCC_VERSION ($(command -v emcc)); terser $TERSER_VERSION; acorn $ACORN_VERSION; node $(node --version)"
    if [ "$WITH_SIMD" = 1 ]; then SIMDNOTE="; wasm SIMD: FFmpeg --arch=wasm -msimd128, linked with -msimd128"; else SIMDNOTE="; no wasm SIMD"; fi
    echo "variant: $VARIANT (non-threaded wasm ES module only; $OPT; ENVIRONMENT=web,worker$SIMDNOTE; files named libav-seekframe.*)"
    echo "config fragments: [$(echo "$FRAGMENTS" | tr -s ' \n' ' ')]"
    echo "ffmpeg configure flags: $(tr '\n' ' ' < "$CFG/ffmpeg-config.txt")"
    echo "libav.js components: $(tr '\n' ' ' < "$CFG/components.txt")"
    echo "enabled (from FFmpeg config.h of the build):"
    for kind in DEMUXER DECODER PARSER BSF FILTER PROTOCOL; do
        printf '  %s: ' "$kind"
        grep -E "^#define CONFIG_[A-Z0-9_]+_$kind 1" "build/ffmpeg-$FFMPEG_VERSION/build-base-$VARIANT/config_components.h" |
            sed -E "s/^#define CONFIG_([A-Z0-9_]+)_$kind 1/\1/" | tr 'A-Z\n' 'a-z ' || true; echo
    done
    echo "sha256:"
    (cd "$DIST" && sha256sum libav-seekframe.mjs libav-seekframe.wasm.mjs libav-seekframe.wasm.wasm libav.types.d.ts | sed 's/^/  /')
} > "$VERSIONS_FILE"
cat "$VERSIONS_FILE"
log "done: $(ls -l "$DIST" | tail -n +2 | awk '{print $NF" ("$5" bytes)"}' | tr '\n' ' ')"
