#!/usr/bin/env bash
# Builds a native ffmpeg CLI from the FFmpeg 9.0 sources seekframe's wasm decoder is built
# from (the npm package libav.js@6.10.9, as vendor/libav/build.sh uses), with libaom for AV1.
# On damaged input two FFmpeg versions may decode the same bits differently without a word;
# the hostile media test asks this build, seekframe's own decoder version compiled natively,
# when Debian's ffmpeg (5.1) shows another picture. Decoders only, C only (decoding is
# bit-exact with or without SIMD), so it needs no assembler: gcc, make, cmake, pkg-config, npm.
#
# usage: test/ffmpeg9.sh <install dir>   (puts <install dir>/ffmpeg there; about 2 minutes on 2 cores)
set -euo pipefail
DEST=${1:?usage: test/ffmpeg9.sh <install dir>}
LIBAVJS_VERSION=6.10.9
FFMPEG_VERSION=9.0
LIBAOM_VERSION=03087864
JOBS=$(nproc 2>/dev/null || echo 2)
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/seekframe-ffmpeg9-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
log() { echo "[ffmpeg9] $*"; }
# Build output goes to a log, shown when a step fails.
quiet() { "$@" >>"$SCRATCH/build.log" 2>&1 || { tail -40 "$SCRATCH/build.log" >&2; exit 1; }; }

log "fetching libav.js@$LIBAVJS_VERSION (its sources/ hold FFmpeg $FFMPEG_VERSION and libaom) from npm"
(cd "$SCRATCH" && npm pack --silent "libav.js@$LIBAVJS_VERSION" >/dev/null)
tar -xzf "$SCRATCH/libav.js-$LIBAVJS_VERSION.tgz" -C "$SCRATCH" \
    "package/sources/ffmpeg-$FFMPEG_VERSION.tar.xz" "package/sources/libaom-$LIBAOM_VERSION.tar.gz"
tar -xJf "$SCRATCH/package/sources/ffmpeg-$FFMPEG_VERSION.tar.xz" -C "$SCRATCH"
tar -xzf "$SCRATCH/package/sources/libaom-$LIBAOM_VERSION.tar.gz" -C "$SCRATCH"

log "building libaom $LIBAOM_VERSION (decoder only, generic C)"
mkdir -p "$SCRATCH/aom-build"
cd "$SCRATCH/aom-build"
quiet cmake "$SCRATCH/libaom-$LIBAOM_VERSION" -DCMAKE_BUILD_TYPE=Release -DAOM_TARGET_CPU=generic \
    -DCONFIG_AV1_ENCODER=0 -DCONFIG_MULTITHREAD=0 -DENABLE_TESTS=0 -DENABLE_DOCS=0 \
    -DENABLE_EXAMPLES=0 -DENABLE_TOOLS=0 -DCMAKE_INSTALL_PREFIX="$SCRATCH/aom"
quiet make -j"$JOBS" install

log "building ffmpeg $FFMPEG_VERSION"
cd "$SCRATCH/ffmpeg-$FFMPEG_VERSION"
PKG_CONFIG_PATH="$SCRATCH/aom/lib/pkgconfig" quiet ./configure \
    --disable-everything --disable-autodetect --disable-doc --disable-network --disable-x86asm \
    --disable-ffplay --disable-ffprobe --disable-debug \
    --enable-libaom --enable-decoder=h263,h264,hevc,mpeg4,vp8,vp9,libaom_av1 \
    --enable-parser=av1,h263,h264,hevc,mpeg4video,vp8,vp9 \
    --enable-demuxer=mov,matroska,mpegts,nut \
    --enable-bsf=vp9_superframe_split,extract_extradata,h264_mp4toannexb,hevc_mp4toannexb,noise \
    --enable-muxer=rawvideo,nut,image2pipe --enable-encoder=rawvideo,ppm --enable-protocol=file,pipe \
    --enable-filter=select,scale,format,null,copy
quiet make -j"$JOBS" ffmpeg
mkdir -p "$DEST"
install -m 755 ffmpeg "$DEST/ffmpeg"
log "installed $DEST/ffmpeg"
