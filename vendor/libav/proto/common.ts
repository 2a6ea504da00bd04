// Shared helpers for the prototypes in vendor/libav/proto (not part of the library).
//
// - loadLibAV(opts): loads a build (default vendor/libav/dist) the way src/decode/libav.ts does,
//   optionally from a WebAssembly.Module compiled elsewhere (no compile in this thread).
// - demux(libav, file): all video packets of a file (libav.js demuxer, MEMFS), codecpar, time base.
// - Session: the seekframe_session_* C API (job/result layouts as in vendor/libav/README.md).

// deno-lint-ignore-file no-explicit-any

export const REPO = new URL("../../../", import.meta.url);
export const DIST = new URL("../dist/", import.meta.url);

export interface LoadOptions {
  /** Directory URL of a build (libav-seekframe.mjs, .wasm.mjs, .wasm.wasm). */
  dist?: URL;
  /** A compiled module of that build's .wasm.wasm: instantiate it instead of compiling. */
  module?: WebAssembly.Module;
}

/** Loads a libav.js instance (direct mode, this thread). */
export async function loadLibAV(opts: LoadOptions = {}): Promise<any> {
  const dist = opts.dist ?? DIST;
  const LibAV = (await import(new URL("libav-seekframe.mjs", dist).href)).default;
  const factory = (await import(new URL("libav-seekframe.wasm.mjs", dist).href)).default;
  const module = opts.module;
  const libav = await LibAV.LibAV({
    noworker: true,
    nothreads: true,
    wasmurl: new URL("libav-seekframe.wasm.wasm", dist).href,
    factory: (o: Record<string, unknown>) =>
      new Promise((resolve, reject) => {
        factory({
          ...o,
          printErr: () => {},
          // emscripten hook: instantiate the given module; returning {} means "the exports come
          // later through done()". A failed instantiation would leave emscripten waiting forever,
          // so it rejects the factory promise itself.
          ...(module
            ? {
              instantiateWasm(
                imports: WebAssembly.Imports,
                done: (i: WebAssembly.Instance, m: WebAssembly.Module) => void,
              ) {
                WebAssembly.instantiate(module, imports).then((instance) => done(instance, module)).catch(reject);
                return {};
              },
            }
            : {}),
        }).then(resolve, reject);
      }),
  });
  await libav.av_log_set_level(8); // AV_LOG_FATAL
  return libav;
}

export interface Packet {
  data: Uint8Array;
  pts: number;
  dts: number;
  flags: number;
}

export interface Demuxed {
  codecpar: any;
  timeBase: [number, number];
  packets: Packet[];
}

export const AV_NOPTS = -9223372036854775808;
export function int64(lo: number, hi: number): number {
  return hi * 4294967296 + (lo >>> 0);
}
export function hiLo(n: number): [number, number] {
  const hi = Math.floor(n / 4294967296);
  return [n - hi * 4294967296, hi];
}

/** Every packet of the first video stream, in file (decode) order. */
export async function demux(libav: any, path: string): Promise<Demuxed> {
  const name = `demux-${Math.random().toString(36).slice(2)}`;
  await libav.writeFile(name, await Deno.readFile(path));
  const fmt = await libav.avformat_open_input_js(name, 0, 0);
  try {
    const nb = await libav.AVFormatContext_nb_streams(fmt);
    let video = -1, st = 0;
    for (let i = 0; i < nb; i++) {
      const s = await libav.AVFormatContext_streams_a(fmt, i);
      if (video < 0 && (await libav.AVCodecParameters_codec_type(await libav.AVStream_codecpar(s))) === 0) {
        video = i;
        st = s;
      } else await libav.AVStream_discard_s(s, 48);
    }
    const codecpar = await libav.ff_copyout_codecpar(await libav.AVStream_codecpar(st));
    const timeBase: [number, number] = [await libav.AVStream_time_base_num(st), await libav.AVStream_time_base_den(st)];
    const pkt = await libav.av_packet_alloc();
    const packets: Packet[] = [];
    for (;;) {
      const [res, by] = await libav.ff_read_frame_multi(fmt, pkt, { limit: 64 << 20 });
      for (const p of by[video] ?? []) {
        const pts = int64(p.pts, p.ptshi), dts = int64(p.dts, p.dtshi);
        packets.push({
          data: p.data,
          pts: pts === AV_NOPTS ? NaN : pts,
          dts: dts === AV_NOPTS ? NaN : dts,
          flags: p.flags,
        });
      }
      if (res === libav.AVERROR_EOF) break;
      if (res < 0 && res !== -6) throw new Error(`demux: ${await libav.ff_error(res)}`);
    }
    await libav.av_packet_free_js(pkt);
    return { codecpar, timeBase, packets };
  } finally {
    await libav.avformat_close_input_js(fmt);
    await libav.unlink(name);
  }
}

// ---------------------------------------------------------------- session API

export const OUT_NONE = 0, OUT_RGB24 = 1, OUT_NATIVE = 2;
const JOB_HEADER = 16, JOB_PACKET = 5, RES_HEADER = 16, RES_FRAME = 10, MAX_KEEP = 64;

export interface JobSpec {
  packets: Packet[];
  targets: number[];
  fin?: boolean;
  /** Frames past this pts that are not targets stay in the session (NaN: keep none). */
  keepAbove?: number;
  maxKeep?: number;
  mode?: number;
  width?: number;
  height?: number;
  swsFlags?: number;
}

export interface OutFrame {
  pts: number;
  width: number;
  height: number;
  format: number;
  flags: number;
  srcWidth: number;
  srcHeight: number;
  srcFormat: number;
  /** Pixel data (a copy out of the wasm heap); empty with OUT_NONE. */
  data: Uint8Array;
}

export interface JobResult {
  error: number;
  frames: OutFrame[];
  decoded: number;
  maxPts: number;
  kept: number[];
  drained: boolean;
  sent: number;
  fromKept: number;
}

/** Lays a job out as the C side reads it: header, packet rows, targets, then the data blob. */
export function encodeJob(job: JobSpec): Uint8Array {
  const n = job.packets.length, t = job.targets.length;
  const blobOffset = (JOB_HEADER + n * JOB_PACKET + t) * 8;
  let blobSize = 0;
  for (const p of job.packets) blobSize += p.data.byteLength;
  const buf = new ArrayBuffer(blobOffset + blobSize);
  const f = new Float64Array(buf, 0, blobOffset / 8);
  const u8 = new Uint8Array(buf);
  f.set([
    n,
    t,
    job.fin ? 1 : 0,
    job.keepAbove ?? NaN,
    job.maxKeep ?? 16,
    job.mode ?? OUT_RGB24,
    job.width ?? 0,
    job.height ?? 0,
    job.swsFlags ?? 0,
    blobOffset,
    blobSize,
    buf.byteLength,
  ]);
  let at = 0;
  job.packets.forEach((p, i) => {
    const o = JOB_HEADER + i * JOB_PACKET;
    f[o] = at;
    f[o + 1] = p.data.byteLength;
    f[o + 2] = p.pts;
    f[o + 3] = p.dts;
    f[o + 4] = p.flags;
    u8.set(p.data, blobOffset + at);
    at += p.data.byteLength;
  });
  f.set(job.targets, JOB_HEADER + n * JOB_PACKET);
  return u8;
}

export class Session {
  private constructor(readonly libav: any, readonly ptr: number) {}

  /** Opens a session from a codecpar object (as ff_copyout_codecpar gives). */
  static async open(libav: any, codecpar: any, timeBase: [number, number]): Promise<Session> {
    const par = await libav.avcodec_parameters_alloc();
    try {
      await libav.ff_copyin_codecpar(par, codecpar);
      const s = await libav.seekframe_session_open(par, timeBase[0], timeBase[1]);
      if (s <= 0) throw new Error(`seekframe_session_open: ${await libav.ff_error(s)}`);
      return new Session(libav, s);
    } finally {
      await libav.avcodec_parameters_free_js(par);
    }
  }

  reset(): Promise<number> {
    return this.libav.seekframe_session_reset(this.ptr);
  }

  close(): Promise<void> {
    return this.libav.seekframe_session_close(this.ptr);
  }

  /** One job: buffer + copyin + run + copyout of the table, then one copyout per output frame. */
  async run(job: JobSpec): Promise<JobResult> {
    const av = this.libav;
    const bytes = encodeJob(job);
    const buf = await av.seekframe_session_buffer(this.ptr, bytes.byteLength);
    if (!buf) throw new Error("seekframe_session_buffer: out of memory");
    await av.copyin_u8(buf, bytes);
    const res = await av.seekframe_session_run(this.ptr, buf);
    if (!res) throw new Error("seekframe_session_run: malformed job");
    const t = job.targets.length;
    const v: Float64Array = await av.copyout_f64(res, RES_HEADER + t * RES_FRAME + MAX_KEEP);
    const frames: OutFrame[] = [];
    for (let i = 0; i < v[1]; i++) {
      const o = RES_HEADER + i * RES_FRAME;
      const size = v[o + 6];
      frames.push({
        pts: v[o],
        width: v[o + 1],
        height: v[o + 2],
        format: v[o + 3],
        flags: v[o + 4],
        srcWidth: v[o + 7],
        srcHeight: v[o + 8],
        srcFormat: v[o + 9],
        data: size ? await av.copyout_u8(res + v[o + 5], size) : new Uint8Array(),
      });
    }
    const keptAt = v[11];
    return {
      error: v[0],
      frames,
      decoded: v[2],
      maxPts: v[3],
      kept: Array.from(v.subarray(keptAt, keptAt + v[4])),
      drained: v[5] === 1,
      sent: v[6],
      fromKept: v[7],
    };
  }
}

/** Median of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export async function sha(data: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
  return Array.from(d.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `--name value` / `--flag` arguments (JSR is not reachable here, so no std/cli). */
export function args(defaults: Record<string, string>): Record<string, string> {
  const out = { ...defaults };
  const a = Deno.args;
  for (let i = 0; i < a.length; i++) {
    if (!a[i].startsWith("--")) throw new Error(`unexpected argument ${a[i]}`);
    const k = a[i].slice(2);
    if (!(k in defaults)) throw new Error(`unknown option --${k} (known: ${Object.keys(defaults).join(", ")})`);
    out[k] = i + 1 < a.length && !a[i + 1].startsWith("--") ? a[++i] : "1";
  }
  return out;
}

/** A `--dist` argument (a path, relative to the working directory) as a directory URL. */
export function distURL(path: string): URL {
  return new URL(path.endsWith("/") ? path : path + "/", `file://${Deno.cwd()}/`);
}
