/**
 * Loads the project's libav.js build (`vendor/libav`): FFmpeg 9.0 in
 * WebAssembly with the demuxers and decoders seekframe needs, plus index
 * accessors. One instance per Worker; never call one instance concurrently.
 *
 * The {@link LibAV} interface lists exactly the part of libav.js that
 * seekframe uses, so the dependency surface is visible in one place.
 *
 * @module
 */

import LibAVWrapper from "../../vendor/libav/dist/libav-seekframe.mjs";
import LibAVFactory from "../../vendor/libav/dist/libav-seekframe.wasm.mjs";
import { AV_LOG_FATAL } from "./ffmpeg.ts";

type P<T = number> = Promise<T>;

/** A libav.js packet or frame object as copied out (subset). */
export interface LibAVFrame {
  /** Pixel data; packed when copied out with `ff_copyout_frame_video_packed`. */
  data: Uint8Array | Uint8Array[];
}

/** The subset of a libav.js instance seekframe calls. */
export interface LibAV {
  onblockread?: (file: string, pos: number, length: number) => void;
  /** Each block-reader device's last buffer, by name (libav.js internals; `unlink` leaves them). */
  blockReadBuffers?: Record<string, unknown>;
  mkblockreaderdev(name: string, size: number): P<void>;
  ff_block_reader_dev_send(name: string, pos: number, data: Uint8Array | null, opts?: { errorCode?: number }): P<void>;
  unlink(name: string): P<void>;
  writeFile(name: string, data: Uint8Array): P<void>;
  avformat_open_input_js(name: string, fmt: number, options: number): P;
  avformat_close_input_js(fmt: number): P<void>;
  avformat_find_stream_info(fmt: number, options: number): P;
  av_log_set_level(level: number): P<void>;
  AVFormatContext_nb_streams(fmt: number): P;
  AVFormatContext_streams_a(fmt: number, i: number): P;
  AVStream_codecpar(st: number): P;
  AVStream_discard_s(st: number, v: number): P<void>;
  AVStream_time_base_num(st: number): P;
  AVStream_time_base_den(st: number): P;
  AVCodecParameters_codec_type(par: number): P;
  ff_copyout_codecpar(par: number): P<Record<string, unknown> & { codec_id: number }>;
  seekframe_mov_is_fragmented(fmt: number): P;
  seekframe_index_count(fmt: number, stream: number): P;
  seekframe_index_read(fmt: number, stream: number, out: number, max: number): P;
  seekframe_stream_info(fmt: number, stream: number, out: number): P;
  malloc(n: number): P;
  free(ptr: number): P<void>;
  copyout_u8(ptr: number, n: number): P<Uint8Array>;
  copyout_f64(ptr: number, n: number): P<Float64Array>;
  ff_error(code: number): P<string>;
  avcodec_get_name(id: number): P<string>;
  avcodec_find_decoder(id: number): P;
  avcodec_descriptor_next(prev: number): P;
  av_pix_fmt_desc_get(format: number): P;
  copyout_s32(ptr: number, n: number): P<Int32Array>;
  sws_freeContext(sws: number): P<void>;
  avcodec_parameters_alloc(): P;
  avcodec_parameters_free_js(par: number): P<void>;
  ff_copyin_codecpar(par: number, codecpar: Record<string, unknown>): P<void>;
  seekframe_session_open(par: number, tbNum: number, tbDen: number): P;
  seekframe_session_reset(session: number): P;
  seekframe_session_close(session: number): P<void>;
  seekframe_session_buffer(session: number, size: number): P;
  seekframe_session_run(session: number, job: number): P;
  seekframe_pix_fmt_name(format: number): P<string>;
  seekframe_heap_info(out: number): P;
  seekframe_demux_watch(fmt: number): P;
  seekframe_demux_damage(out: number, max: number): P;
  copyin_u8(ptr: number, data: Uint8Array): P<void>;
  av_packet_alloc(): P;
  av_packet_free_js(pkt: number): P<void>;
  ff_read_frame_multi(
    fmt: number,
    pkt: number,
    opts: { limit: number; copyoutPacket: "ptr" },
  ): P<[number, Record<number, number[]>]>;
  AVPacket_size(p: number): P;
  AVPacket_pos(p: number): P;
  AVPacket_poshi(p: number): P;
  AVPacket_pts(p: number): P;
  AVPacket_ptshi(p: number): P;
  AVPacket_dts(p: number): P;
  AVPacket_dtshi(p: number): P;
  AVPacket_flags(p: number): P;
  AVPacket_data(p: number): P;
  ff_init_decoder(codec: number, opts: { codecpar: unknown; time_base: [number, number] }): P<number[]>;
  ff_free_decoder(ctx: number, pkt: number, frame: number): P<void>;
  avcodec_flush_buffers(ctx: number): P<void>;
  ff_decode_multi(
    ctx: number,
    pkt: number,
    frame: number,
    packets: Record<string, unknown>[],
    opts: { fin: boolean; copyoutFrame: "ptr" },
  ): P<number[]>;
  av_frame_alloc(): P;
  av_frame_free_js(f: number): P<void>;
  AVFrame_pts(f: number): P;
  AVFrame_ptshi(f: number): P;
  AVFrame_flags(f: number): P;
  AVFrame_width(f: number): P;
  AVFrame_height(f: number): P;
  AVFrame_format(f: number): P;
  AVFrame_width_s(f: number, v: number): P<void>;
  AVFrame_height_s(f: number, v: number): P<void>;
  AVFrame_format_s(f: number, v: number): P<void>;
  sws_getContext(
    sw: number,
    sh: number,
    sf: number,
    dw: number,
    dh: number,
    df: number,
    flags: number,
    a: number,
    b: number,
    c: number,
  ): P;
  sws_scale_frame(sws: number, dst: number, src: number): P;
  ff_copyout_frame_video_packed(f: number): P<LibAVFrame>;
}

const wrapper = LibAVWrapper as unknown as { LibAV(opts: Record<string, unknown>): Promise<LibAV> };
const factory = LibAVFactory as unknown as (opts: Record<string, unknown>) => Promise<unknown>;

const WASM_URL = new URL("../../vendor/libav/dist/libav-seekframe.wasm.wasm", import.meta.url);
let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * The compiled WebAssembly module, compiled once per thread that asks (the
 * main thread, which posts it to every Worker). A Worker that compiles the
 * wasm itself can abort the whole process when it is terminated while V8
 * still compiles or validates it (Deno 2.9); one that is handed a compiled
 * module only instantiates it, in milliseconds.
 */
export function compileLibAV(): Promise<WebAssembly.Module> {
  compiled ??= Deno.readFile(WASM_URL).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

/** Instantiates `module` (a compiled {@link compileLibAV}) on the calling thread. */
export async function loadLibAV(module?: WebAssembly.Module): Promise<LibAV> {
  const libav = await wrapper.LibAV({
    noworker: true,
    nothreads: true,
    wasmurl: WASM_URL.href,
    factory: (opts: Record<string, unknown>) =>
      new Promise((resolve, reject) => {
        factory({
          ...opts,
          // libav.js's C glue prints its failures (e.g. "[avformat_open_input_js]
          // Invalid data…") to stderr; keep the last one for typed errors instead.
          printErr: (line: string) => lastMessage = line.replace(/^\[\w+\]\s*/, ""),
          // emscripten's hook: instantiate the module given instead of fetching and compiling.
          // Returning {} means the exports come later, through `done`.
          ...(module && {
            instantiateWasm(
              imports: WebAssembly.Imports,
              done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
            ) {
              WebAssembly.instantiate(module, imports).then((instance) => done(instance, module), reject);
              return {};
            },
          }),
        }).then(resolve, reject);
      }),
  });
  // Errors surface as typed exceptions; FFmpeg's own chatter would only fill logs.
  await libav.av_log_set_level(AV_LOG_FATAL);
  return libav;
}

let lastMessage = "";

/** The last message libav.js printed to stderr since the previous call, or "" (clears it). */
export function takeLibAVMessage(): string {
  const message = lastMessage;
  lastMessage = "";
  return message;
}
