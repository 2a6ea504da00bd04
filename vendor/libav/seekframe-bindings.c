/*
 * seekframe custom bindings for libav.js (variant "seekframe").
 *
 * Compiled into the libav.js wasm by vendor/libav/build.sh (copied to
 * src/b-seekframe.c of the libav.js build tree and added to the link via the
 * "seekframe" config fragment). Each function is listed in funcs.json (component
 * "seekframe"), so libav.js exposes it as `fn(...)` (Promise) and `fn_sync(...)`.
 *
 * This file reaches into FFmpeg 9.0 internals (MOVContext / MOVStreamContext from
 * libavformat/isom.h) and must be rebuilt/reviewed whenever FFmpeg is upgraded.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "libavformat/avformat.h"
#include "libavutil/common.h"
#include "libavutil/mathematics.h"

/* internal headers (need -Ibuild/ffmpeg-9.0 -Ibuild/ffmpeg-9.0/build-base-seekframe,
 * which the libav.js link rule already passes) */
#include "libavformat/isom.h"

#define SEEKFRAME_INDEX_FIELDS 5

static int seekframe_is_mov(const AVFormatContext *fmt)
{
    return fmt && fmt->iformat && fmt->iformat->name &&
           !strncmp(fmt->iformat->name, "mov,", 4);
}

static AVStream *seekframe_stream(AVFormatContext *fmt, int stream_index)
{
    if (!fmt || stream_index < 0 || (unsigned) stream_index >= fmt->nb_streams)
        return NULL;
    return fmt->streams[stream_index];
}

/* Number of demuxer index entries of a stream, or a negative AVERROR. */
int seekframe_index_count(AVFormatContext *fmt, int stream_index)
{
    AVStream *st = seekframe_stream(fmt, stream_index);
    if (!st)
        return AVERROR(EINVAL);
    return avformat_index_get_entries_count(st);
}

/*
 * Fill out[5*i .. 5*i+4] = { pos, dts, pts, size, flags } for up to max entries.
 *  - dts   = AVIndexEntry.timestamp (for mov: DTS after edit-list processing)
 *  - pts   = for the mov demuxer: exactly what mov_finalize_packet() gives when
 *            the packets are read sequentially from the start (run-length walk of
 *            sc->tts_data in step with the index); NaN for other demuxers.
 *  - flags = AVIndexEntry.flags & 3 (1 = AVINDEX_KEYFRAME, 2 = AVINDEX_DISCARD_FRAME)
 * Returns the number of entries written, or a negative AVERROR.
 */
int seekframe_index_read(AVFormatContext *fmt, int stream_index, double *out, int max)
{
    AVStream *st = seekframe_stream(fmt, stream_index);
    int count, n, i;
    int is_mov;
    MOVStreamContext *sc = NULL;
    unsigned int tts_index = 0, tts_sample = 0;

    if (!st || !out || max < 0)
        return AVERROR(EINVAL);

    count = avformat_index_get_entries_count(st);
    n = count < max ? count : max;
    is_mov = seekframe_is_mov(fmt) && st->priv_data;
    if (is_mov)
        sc = st->priv_data;

    for (i = 0; i < n; i++) {
        const AVIndexEntry *e = avformat_index_get_entry(st, i);
        double *o = out + (size_t) i * SEEKFRAME_INDEX_FIELDS;
        if (!e)
            return AVERROR_BUG;
        o[0] = (double) e->pos;
        o[1] = (double) e->timestamp;
        o[3] = (double) e->size;
        o[4] = (double) (e->flags & 3);

        if (!is_mov) {
            o[2] = NAN;
            continue;
        }

        /* mirrors mov_finalize_packet() (libavformat/mov.c, FFmpeg 9.0) */
        if (sc->ctts_count && tts_index < sc->tts_count) {
            o[2] = (double) av_sat_add64(e->timestamp,
                        av_sat_add64(sc->dts_shift, sc->tts_data[tts_index].offset));
        } else {
            o[2] = (double) e->timestamp;
        }
        if (sc->tts_data && tts_index < sc->tts_count) {
            tts_sample++;
            if (tts_index < sc->tts_count &&
                sc->tts_data[tts_index].count == tts_sample) {
                tts_index++;
                tts_sample = 0;
            }
        }
    }
    return n;
}

/* 1 if the mov demuxer saw movie fragments (moof/tfhd, fragment index items
 * from sidx/mfra, or an mvex/trex box), 0 if not, -1 if not the mov demuxer. */
int seekframe_mov_is_fragmented(AVFormatContext *fmt)
{
    MOVContext *mov;
    if (!seekframe_is_mov(fmt) || !fmt->priv_data)
        return -1;
    mov = fmt->priv_data;
    return (mov->frag_index.nb_items > 0 || mov->fragment.found_tfhd ||
            mov->trex_count > 0) ? 1 : 0;
}

/*
 * Stream facts the stock libav.js accessors do not expose. Fills out[0..11]:
 *  0 time_base.num        1 time_base.den
 *  2 start_time (NaN if AV_NOPTS_VALUE, stream time base)
 *  3 duration   (NaN if AV_NOPTS_VALUE, stream time base)
 *  4 nb_frames (0 = unknown)
 *  5 avg_frame_rate.num   6 avg_frame_rate.den
 *  7 r_frame_rate.num     8 r_frame_rate.den
 *  9 codecpar->video_delay (B-frame reorder depth, 0 if unknown/none)
 * 10 number of index entries
 * 11 mov only: sc->dts_shift (else 0)
 * Returns 12 (number of values written) or a negative AVERROR.
 */
int seekframe_stream_info(AVFormatContext *fmt, int stream_index, double *out)
{
    AVStream *st = seekframe_stream(fmt, stream_index);
    if (!st || !out)
        return AVERROR(EINVAL);
    out[0] = st->time_base.num;
    out[1] = st->time_base.den;
    out[2] = st->start_time == AV_NOPTS_VALUE ? NAN : (double) st->start_time;
    out[3] = st->duration == AV_NOPTS_VALUE ? NAN : (double) st->duration;
    out[4] = (double) st->nb_frames;
    out[5] = st->avg_frame_rate.num;
    out[6] = st->avg_frame_rate.den;
    out[7] = st->r_frame_rate.num;
    out[8] = st->r_frame_rate.den;
    out[9] = st->codecpar ? st->codecpar->video_delay : 0;
    out[10] = avformat_index_get_entries_count(st);
    out[11] = (seekframe_is_mov(fmt) && st->priv_data) ?
        ((MOVStreamContext *) st->priv_data)->dts_shift : 0;
    return 12;
}

/* Byte position of an AVPacket as a double (-1 if unknown), avoiding the
 * lo/hi pair of AVPacket_pos/AVPacket_poshi. */
double seekframe_packet_pos(AVPacket *pkt)
{
    return pkt ? (double) pkt->pos : -1;
}
