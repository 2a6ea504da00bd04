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
#include <stdarg.h>
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
 *  - flags = AVIndexEntry.flags & 3 (1 = AVINDEX_KEYFRAME, 2 = AVINDEX_DISCARD_FRAME),
 *            plus for the mov demuxer, from an sdtp box: 16 when it says whether
 *            other samples depend on this one, and then 8 when none does
 *            (sample_is_depended_on == 2, what FFmpeg marks AV_PKT_FLAG_DISPOSABLE)
 * Returns the number of entries written, or a negative AVERROR.
 */

#define SEEKFRAME_INDEX_SDTP_DISPOSABLE 8
#define SEEKFRAME_INDEX_SDTP_KNOWN      16

/*
 * Whether sdtp entry i belongs to index entry i. FFmpeg reads sdtp by index
 * entry number; that is the sample only if the edit lists left exactly one
 * entry per sample, in order (checked by the count and the total size: the
 * per-sample sizes are freed once the index is built).
 */
static int seekframe_sdtp_usable(AVStream *st, const MOVStreamContext *sc, int count)
{
    int64_t total = 0;
    if (!sc->sdtp_data || sc->sdtp_count < (unsigned) count || sc->sample_count != (unsigned) count)
        return 0;
    for (int i = 0; i < count; i++) {
        const AVIndexEntry *e = avformat_index_get_entry(st, i);
        if (!e)
            return 0;
        total += e->size;
    }
    return total == (sc->stsz_sample_size ? (int64_t) sc->stsz_sample_size * count : sc->data_size);
}

int seekframe_index_read(AVFormatContext *fmt, int stream_index, double *out, int max)
{
    AVStream *st = seekframe_stream(fmt, stream_index);
    int count, n, i;
    int is_mov, sdtp = 0;
    MOVStreamContext *sc = NULL;
    unsigned int tts_index = 0, tts_sample = 0;

    if (!st || !out || max < 0)
        return AVERROR(EINVAL);

    count = avformat_index_get_entries_count(st);
    n = count < max ? count : max;
    is_mov = seekframe_is_mov(fmt) && st->priv_data;
    if (is_mov) {
        sc = st->priv_data;
        sdtp = seekframe_sdtp_usable(st, sc, count);
    }

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
        if (sdtp) {
            int depended_on = (sc->sdtp_data[i] >> 2) & 3;
            if (depended_on == MOV_SAMPLE_DEPENDENCY_NO)
                o[4] += SEEKFRAME_INDEX_SDTP_KNOWN | SEEKFRAME_INDEX_SDTP_DISPOSABLE;
            else if (depended_on == MOV_SAMPLE_DEPENDENCY_YES)
                o[4] += SEEKFRAME_INDEX_SDTP_KNOWN;
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

/* ------------------------------------------------------------------------
 * Decoder session: a whole decode job in one call (see README "Decoder
 * session" for the job and result layouts; all fields are doubles).
 * ------------------------------------------------------------------------ */

#include <emscripten/heap.h>
#include <unistd.h>

#include "libavcodec/avcodec.h"
#include "libavutil/imgutils.h"
#include "libavutil/pixdesc.h"
#include "libswscale/swscale.h"

#include "cli_rgb.h"

#define SF_JOB_HEADER   16
#define SF_JOB_PACKET   5
#define SF_RES_HEADER   16
#define SF_RES_FRAME    10
#define SF_MAX_KEEP     64
#define SF_OUT_NONE     0
#define SF_OUT_RGB24    1
#define SF_OUT_NATIVE   2
/* margin after each picture, in case swscale writes past its last line */
#define SF_DATA_PAD     64
/* a result area this big is given back to malloc on reset */
#define SF_RES_KEEP     (32 << 20)

/*
 * Damage a run reports (result [12], a bitmask): the decoder failed on a
 * packet, marked a picture as concealed or corrupt, logged an error, dropped
 * a picture (a packet fed whose pts never came out before a later one), or
 * output pictures out of pts order. Any of them makes the numbering or the
 * pixels of what follows uncertain.
 */
#define SF_DMG_ERROR    1
#define SF_DMG_CONCEAL  2
#define SF_DMG_CORRUPT  4
#define SF_DMG_MISSING  8
#define SF_DMG_LOG      16
#define SF_DMG_ORDER    32
/* set in a frame row's flags [4]: it came out after damage (or is damaged) */
#define SF_ROW_TAINTED  (1 << 20)

typedef struct SfPending {
    int64_t pts, dts;
} SfPending;

typedef struct SeekframeSession {
    AVCodecContext *ctx;
    AVPacket *pkt;
    AVFrame *frame;
    AVFrame *kept[SF_MAX_KEEP];
    int nb_kept;
    int drained;
    int have_max;
    int64_t max_pts;
    struct SwsContext *sws;
    int sws_key[6];
    /* cli_rgb tables (NULL: none yet) for the colorspace rgb_cs and range rgb_full */
    CliRgbTables *rgb;
    int rgb_cs, rgb_full;
    AVFrame *dst;
    uint8_t *res;
    size_t res_cap;
    uint8_t *job;
    size_t job_cap;
    uint8_t *done;
    int done_cap;
    /* damage seen since the last reset (SF_DMG_* bits): sticky */
    int damage;
    /* pts of the session's first packet: pictures before it (leading
     * pictures of an open GOP) may legitimately never come out */
    int have_start;
    int64_t start_pts;
    /* packets fed since the reset whose picture has not come out yet */
    SfPending *pending;
    int nb_pending, pending_cap;
    /* the decoder logged an error while it was opened (codec config) */
    int config_damage;
    /* errors the decoder logs while decoding count as damage (see sf_log) */
    int log_damage;
    /* kept[i] came out of the decoder after damage */
    uint8_t kept_tainted[SF_MAX_KEEP];
} SeekframeSession;

/* Per-run state. */
typedef struct SeekframeRun {
    const double *targets;
    int nb_targets;
    double keep_above;
    int max_keep;
    int mode, out_w, out_h, sws_flags;
    int nb_out, nb_decoded, from_kept;
    size_t data_start, data_end;
    /* damage found in this run: bits, the first culprit, the lowest culprit pts */
    int damage;
    double first_pts, first_dts, min_pts;
} SeekframeRun;

static double sf_ts(int64_t v)
{
    return v == AV_NOPTS_VALUE ? NAN : (double) v;
}

static int64_t sf_ts_in(double v)
{
    return isnan(v) ? AV_NOPTS_VALUE : (int64_t) v;
}

static void sf_log(void *avcl, int level, const char *fmt, va_list vl);
static AVCodecContext *sf_log_opening;
static int sf_log_open_errors;

/*
 * Demuxer damage: while a demuxer is watched, where in the file it logged an
 * error (a damaged element it skipped or resynced after), or (MPEG-TS) found
 * a transport packet of a video PID with a continuity counter gap or its
 * transport error indicator set, or a PES whose length does not match its
 * header. FFmpeg flags such PES AV_PKT_FLAG_CORRUPT, but its parser loses the
 * flag when the PES completes no access unit (the first one).
 */
#define SF_DEMUX_DAMAGE_MAX 1024
static int sf_watching;
static AVFormatContext *sf_watch_fmt;
static double sf_watch_pos[SF_DEMUX_DAMAGE_MAX];
static int sf_watch_count;

/* Watch fmt's demuxer (any, when NULL: the one about to be opened) for damage (see above) until seekframe_demux_damage. */
int seekframe_demux_watch(AVFormatContext *fmt)
{
    av_log_set_callback(sf_log);
    sf_watching = 1;
    sf_watch_fmt = fmt;
    sf_watch_count = 0;
    return 0;
}

/* Writes up to max positions of demuxer damage at out, stops watching; returns how many (-1: more than max). */
int seekframe_demux_damage(double *out, int max)
{
    int n = FFMIN(sf_watch_count, FFMIN(max, SF_DEMUX_DAMAGE_MAX));
    for (int i = 0; i < n; i++)
        out[i] = sf_watch_pos[i];
    n = sf_watch_count > SF_DEMUX_DAMAGE_MAX ? -1 : n;
    sf_watching = 0;
    sf_watch_fmt = NULL;
    sf_watch_count = 0;
    return n;
}

static int sf_is_video_pid(const AVFormatContext *fc, int pid)
{
    for (unsigned i = 0; i < fc->nb_streams; i++)
        if (fc->streams[i]->id == pid && fc->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO)
            return 1;
    return 0;
}

static void sf_watch_log(void *avcl, int level, const char *fmt, va_list vl)
{
    AVFormatContext *fc = avcl;
    int pid = -1;
    if (!fc || *(const AVClass **) avcl != avformat_get_class() || (sf_watch_fmt && avcl != (void *) sf_watch_fmt))
        return;
    if (level <= AV_LOG_ERROR) {
        /* an error the demuxer logs (a damaged element it skips or resyncs
         * after): FFmpeg's versions may recover differently */
    } else if (!strncmp(fmt, "Continuity check failed for pid ", 32)) {
        va_list c;
        va_copy(c, vl);
        pid = va_arg(c, int);
        va_end(c);
        if (!sf_is_video_pid(fc, pid))
            return;
    } else if (strncmp(fmt, "Packet had TEI flag set", 23) && strncmp(fmt, "PES packet size mismatch", 24))
        return;
    if (sf_watch_count < SF_DEMUX_DAMAGE_MAX)
        sf_watch_pos[sf_watch_count] = fc->pb ? (double) avio_tell(fc->pb) : -1;
    sf_watch_count++;
}

/* Session pointer (> 0) or a negative AVERROR. */
int seekframe_session_open(const AVCodecParameters *par, int tb_num, int tb_den)
{
    const AVCodec *codec;
    SeekframeSession *s;
    int ret;

    if (!par)
        return AVERROR(EINVAL);
    codec = avcodec_find_decoder(par->codec_id);
    if (!codec)
        return AVERROR_DECODER_NOT_FOUND;
    s = av_mallocz(sizeof(*s));
    if (!s)
        return AVERROR(ENOMEM);
    s->ctx = avcodec_alloc_context3(codec);
    s->pkt = av_packet_alloc();
    s->frame = av_frame_alloc();
    s->dst = av_frame_alloc();
    if (!s->ctx || !s->pkt || !s->frame || !s->dst) {
        ret = AVERROR(ENOMEM);
        goto fail;
    }
    ret = avcodec_parameters_to_context(s->ctx, par);
    if (ret < 0)
        goto fail;
    if (tb_num > 0 && tb_den > 0) {
        /* time_base as ff_init_decoder sets it; pkt_timebase for the decoder */
        s->ctx->time_base = (AVRational) { tb_num, tb_den };
        s->ctx->pkt_timebase = s->ctx->time_base;
    }
    s->ctx->thread_count = 1;
    av_log_set_callback(sf_log);
    sf_log_opening = s->ctx;
    sf_log_open_errors = 0;
    ret = avcodec_open2(s->ctx, codec, NULL);
    sf_log_opening = NULL;
    s->config_damage = sf_log_open_errors ? SF_DMG_LOG : 0;
    /* H.264 logs some errors for references a session started at a recovery
     * point lacks ("mmco: unref short failure"): sf_h264_bookkeeping skips them */
    s->log_damage = codec->id != AV_CODEC_ID_H264;
    if (ret < 0)
        goto fail;
    return (int) (intptr_t) s;
fail:
    avcodec_free_context(&s->ctx);
    av_packet_free(&s->pkt);
    av_frame_free(&s->frame);
    av_frame_free(&s->dst);
    av_free(s);
    return ret;
}

static void sf_drop_kept(SeekframeSession *s)
{
    for (int i = 0; i < s->nb_kept; i++)
        av_frame_free(&s->kept[i]);
    s->nb_kept = 0;
}

/* Flush the decoder (the next packet must start at a keyframe) and drop kept frames. */
int seekframe_session_reset(SeekframeSession *s)
{
    if (!s)
        return AVERROR(EINVAL);
    avcodec_flush_buffers(s->ctx);
    sf_drop_kept(s);
    s->drained = 0;
    s->have_max = 0;
    s->damage = 0;
    s->have_start = 0;
    s->nb_pending = 0;
    if (s->res_cap > SF_RES_KEEP) {
        av_freep(&s->res);
        s->res_cap = 0;
    }
    return 0;
}

void seekframe_session_close(SeekframeSession *s)
{
    if (!s)
        return;
    sf_drop_kept(s);
    avcodec_free_context(&s->ctx);
    av_packet_free(&s->pkt);
    av_frame_free(&s->frame);
    av_frame_free(&s->dst);
    sws_freeContext(s->sws);
    av_free(s->rgb);
    av_free(s->res);
    av_free(s->job);
    av_free(s->done);
    av_free(s->pending);
    av_free(s);
}

/* A session-owned buffer of at least size bytes for the next job (0 on ENOMEM). */
uint8_t *seekframe_session_buffer(SeekframeSession *s, int size)
{
    if (!s || size < 0)
        return NULL;
    if ((size_t) size > s->job_cap) {
        av_freep(&s->job);
        s->job_cap = 0;
        s->job = av_malloc(size);
        if (!s->job)
            return NULL;
        s->job_cap = size;
    }
    return s->job;
}

/* Grow the result area to at least size bytes, keeping its content. */
static int sf_res_reserve(SeekframeSession *s, size_t size)
{
    uint8_t *p;
    if (size <= s->res_cap)
        return 0;
    size = FFMAX(size, s->res_cap + s->res_cap / 2);
    p = av_realloc(s->res, size);
    if (!p)
        return AVERROR(ENOMEM);
    s->res = p;
    s->res_cap = size;
    return 0;
}

static void sf_noop_free(void *opaque, uint8_t *data)
{
}

/*
 * RGB24 as the Debian ffmpeg 5.1 CLI (x86-64) makes it from a frame: its scale
 * filter (in_color_matrix=auto) takes the frame's matrix, or BT.601 when the
 * frame names none that swscale has, and the frame's range (yuvj formats are
 * full range).
 */
static int sf_matrix_cs(const AVFrame *f)
{
    int cs = f->colorspace;
    return cs < 1 || cs > 10 || cs == AVCOL_SPC_YCGCO ? AVCOL_SPC_BT470BG : cs;
}

static int sf_full_range(const AVFrame *f)
{
    return f->color_range == AVCOL_RANGE_JPEG || f->format == AV_PIX_FMT_YUVJ420P ||
           f->format == AV_PIX_FMT_YUVJ422P || f->format == AV_PIX_FMT_YUVJ444P ||
           f->format == AV_PIX_FMT_YUVJ440P;
}

/*
 * Same size, 8-bit 4:2:0 or 4:2:2, even height: the CLI runs swscale's x86
 * SIMD unscaled converter, whose bytes cli_rgb reproduces (swscale's C
 * converter differs by up to 3, and leaves the last column of odd widths
 * unwritten). Anything else goes through the scaler, where swscale's C code
 * gives the CLI's bytes once it is told the frame's matrix and range (and
 * sizes its filters as on x86: build.sh, step 4h).
 */
static int sf_rgb24(SeekframeSession *s, const SeekframeRun *r, const AVFrame *f,
                    int ow, int oh, uint8_t *out, int size)
{
    int w = f->width, h = f->height, fmt = f->format;
    int cs = sf_matrix_cs(f), full = sf_full_range(f);
    const int *matrix = sws_getCoefficients(cs);
    int key[6], ret;
    int i420 = fmt == AV_PIX_FMT_YUV420P || fmt == AV_PIX_FMT_YUVJ420P;
    int i422 = fmt == AV_PIX_FMT_YUV422P || fmt == AV_PIX_FMT_YUVJ422P;

    if ((i420 || i422) && ow == w && oh == h && !(h & 1) && r->sws_flags == SWS_BICUBIC) {
        if (!s->rgb || s->rgb_cs != cs || s->rgb_full != full) {
            if (!s->rgb && !(s->rgb = av_malloc(sizeof(*s->rgb))))
                return AVERROR(ENOMEM);
            cli_rgb_init(s->rgb, matrix, full);
            s->rgb_cs = cs;
            s->rgb_full = full;
        }
        cli_rgb_convert(s->rgb, w, h, i420, f->data[0], f->linesize[0], f->data[1], f->linesize[1],
                        f->data[2], f->linesize[2], out, ow * 3);
        return 0;
    }

    key[0] = w; key[1] = h; key[2] = fmt; key[3] = ow; key[4] = oh; key[5] = r->sws_flags;
    if (!s->sws || memcmp(key, s->sws_key, sizeof(key))) {
        sws_freeContext(s->sws);
        s->sws = sws_getContext(w, h, fmt, ow, oh, AV_PIX_FMT_RGB24, r->sws_flags,
                                NULL, NULL, NULL);
        if (!s->sws)
            return AVERROR(ENOSYS);
        memcpy(s->sws_key, key, sizeof(key));
    }
    {
        /* a no-op when nothing changed since the last frame */
        int *inv, *tab, in_full, out_full, bri, con, sat;
        if (sws_getColorspaceDetails(s->sws, &inv, &in_full, &tab, &out_full, &bri, &con, &sat) < 0 ||
            sws_setColorspaceDetails(s->sws, matrix, full, matrix, out_full, bri, con, sat) < 0)
            return AVERROR(ENOSYS);
    }
    {
        /* sws writes straight into the result area (packed, stride ow*3) */
        AVFrame *d = s->dst;
        d->buf[0] = av_buffer_create(out, size + SF_DATA_PAD, sf_noop_free, NULL, 0);
        if (!d->buf[0])
            return AVERROR(ENOMEM);
        d->data[0] = out;
        d->linesize[0] = ow * 3;
        d->width = ow;
        d->height = oh;
        d->format = AV_PIX_FMT_RGB24;
        ret = sws_scale_frame(s->sws, d, f);
        av_frame_unref(d);
    }
    return ret < 0 ? ret : 0;
}

/* Convert or copy a target frame into the result area and add its row. */
static int sf_output(SeekframeSession *s, SeekframeRun *r, const AVFrame *f, int tainted)
{
    int w = f->width, h = f->height, fmt = f->format;
    int ow = w, oh = h, ofmt = fmt, size = 0, ret;
    size_t at = FFALIGN(r->data_end, 64);
    double *row;

    if (r->mode == SF_OUT_RGB24) {
        if (r->out_w > 0 && r->out_h > 0) {
            ow = r->out_w;
            oh = r->out_h;
        }
        ofmt = AV_PIX_FMT_RGB24;
        size = ow * oh * 3;
    } else if (r->mode == SF_OUT_NATIVE) {
        size = av_image_get_buffer_size(fmt, w, h, 1);
        if (size < 0)
            return size;
    }
    if (r->mode != SF_OUT_NONE) {
        ret = sf_res_reserve(s, at + size + SF_DATA_PAD);
        if (ret < 0)
            return ret;
    }
    if (r->mode == SF_OUT_RGB24) {
        ret = sf_rgb24(s, r, f, ow, oh, s->res + at, size);
        if (ret < 0)
            return ret;
    } else if (r->mode == SF_OUT_NATIVE) {
        ret = av_image_copy_to_buffer(s->res + at, size, (const uint8_t * const *) f->data,
                                      f->linesize, fmt, w, h, 1);
        if (ret < 0)
            return ret;
    }
    if (r->mode != SF_OUT_NONE)
        r->data_end = at + size;
    row = (double *) s->res + SF_RES_HEADER + (size_t) r->nb_out * SF_RES_FRAME;
    row[0] = sf_ts(f->pts);
    row[1] = ow;
    row[2] = oh;
    row[3] = r->mode == SF_OUT_NONE ? -1 : ofmt;
    row[4] = f->flags | (tainted ? SF_ROW_TAINTED : 0);
    row[5] = r->mode == SF_OUT_NONE ? 0 : (double) at;
    row[6] = size;
    row[7] = w;
    row[8] = h;
    row[9] = fmt;
    r->nb_out++;
    return 0;
}

static int sf_is_kept(const SeekframeSession *s, int64_t pts)
{
    for (int i = 0; i < s->nb_kept; i++)
        if (s->kept[i]->pts == pts)
            return 1;
    return 0;
}

/* A frame out of the decoder (or kept from an earlier job): output it if it is
 * a target, keep it if it is past keep_above, else drop it. Unrefs f. */
static int sf_take(SeekframeSession *s, SeekframeRun *r, AVFrame *f, int tainted)
{
    int64_t pts = f->pts;
    int ret = 0;

    if (pts != AV_NOPTS_VALUE) {
        if (!s->have_max || pts > s->max_pts)
            s->max_pts = pts;
        s->have_max = 1;
        for (int i = 0; i < r->nb_targets; i++) {
            if (!s->done[i] && sf_ts_in(r->targets[i]) == pts) {
                s->done[i] = 1;
                ret = sf_output(s, r, f, tainted);
                av_frame_unref(f);
                return ret;
            }
        }
        if ((double) pts > r->keep_above && s->nb_kept < r->max_keep && !sf_is_kept(s, pts)) {
            AVFrame *k = av_frame_alloc();
            if (!k) {
                av_frame_unref(f);
                return AVERROR(ENOMEM);
            }
            av_frame_move_ref(k, f);
            s->kept_tainted[s->nb_kept] = tainted;
            s->kept[s->nb_kept++] = k;
            return 0;
        }
    }
    av_frame_unref(f);
    return 0;
}

static void sf_damage(SeekframeRun *r, SeekframeSession *s, int what, double pts, double dts)
{
    /* a leading picture (open GOP) decoded without the GOP before it is
     * expected to fail; no later picture depends on it, and none is a target */
    if (!isnan(pts) && s->have_start && s->start_pts != AV_NOPTS_VALUE && pts < (double) s->start_pts)
        return;
    if (!r->damage) {
        r->first_pts = pts;
        r->first_dts = dts;
    }
    if (!isnan(pts) && (isnan(r->min_pts) || pts < r->min_pts))
        r->min_pts = pts;
    r->damage |= what;
    s->damage |= what;
}

/* The session and run being decoded, for the log callback (one run at a time per instance). */
static SeekframeSession *sf_log_session;
static SeekframeRun *sf_log_run;
static const AVPacket *sf_log_packet;

/*
 * H.264 errors about reference bookkeeping that a session started at a
 * recovery point (no IDR) logs on undamaged input, for the references before
 * it ("mmco: unref short failure", too many reference frames). Other errors
 * (a reference missing on the way, a slice that does not parse) are damage.
 */
static int sf_h264_bookkeeping(const char *fmt)
{
    return !strncmp(fmt, "mmco", 4) || !strncmp(fmt, "number of reference frames", 26);
}

/* An error the decoder logs while it decodes a packet is damage in that packet. */
static void sf_log(void *avcl, int level, const char *fmt, va_list vl)
{
    SeekframeSession *s = sf_log_session;
    if (sf_watching)
        sf_watch_log(avcl, level, fmt, vl);
    if (sf_log_opening && avcl == (void *) sf_log_opening && level <= AV_LOG_ERROR)
        sf_log_open_errors++;
    if (s && sf_log_run && level <= AV_LOG_ERROR && avcl && avcl == (void *) s->ctx &&
        (s->log_damage || (s->ctx->codec_id == AV_CODEC_ID_H264 && !sf_h264_bookkeeping(fmt)))) {
        const AVPacket *p = sf_log_packet;
        sf_damage(sf_log_run, s, SF_DMG_LOG, p ? sf_ts(p->pts) : NAN, p ? sf_ts(p->dts) : NAN);
    }
    av_log_default_callback(avcl, level, fmt, vl);
}

/* A packet about to be fed: its picture must come out (unless it is discarded or has no pts). */
static int sf_feed(SeekframeSession *s, const AVPacket *p)
{
    if (!s->have_start) {
        s->have_start = 1;
        s->start_pts = p->pts;
    }
    if (p->pts == AV_NOPTS_VALUE || (p->flags & AV_PKT_FLAG_DISCARD))
        return 0;
    if (s->nb_pending == s->pending_cap) {
        int cap = FFMAX(16, s->pending_cap * 2);
        SfPending *q = av_realloc_array(s->pending, cap, sizeof(*q));
        if (!q)
            return AVERROR(ENOMEM);
        s->pending = q;
        s->pending_cap = cap;
    }
    s->pending[s->nb_pending++] = (SfPending) { p->pts, p->dts };
    return 0;
}

/*
 * A picture out of the decoder: damage if the decoder flagged it, if it is
 * below one already out (not pts order), or if a packet fed before with a
 * lower pts never came out (a dropped picture shifts the numbering). Leading
 * pictures (pts below the session's first packet) need not come out.
 */
static void sf_check_out(SeekframeSession *s, SeekframeRun *r, const AVFrame *f)
{
    int64_t pts = f->pts;
    int found = 0, n = 0;

    if (f->decode_error_flags)
        sf_damage(r, s, SF_DMG_CONCEAL, sf_ts(pts), sf_ts(f->pkt_dts));
    if (f->flags & AV_FRAME_FLAG_CORRUPT)
        sf_damage(r, s, SF_DMG_CORRUPT, sf_ts(pts), sf_ts(f->pkt_dts));
    if (pts == AV_NOPTS_VALUE)
        return;
    if (s->have_max && pts <= s->max_pts)
        sf_damage(r, s, SF_DMG_ORDER, sf_ts(pts), sf_ts(f->pkt_dts));
    for (int i = 0; i < s->nb_pending; i++) {
        SfPending q = s->pending[i];
        if (q.pts == pts && !found) {
            found = 1;
            continue;
        }
        if (q.pts < pts) {
            if (!s->have_start || s->start_pts == AV_NOPTS_VALUE || q.pts >= s->start_pts)
                sf_damage(r, s, SF_DMG_MISSING, sf_ts(q.pts), sf_ts(q.dts));
            continue;
        }
        s->pending[n++] = q;
    }
    s->nb_pending = n;
}

static int sf_receive(SeekframeSession *s, SeekframeRun *r)
{
    for (;;) {
        int ret = avcodec_receive_frame(s->ctx, s->frame);
        if (ret == AVERROR(EAGAIN))
            return 0;
        if (ret == AVERROR_EOF) {
            s->drained = 1;
            return 0;
        }
        if (ret < 0) {
            sf_damage(r, s, SF_DMG_ERROR, NAN, NAN);
            return ret;
        }
        r->nb_decoded++;
        sf_check_out(s, r, s->frame);
        ret = sf_take(s, r, s->frame, s->damage != 0);
        if (ret < 0)
            return ret;
    }
}

/*
 * Run a job (layout in README). Returns the session's result area (valid until
 * the next run/reset/close), or 0 if the job is malformed or there is no
 * memory for the result table.
 */
double *seekframe_session_run(SeekframeSession *s, const uint8_t *job)
{
    const double *h = (const double *) job;
    const double *pk;
    const uint8_t *blob;
    SeekframeRun r = { 0 };
    double *out;
    int nb_packets, nb_sent = 0, err = 0, fin;
    size_t job_size, blob_off, blob_size, head, table;
    AVFrame *carried[SF_MAX_KEEP];
    int nb_carried;

    if (!s || !job)
        return NULL;
    nb_packets = (int) h[0];
    r.nb_targets = (int) h[1];
    fin = h[2] != 0;
    r.keep_above = h[3];
    r.max_keep = FFMIN(FFMAX((int) h[4], 0), SF_MAX_KEEP);
    r.mode = (int) h[5];
    r.out_w = (int) h[6];
    r.out_h = (int) h[7];
    r.sws_flags = h[8] > 0 ? (int) h[8] : SWS_BICUBIC;
    blob_off = (size_t) h[9];
    blob_size = (size_t) h[10];
    job_size = (size_t) h[11];
    head = (SF_JOB_HEADER + (size_t) nb_packets * SF_JOB_PACKET + r.nb_targets) * sizeof(double);
    if (nb_packets < 0 || r.nb_targets < 0 || r.mode < SF_OUT_NONE || r.mode > SF_OUT_NATIVE ||
        head > blob_off || blob_off + blob_size > job_size)
        return NULL;
    pk = h + SF_JOB_HEADER;
    r.targets = pk + (size_t) nb_packets * SF_JOB_PACKET;
    blob = job + blob_off;

    /* header + frame rows (one per target at most) + kept pts */
    table = (SF_RES_HEADER + (size_t) r.nb_targets * SF_RES_FRAME + SF_MAX_KEEP) * sizeof(double);
    if (sf_res_reserve(s, table) < 0)
        return NULL;
    if (r.nb_targets > s->done_cap) {
        av_freep(&s->done);
        s->done_cap = 0;
        if (!(s->done = av_malloc(r.nb_targets)))
            return NULL;
        s->done_cap = r.nb_targets;
    }
    if (r.nb_targets)
        memset(s->done, 0, r.nb_targets);
    r.data_start = r.data_end = FFALIGN(table, 64);
    r.first_pts = r.first_dts = r.min_pts = NAN;
    /* an unreadable codec config taints every picture */
    if (s->config_damage)
        sf_damage(&r, s, s->config_damage, NAN, NAN);

    /* frames kept by the previous job first */
    nb_carried = s->nb_kept;
    memcpy(carried, s->kept, nb_carried * sizeof(*carried));
    s->nb_kept = 0;
    uint8_t carried_tainted[SF_MAX_KEEP];
    memcpy(carried_tainted, s->kept_tainted, nb_carried);
    for (int i = 0; i < nb_carried; i++) {
        int ret = err < 0 ? 0 : sf_take(s, &r, carried[i], carried_tainted[i]);
        if (ret < 0)
            err = ret;
        av_frame_free(&carried[i]);
    }
    r.from_kept = r.nb_out;

    if (!err && s->drained && nb_packets > 0)
        err = AVERROR_EOF;
    sf_log_session = s;
    sf_log_run = &r;
    sf_log_packet = NULL;
    for (int i = 0; !err && i < nb_packets; i++) {
        const double *p = pk + (size_t) i * SF_JOB_PACKET;
        size_t off = (size_t) p[0], size = (size_t) p[1];
        int ret;
        if (off + size > blob_size) {
            err = AVERROR(EINVAL);
            break;
        }
        /* not refcounted: send_packet copies it into a padded buffer */
        s->pkt->data = (uint8_t *) blob + off;
        s->pkt->size = (int) size;
        s->pkt->pts = sf_ts_in(p[2]);
        s->pkt->dts = sf_ts_in(p[3]);
        s->pkt->flags = (int) p[4];
        if ((ret = sf_feed(s, s->pkt)) < 0) {
            err = ret;
            break;
        }
        sf_log_packet = s->pkt;
        for (;;) {
            ret = avcodec_send_packet(s->ctx, s->pkt);
            if (ret != AVERROR(EAGAIN))
                break;
            /* decoder full: take its frames, then send again */
            if ((ret = sf_receive(s, &r)) < 0)
                break;
        }
        /* a packet the decoder fails on is damage, not the end: decoding goes
         * on as ffmpeg's does, and what comes out after it is tainted */
        if (ret < 0 && ret != AVERROR(ENOMEM) && ret != AVERROR_EOF) {
            sf_damage(&r, s, SF_DMG_ERROR, sf_ts(s->pkt->pts), sf_ts(s->pkt->dts));
            ret = 0;
        }
        sf_log_packet = NULL;
        if (ret >= 0)
            ret = sf_receive(s, &r);
        if (ret < 0) {
            err = ret;
            break;
        }
        nb_sent++;
    }
    if (!err && fin && !s->drained) {
        err = avcodec_send_packet(s->ctx, NULL);
        if (err >= 0)
            err = sf_receive(s, &r);
        /* drained: what never came out was dropped (later GOPs count differently) */
        for (int i = 0; err >= 0 && i < s->nb_pending; i++) {
            SfPending q = s->pending[i];
            if (!s->have_start || s->start_pts == AV_NOPTS_VALUE || q.pts >= s->start_pts)
                sf_damage(&r, s, SF_DMG_MISSING, sf_ts(q.pts), sf_ts(q.dts));
        }
        if (err >= 0)
            s->nb_pending = 0;
    }
    sf_log_session = NULL;
    sf_log_run = NULL;
    sf_log_packet = NULL;
    s->pkt->data = NULL;
    s->pkt->size = 0;

    out = (double *) s->res;
    memset(out, 0, SF_RES_HEADER * sizeof(double));
    out[0] = err < 0 ? err : 0;
    out[1] = r.nb_out;
    out[2] = r.nb_decoded;
    out[3] = s->have_max ? (double) s->max_pts : NAN;
    out[4] = s->nb_kept;
    out[5] = s->drained;
    out[6] = nb_sent;
    out[7] = r.from_kept;
    out[8] = (double) r.data_start;
    out[9] = (double) (r.data_end - r.data_start);
    out[10] = SF_RES_HEADER;
    out[11] = SF_RES_HEADER + (double) r.nb_targets * SF_RES_FRAME;
    out[12] = r.damage;
    out[13] = r.first_pts;
    out[14] = r.first_dts;
    out[15] = r.min_pts;
    for (int i = 0; i < s->nb_kept; i++)
        out[(size_t) out[11] + i] = sf_ts(s->kept[i]->pts);
    return out;
}

/* FFmpeg's name of a pixel format ("" if unknown). */
const char *seekframe_pix_fmt_name(int fmt)
{
    const char *name = av_get_pix_fmt_name(fmt);
    return name ? name : "";
}

/* out[0] = wasm memory size in bytes, out[1] = top of the malloc arena
 * (sbrk(0): the heap's high-water mark). Returns 2. */
int seekframe_heap_info(double *out)
{
    if (!out)
        return AVERROR(EINVAL);
    out[0] = (double) emscripten_get_heap_size();
    out[1] = (double) (uintptr_t) sbrk(0);
    return 2;
}
