/**
 * Hostile media: hundreds of damaged files (`test/mutate.ts`) through the
 * library and the sidecar. Every call must end in a typed error or in the
 * frame native ffmpeg shows as frame N of the same damaged file; nothing may
 * crash or hang, and memory must not grow when the same work is done again.
 *
 * How it runs:
 *
 * - The cases (default 500 mutations, `SEEKFRAME_FUZZ_CASES` for more, seeded
 *   by `SEEKFRAME_FUZZ_SEED`) plus each pristine fixture (a check of the
 *   harness itself) are written to a temporary folder.
 * - A child process (this file, run with `SEEKFRAME_HOSTILE_CHILD=1`; or
 *   several side by side, `SEEKFRAME_FUZZ_LANES`, each taking its share of
 *   the cases) opens one store over that folder, and per case calls `info`,
 *   then `getFrame` of the first and the last frame, a keyframe and the frame
 *   before it (and the pristine file's last frame when the damaged file
 *   claims another count), then `getFrames` of those and one at random,
 *   shuffled. Every call has a
 *   timeout. A child reports each outcome as a JSON line and writes returned
 *   pixels to files. A crash (the child dies, or passes the RSS limit) or a
 *   hang (a call times out, or the child goes silent) is pinned on the case
 *   it was running, and a new child carries on with the next case. Each child
 *   goes through its list twice (`SEEKFRAME_FUZZ_PASSES`) and reports its RSS
 *   after each pass.
 * - Meanwhile a share of the cases (`SEEKFRAME_FUZZ_HTTP_SHARE`, default 0.2)
 *   goes through a real sidecar (over MinIO when the test task started one,
 *   else over the folder): `/v1/info`, `/v1/frame`, `/v1/frames` as raw RGB.
 *   A 500 or a body that is not a JSON error with a code counts as untyped, a
 *   504 as a hang, a dead sidecar as a crash (it is restarted).
 * - After those passes the child goes through the cases once more with a
 *   second store that verifies each video when it opens (`verify: true`).
 * - Each returned frame is compared with native ffmpeg's frame N of the same
 *   damaged file (decoded once per file, on demand, with ffmpeg's default
 *   threads and, when that differs, with one thread). Debian's ffmpeg is 5.1
 *   and seekframe's decoder FFmpeg 9.0, which may decode damaged bits
 *   otherwise: a frame Debian's shows differently is also compared, as the
 *   decoded picture, with native FFmpeg 9.0's frame N (`SameVersion`,
 *   `test/ffmpeg9.sh`); either match is correct. A wrong one is diagnosed.
 * - A frame whose whole decode path is, byte for byte, the undamaged file's
 *   (or that ffmpeg, given its path alone, shows as seekframe does) while
 *   ffmpeg shows another frame N was renumbered by damage elsewhere in the
 *   file, which a random access does not read. Without verification it is
 *   counted and listed apart ("damage outside the path"), not as correct and
 *   not as wrong (`OutsidePath`; README, "Damaged files"); in the verified
 *   pass there must be none.
 *
 * `SEEKFRAME_FUZZ_ONLY=name,name` reruns just those cases (names as printed);
 * `SEEKFRAME_FUZZ_REPORT=path` writes every outcome as JSON.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, DeleteObjectsCommand, PutObjectCommand } from "npm:@aws-sdk/client-s3@3.1175.0";
import { type Frame, type FrameStore, openFrameStore, SeekframeError, type VideoInfo } from "../mod.ts";
import { BUCKET, FIXTURES, rawClient, rng } from "./env.ts";
import {
  ALL_KINDS,
  buildCase,
  type CaseSpec,
  FIXTURE_SET,
  type MutatedCase,
  parseCaseName,
  planCases,
} from "./mutate.ts";
import { DecoderPool } from "../src/decode/pool.ts";
import { buildIndex } from "../src/index/build.ts";
import { FLAG_KEY, type FrameIndex } from "../src/index/model.ts";
import { planJobs, reorderDepth } from "../src/index/plan.ts";
import { mse, psnr, referenceFrames, selectFrame } from "./reference.ts";
import { type Sidecar, startSidecar } from "./sidecar.ts";
import { ensureFfmpeg9 } from "./ffmpeg9.ts";

const SELF = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------
// Settings

const envNumber = (name: string, fallback: number) => {
  const v = Deno.env.get(name);
  return v === undefined || v === "" ? fallback : Number(v);
};

/** Mutated cases per run (the pristine fixtures come on top). */
const CASES = envNumber("SEEKFRAME_FUZZ_CASES", 500);
const SEED = envNumber("SEEKFRAME_FUZZ_SEED", 1);
/** Share of the cases also sent through the sidecar. */
const HTTP_SHARE = envNumber("SEEKFRAME_FUZZ_HTTP_SHARE", 0.2);
/**
 * Child processes running the library part side by side, each over its share
 * of the cases. One by default: ffmpeg and the sidecar keep the other core
 * busy, and a leak shows twice as clearly against one child's RSS as against
 * two (each with its own runtime and wasm heap) sharing the cases.
 */
const LANES = envNumber("SEEKFRAME_FUZZ_LANES", 1);
/** A library call or HTTP request taking longer is a hang. */
const CALL_TIMEOUT_MS = envNumber("SEEKFRAME_FUZZ_TIMEOUT_MS", 20_000);
/** The child is a hang too when it says nothing for this long (its event loop may be blocked). */
const SILENCE_MS = Math.max(60_000, CALL_TIMEOUT_MS * 3);
/** A child above this RSS is killed, and that counts as a crash (memory blow-up). */
const RSS_LIMIT = envNumber("SEEKFRAME_FUZZ_RSS_LIMIT_MB", 4096) * 2 ** 20;
/** Times the library part goes through the case list (the memory check compares the last two). */
const PASSES = Math.max(2, envNumber("SEEKFRAME_FUZZ_PASSES", 2));
/**
 * Allowed RSS growth of the last pass over the one before. After the first
 * pass every bounded structure is at its steady size: the block cache (small
 * here, see below), the open-video LRU (256 videos, fewer than a lane's
 * cases), the decoder sessions, and the wasm heap, which has grown to the
 * largest decode in the list (wasm memories never shrink). The same work
 * again should then only move RSS by allocator and GC noise (under 1% in
 * leak-free runs); 10% of a 250 MiB child is some 25 MiB, about 100 KB kept
 * per case of a 259-case lane per pass, so that is the smallest leak this
 * notices.
 */
const RSS_GROWTH = 0.10;
/**
 * The pass through a second store that verifies each video when it opens
 * (`verify: true`), after the others: there no frame may differ from native
 * ffmpeg's through damage outside its decode path, since the whole file was
 * decoded first.
 */
const VERIFIED_PASS = PASSES + 1;

/** The column a library pass's outcomes count in. */
function viaOf(pass: number): "lib1" | "lib2" | "libv" {
  return pass === 1 ? "lib1" : pass === VERIFIED_PASS ? "libv" : "lib2";
}
/** The child's block cache: small, so it is full long before the first pass ends (see the memory check). */
const CHILD_CACHE_BYTES = 32 * 2 ** 20;
/** The fixtures the brief names: their pristine copies go through the sidecar too. */
const PRIMARY = [
  "h264_bframes_faststart.mp4",
  "h264_audio_moov_end.mp4",
  "h264_fragmented.mp4",
  "h264.mkv",
  "vp9.webm",
  "h264_audio.ts",
  "hevc.mp4",
  "mpeg4.mp4",
];
/**
 * PSNR from which the diagnosis of a wrong frame calls two pictures the same
 * frame (which ffmpeg frame it is, whether it is the undamaged one). A match
 * itself is byte for byte: seekframe's RGB24 is the ffmpeg CLI's exactly.
 */
const SAME_DB = 45;

// ---------------------------------------------------------------------------
// What the child reports

/** The outcome of one call. */
interface CallRecord {
  op: "info" | "frame" | "frames";
  /** Frames asked (one for `frame`). */
  ns: number[];
  ms: number;
  /** `typed`: a SeekframeError (by `code`); `untyped`: anything else thrown; `malformed`: a result that breaks the API's promises. */
  outcome: "ok" | "typed" | "untyped" | "hang" | "malformed";
  code?: string;
  name?: string;
  message?: string;
  info?: Pick<VideoInfo, "frameCount" | "width" | "height" | "codec" | "container"> & { keyframes: number[] };
  frames?: FrameRecord[];
}

/** A returned frame: its pixels are in `file` (the first time this process saw them for the case). */
interface FrameRecord {
  n: number;
  width: number;
  height: number;
  hash: string;
  file?: string;
}

type ChildMessage =
  | { t: "rss"; label: string; rss: number; heap: number }
  | { t: "start"; job: number }
  | { t: "case"; job: number; calls: CallRecord[] }
  | { t: "done" };

interface ChildJob {
  /** 1 to {@link PASSES}; {@link VERIFIED_PASS} for the pass through a store that verifies each video. */
  pass: number;
  /** Index in the case list. */
  i: number;
}

interface ChildPlan {
  dir: string;
  out: string;
  keys: string[];
  /** Pristine fixture key per case (frames to ask when the damaged file has no info). */
  pristine: string[];
  seeds: number[];
  jobs: ChildJob[];
  from: number;
  timeoutMs: number;
}

// ---------------------------------------------------------------------------
// Shared by the child and the HTTP runner

interface Shape {
  frameCount: number;
  keyframes: number[];
}

/**
 * The frames asked of a case. One by one: the first, the last, a keyframe and
 * the frame before it, and the pristine file's last one when the damaged file
 * claims another count; as a batch: those and one at random, shuffled.
 * Without the damaged file's info, the pristine file's shape stands in.
 */
function framesToAsk(
  seed: number,
  damaged: Shape | undefined,
  pristine: Shape | undefined,
): { single: number[]; batch: number[] } {
  const r = rng(seed ^ 0x5eed);
  const shape = damaged ?? pristine ?? { frameCount: 48, keyframes: [0, 24] };
  const count = Math.max(1, Math.min(shape.frameCount, 2 ** 31));
  const want = [0, count - 1];
  const keys = shape.keyframes.filter((k) => k > 0 && k < count);
  if (keys.length > 0) {
    const k = keys[Math.floor(r() * keys.length)];
    want.push(k, k - 1);
  }
  if (pristine && damaged && pristine.frameCount !== damaged.frameCount) want.push(pristine.frameCount - 1);
  const single = [...new Set(want.filter((n) => n >= 0))];
  const batch = count > 2 ? [...new Set([...single, 1 + Math.floor(r() * (count - 2))])] : single;
  return { single, batch: shuffle(seed, batch) };
}

function shuffle<T>(seed: number, items: T[]): T[] {
  const r = rng(seed ^ 0xf00d);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function sha1(data: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", data as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, "0")).join("").slice(0, 20);
}

// ---------------------------------------------------------------------------
// The child: the library part

async function childMain(): Promise<void> {
  const plan: ChildPlan = JSON.parse(await Deno.readTextFile(Deno.args[0]));
  const enc = new TextEncoder();
  const send = (msg: ChildMessage) => {
    const bytes = enc.encode(JSON.stringify(msg) + "\n");
    for (let at = 0; at < bytes.byteLength;) at += Deno.stdout.writeSync(bytes.subarray(at));
  };
  const gc = (globalThis as { gc?: () => void }).gc;
  const rss = async (label: string) => {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
    gc?.();
    const m = Deno.memoryUsage();
    send({ t: "rss", label, rss: m.rss, heap: m.heapUsed });
  };
  const plain = await openFrameStore({
    dir: plan.dir,
    workers: 1, // the lanes run side by side; one wasm instance each keeps the memory check sensitive
    kvPath: false,
    cache: { maxBytes: CHILD_CACHE_BYTES },
  });
  await rss("start");
  let verifying: FrameStore | undefined;
  const shapes = new Map<string, Promise<Shape | undefined>>();
  const pristineShape = (key: string) => {
    if (!shapes.has(key)) shapes.set(key, plain.info(key).catch(() => undefined));
    return shapes.get(key)!;
  };
  /** Frame hashes this process already wrote, per case and frame number. */
  const written = new Set<string>();
  let hung = false;

  async function call<T>(
    op: CallRecord["op"],
    ns: number[],
    run: () => Promise<T>,
    check: (v: T) => Promise<Partial<CallRecord>>,
  ): Promise<CallRecord> {
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"hang">((resolve) => timer = setTimeout(() => resolve("hang"), plan.timeoutMs));
    try {
      const v = await Promise.race([run(), timeout]);
      const ms = Math.round(performance.now() - started);
      if (v === "hang") {
        hung = true;
        return { op, ns, ms, outcome: "hang", message: `no answer in ${plan.timeoutMs} ms` };
      }
      return { op, ns, ms, outcome: "ok", ...(await check(v as T)) };
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      if (err instanceof SeekframeError) {
        return { op, ns, ms, outcome: "typed", code: err.code, name: err.name, message: err.message };
      }
      const e = err instanceof Error ? err : new Error(String(err));
      return {
        op,
        ns,
        ms,
        outcome: "untyped",
        name: e.name,
        message: `${e.message}\n${(e.stack ?? "").split("\n").slice(1, 6).join("\n")}`,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  const framesCheck =
    (i: number, pass: number, asked: number[]) => async (frames: Frame[]): Promise<Partial<CallRecord>> => {
      if (!Array.isArray(frames) || frames.length !== asked.length) {
        return { outcome: "malformed", message: `asked ${asked.length} frames, got ${frames?.length}` };
      }
      const records: FrameRecord[] = [];
      for (const [k, f] of frames.entries()) {
        const n = asked[k];
        if (f.index !== n || f.data.byteLength !== f.width * f.height * 3 || f.width < 1 || f.height < 1) {
          return {
            outcome: "malformed",
            message: `asked frame ${n}, got index ${f.index}, ${f.width}×${f.height} with ${f.data.byteLength} bytes`,
          };
        }
        const hash = await sha1(f.data);
        const record: FrameRecord = { n, width: f.width, height: f.height, hash };
        const id = `${i}/${n}/${hash}`;
        if (!written.has(id)) {
          written.add(id);
          record.file = join(plan.out, `${pass}-${i}-${n}-${hash}.rgb`);
          await Deno.writeFile(record.file, f.data);
        }
        records.push(record);
      }
      return { frames: records };
    };

  let lastPass = plan.jobs[plan.from]?.pass;
  for (let job = plan.from; job < plan.jobs.length; job++) {
    const { pass, i } = plan.jobs[job];
    if (pass !== lastPass) {
      await rss(`pass ${lastPass}`);
      lastPass = pass;
    }
    verifying ??= pass === VERIFIED_PASS
      ? await openFrameStore({ dir: plan.dir, workers: 2, kvPath: false, verify: true }) // its jobs run side by side
      : undefined;
    const store = verifying ?? plain;
    send({ t: "start", job });
    const key = plan.keys[i], seed = plan.seeds[i];
    const calls: CallRecord[] = [];
    const info = await call("info", [], () => store.info(key), (v) =>
      Promise.resolve(
        {
          info: {
            frameCount: v.frameCount,
            width: v.width,
            height: v.height,
            codec: v.codec,
            container: v.container,
            keyframes: v.keyframes.slice(0, 64),
          },
        } satisfies Partial<CallRecord>,
      ));
    calls.push(info);
    if (!hung) {
      const ask = framesToAsk(seed, info.info, await pristineShape(plan.pristine[i]));
      for (const n of ask.single) {
        calls.push(await call("frame", [n], () => store.getFrame(key, n).then((f) => [f]), framesCheck(i, pass, [n])));
        if (hung) break;
      }
      if (!hung) {
        const order = ask.batch;
        calls.push(await call("frames", order, () => store.getFrames(key, order), framesCheck(i, pass, order)));
      }
    }
    send({ t: "case", job, calls });
    if (hung) Deno.exit(3); // the store may be stuck: the parent starts a new child with the next case
  }
  await rss(`pass ${lastPass}`);
  await verifying?.close();
  await plain.close();
  send({ t: "done" });
}

// ---------------------------------------------------------------------------
// Native ffmpeg's view of a damaged file

interface RefFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** What ffmpeg shows: how many frames, the ones kept, and how it ended. */
interface Ref {
  total: number;
  frames: Map<number, RefFrame>;
  /** Exit status and the end of its error output, when it failed or was killed. */
  failure?: string;
  /** Some frames were not kept (memory cap). */
  partial: boolean;
  /** Whether ffmpeg logged an error (`-v error`), even if it exited well. */
  logged: boolean;
}

/** Frame `n` of a view and its neighbours, as {@link judge} takes them. */
function around(ref: Ref, n: number): { ref: Ref; frame?: RefFrame; before?: RefFrame; after?: RefFrame } {
  return { ref, frame: ref.frames.get(n), before: ref.frames.get(n - 1), after: ref.frames.get(n + 1) };
}

/**
 * All frames ffmpeg outputs for the file, as `referenceFrames` decodes them
 * (same arguments), but tolerant of what damaged input does: ffmpeg may exit
 * with an error after showing frames (they still count), the picture size may
 * change from frame to frame (each frame keeps its own), and output is read as
 * a stream with at most `capBytes` of frames kept.
 */
async function ffmpegView(path: string, threads = 0, keep?: Set<number>, capBytes = 512 * 2 ** 20): Promise<Ref> {
  const child = new Deno.Command("ffmpeg", {
    args: [
      "-v",
      "error",
      ...(threads ? ["-threads", String(threads)] : []),
      "-i",
      path,
      "-map",
      "0:v:0",
      "-fps_mode",
      "passthrough",
      "-f",
      "image2pipe",
      "-c:v",
      "ppm",
      "-",
    ],
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 120_000);
  const frames = new Map<number, RefFrame>();
  let total = 0, kept = 0, partial = false;
  let buf = new Uint8Array(1 << 20), len = 0, pos = 0;
  let need: { width: number; height: number; at: number } | undefined;
  const header = (): { width: number; height: number; at: number } | undefined => {
    const fields: string[] = [];
    let at = pos;
    while (fields.length < 4) {
      let end = at;
      while (end < len && buf[end] > 0x20) end++;
      if (end >= len) return undefined;
      fields.push(String.fromCharCode(...buf.subarray(at, end)));
      at = end + 1;
    }
    if (fields[0] !== "P6" || fields[3] !== "255") throw new Error(`unexpected PPM header ${fields.join(" ")}`);
    return { width: Number(fields[1]), height: Number(fields[2]), at };
  };
  for await (const chunk of child.stdout) {
    if (len + chunk.byteLength > buf.byteLength) {
      const bigger = new Uint8Array(Math.max(buf.byteLength * 2, len - pos + chunk.byteLength + (1 << 20)));
      bigger.set(buf.subarray(pos, len));
      len -= pos;
      if (need) need.at -= pos;
      pos = 0;
      buf = bigger;
    }
    buf.set(chunk, len);
    len += chunk.byteLength;
    for (;;) {
      need ??= header();
      if (!need) break;
      const size = need.width * need.height * 3;
      if (len - need.at < size) break;
      const n = total++;
      if ((keep ? keep.has(n) : true) && kept + size <= capBytes) {
        frames.set(n, { width: need.width, height: need.height, data: buf.slice(need.at, need.at + size) });
        kept += size;
      } else if (!keep) partial = true;
      pos = need.at + size;
      need = undefined;
    }
    if (pos > 0 && pos === len) pos = len = 0;
  }
  const status = await child.status;
  clearTimeout(timer);
  const err = (await stderr).trim();
  const failure = killed
    ? "ffmpeg did not finish in 120 s"
    : status.success
    ? undefined
    : `ffmpeg exit ${status.code}: ${err.split("\n").slice(-3).join(" | ")}`;
  return { total, frames, failure, partial, logged: err.length > 0 };
}

/** At most `limit` tasks at a time, the others wait in order. */
class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(limit: number) {
    this.#free = limit;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

/** ffmpeg's views, decoded on demand, a few files kept. */
class References {
  readonly #views = new Map<string, Promise<Ref>>();
  readonly #ffmpeg = new Semaphore(2);

  /** The view of `path` holding frame `n` (re-decoded for it when the cap left it out); `threads` 0 is ffmpeg's default. */
  async frame(
    path: string,
    n: number,
    threads = 0,
  ): Promise<{ ref: Ref; frame?: RefFrame; before?: RefFrame; after?: RefFrame }> {
    const id = `${threads}|${path}`;
    let view = this.#views.get(id);
    if (!view) {
      view = this.#ffmpeg.run(() => ffmpegView(path, threads));
      this.#views.set(id, view);
      if (this.#views.size > 16) this.#views.delete(this.#views.keys().next().value!);
    }
    let ref = await view;
    if (n < ref.total && ref.partial && !ref.frames.has(n)) {
      ref = await this.#ffmpeg.run(() => ffmpegView(path, threads, new Set([n - 1, n, n + 1])));
    }
    return around(ref, n);
  }
}

interface Verdict {
  match: boolean;
  /**
   * Not ffmpeg's frame N, but provably not seekframe's to see: the bytes of its
   * decode path are the undamaged file's, and so is the picture (see
   * {@link OutsidePath}). Counted and reported apart from wrong frames.
   */
  outside?: boolean;
  /**
   * A match with native FFmpeg 9.0's frame N (seekframe's decoder version,
   * {@link SameVersion}) where Debian's ffmpeg 5.1 shows another picture:
   * the two versions decode the damaged bits differently.
   */
  version9?: boolean;
  /** What ffmpeg shows, in words. */
  detail: string;
  /** For a wrong frame, the kind of disagreement (summarised per run). */
  why?: string;
}

const db = (x: number) => (x === Infinity ? "∞" : x.toFixed(1)) + " dB";
const sameSize = (a: RefFrame, b: RefFrame) => a.width === b.width && a.height === b.height;

/**
 * Whether `got` is frame `n` of one ffmpeg view: the same size and the same bytes
 * (then no closer to its frame n−1 or n+1, trivially).
 */
function judge(
  view: { ref: Ref; frame?: RefFrame; before?: RefFrame; after?: RefFrame },
  n: number,
  got: RefFrame,
): Verdict {
  const { ref, frame, before, after } = view;
  if (n >= ref.total) {
    return {
      match: false,
      why: ref.total === 0 ? "ffmpeg shows no frame" : "past ffmpeg's last frame",
      detail: `ffmpeg shows ${ref.total} frame(s)${ref.failure ? ` (${ref.failure})` : ""}`,
    };
  }
  if (!frame) return { match: false, why: "harness", detail: `ffmpeg's frame ${n} was not kept` };
  if (!sameSize(frame, got)) {
    return {
      match: false,
      why: "size differs",
      detail: `ffmpeg's frame ${n} is ${frame.width}×${frame.height}, seekframe's ${got.width}×${got.height}`,
    };
  }
  const e = mse(got.data, frame.data), p = psnr(got.data, frame.data);
  const closer = ([[n - 1, before], [n + 1, after]] as const).find(([, other]) =>
    other && sameSize(other, got) && mse(got.data, other.data) < e
  );
  return closer
    ? {
      match: false,
      detail: `PSNR ${db(p)} against ffmpeg's frame ${n}, closer to its frame ${closer[0]} (${
        db(psnr(got.data, closer[1]!.data))
      })`,
    }
    : p === Infinity
    ? { match: true, detail: db(p) }
    : { match: false, detail: `PSNR ${db(p)} against ffmpeg's frame ${n}` };
}

/**
 * Whether `got` is ffmpeg's frame `n` of `path`. Native ffmpeg with its
 * default threads and with `-threads 1` are both references: on damaged input
 * frame threading conceals errors differently from one thread (seekframe's
 * decoder runs one), and either is what native ffmpeg shows as frame N. When
 * ffmpeg's output changes size along the way, its decode-all view may count
 * differently from the select filter (which starts counting again when the
 * filter graph is rebuilt), so `select=eq(n\,N)`, the definition of frame N,
 * is asked too. A frame that is neither is checked against {@link OutsidePath};
 * a wrong one gets a diagnosis: which ffmpeg frame it is, if any; how it
 * compares with the undamaged file's frame.
 */
async function verifyFrame(
  refs: References,
  outside: OutsidePath,
  same: SameVersion,
  path: string,
  n: number,
  got: RefFrame,
  pristine: string,
): Promise<Verdict> {
  const view = await refs.frame(path, n);
  const { ref } = view;
  const verdict = judge(view, n, got);
  if (verdict.match) return verdict;
  const single = judge(await refs.frame(path, n, 1), n, got);
  if (single.match) return { match: true, detail: `${single.detail} against ffmpeg -threads 1 (${verdict.detail})` };
  const sizes = new Set([...ref.frames.values()].map((f) => `${f.width}×${f.height}`));
  if (sizes.size > 1 || verdict.why === "size differs") {
    const selected = await selectFrame(path, n).catch(() => new Uint8Array());
    const p = selected.byteLength === got.data.byteLength && selected.byteLength > 0 ? psnr(got.data, selected) : 0;
    if (p === Infinity) return { match: true, detail: `${db(p)} against select=eq(n\\,${n}) (${verdict.detail})` };
    verdict.detail += `; select=eq(n\\,${n}): ${p ? db(p) : `${selected.byteLength} bytes`}`;
  }
  verdict.detail += `; ffmpeg -threads 1: ${single.detail}`;
  // Debian's ffmpeg is 5.1; seekframe's decoder is 9.0, which may decode damaged bits otherwise.
  const picture = await same.picture(path, n, got);
  const shown = picture && await same.shows(path, n, picture);
  if (shown) return { match: true, version9: true, detail: `${shown}; Debian's ffmpeg 5.1: ${verdict.detail}` };
  // Diagnosis: which ffmpeg frame it is, if any; whether it is the undamaged file's frame n (the right
  // picture, numbered differently by ffmpeg).
  const clean = (await referenceFrames(pristine).catch(() => undefined))?.frames[n];
  const cleanDb = clean && clean.byteLength === got.data.byteLength ? psnr(got.data, clean) : -Infinity;
  let best = -1, bestDb = -Infinity;
  for (const [m, f] of ref.frames) {
    if (!sameSize(f, got)) continue;
    const p = psnr(got.data, f.data);
    if (p > bestDb) [best, bestDb] = [m, p];
  }
  if (best >= 0 && best !== n && bestDb >= SAME_DB) {
    verdict.why ??= cleanDb >= SAME_DB ? "numbering shift" : "another frame's picture";
    verdict.detail += `; it is ffmpeg's frame ${best} (${db(bestDb)})`;
  } else if (best >= 0) verdict.detail += `; nearest ffmpeg frame ${best} (${db(bestDb)})`;
  verdict.why ??= "picture differs";
  if (cleanDb > -Infinity) verdict.detail += `; undamaged file's frame ${n}: ${db(cleanDb)}`;
  const identical = cleanDb >= SAME_DB ? await outside.identical(path, pristine, n) : undefined;
  if (identical) return { match: false, outside: true, why: verdict.why, detail: `${verdict.detail}; ${identical}` };
  const from = await outside.fromPath(path, n, got, picture && ((cut, m) => same.shows(cut, m, picture)));
  if (from) return { match: false, outside: true, why: verdict.why, detail: `${verdict.detail}; ${from}` };
  return verdict;
}

/**
 * Damage seekframe cannot see, because it lies outside frame N's decode path
 * (from the keyframe packet its decoder starts at, as the library plans it,
 * to the last packet shown before N). Shown one of two ways:
 *
 * - {@link OutsidePath.identical}: the path is byte for byte the undamaged
 *   file's, with the same timestamps, sizes and key flags, codec
 *   configuration (and MPEG-TS head), and N has the same pts in both
 *   indexes. The picture is then necessarily the undamaged file's frame N.
 * - {@link OutsidePath.fromPath}: native ffmpeg (one thread), given the
 *   damaged file's packets from that keyframe on (the ones before it dropped
 *   with the `noise` bitstream filter), shows seekframe's picture as its frame
 *   N − K, K being the keyframe's frame number. So ffmpeg agrees with
 *   seekframe on every picture and on the count from the keyframe on.
 *
 * Either way, when native ffmpeg decoding the whole file shows another frame
 * N, what made it differ (pictures dropped, or decoder state carried across
 * the keyframe) happened before the path. Finding that out means reading and
 * decoding everything before it, which a random access does not do
 * (documented in the README, "Damaged files"). Such frames are counted and
 * listed apart, never as correct.
 */
class OutsidePath {
  readonly #pool = new DecoderPool({ workers: 1 });
  readonly #indexes = new Map<string, Promise<{ index: FrameIndex; bytes: Uint8Array } | undefined>>();

  async #index(path: string) {
    let got = this.#indexes.get(path);
    if (!got) {
      got = (async () => {
        const bytes = await Deno.readFile(path);
        const read = (pos: number, length: number) => Promise.resolve(bytes.slice(pos, pos + length));
        try {
          const probe = await this.#pool.probe(path, bytes.byteLength, read, {});
          return { index: buildIndex({ key: path, size: bytes.byteLength, etag: "x" }, probe), bytes };
        } catch {
          return undefined;
        }
      })();
      this.#indexes.set(path, got);
      if (this.#indexes.size > 8) this.#indexes.delete(this.#indexes.keys().next().value!);
    }
    return await got;
  }

  /** Why frame `n` of `path` is provably decoded from undamaged bytes; undefined when it is not. */
  async identical(path: string, pristine: string, n: number): Promise<string | undefined> {
    const [d, p] = await Promise.all([this.#index(path), this.#index(pristine)]);
    if (!d || !p || n >= d.index.frames.length || n >= p.index.frames.length) return undefined;
    const a = decodePath(d.index, n), b = decodePath(p.index, n);
    const A = d.index.packets, B = p.index.packets;
    if (A.pts[a.target] !== B.pts[b.target] || a.last - a.first !== b.last - b.first) return undefined;
    if (!equalBytes(d.index.codecpar.extradata, p.index.codecpar.extradata)) return undefined;
    if (!equalBytes(d.index.spans?.head, p.index.spans?.head)) return undefined;
    for (let k = 0; k <= a.last - a.first; k++) {
      const i = a.first + k, j = b.first + k;
      if (A.pts[i] !== B.pts[j] && !(Number.isNaN(A.pts[i]) && Number.isNaN(B.pts[j]))) return undefined;
      if (A.dts[i] !== B.dts[j] || A.size[i] !== B.size[j]) return undefined;
      if ((A.flags[i] & FLAG_KEY) !== (B.flags[j] & FLAG_KEY)) return undefined;
      const x = d.bytes.subarray(A.offset[i], A.offset[i] + A.size[i]);
      const y = p.bytes.subarray(B.offset[j], B.offset[j] + B.size[j]);
      if (!equalBytes(x, y)) return undefined;
    }
    return `outside its decode path: packets ${a.first}–${a.last} (${
      a.last - a.first + 1
    }) are the undamaged file's, byte for byte`;
  }

  /**
   * Why frame `n` of `path` differs from ffmpeg's only through what comes
   * before its decode path, or undefined: native ffmpeg (one thread), given
   * `path`'s packets from frame `n`'s keyframe packet on, shows `got` as its
   * frame N − K (so it agrees with seekframe from the keyframe on), or
   * `sameVersion` (FFmpeg 9.0) does, given the same packets.
   */
  async fromPath(
    path: string,
    n: number,
    got: RefFrame,
    sameVersion?: (cut: string, m: number) => Promise<string | undefined>,
  ): Promise<string | undefined> {
    const d = await this.#index(path);
    if (!d || n >= d.index.frames.length) return undefined;
    const { packets, frames } = d.index;
    const { first } = decodePath(d.index, n);
    // The frame number the start packet shows as (it is a keyframe, so it shows).
    const k = frames.findIndex((packet) => packet === first);
    if (k < 0 || k > n) return undefined;
    const dir = await Deno.makeTempDir({ prefix: "seekframe-path-" });
    try {
      const cut = join(dir, "path.nut");
      const out = await new Deno.Command("ffmpeg", {
        args: ["-v", "error", "-y", "-i", path, "-map", "0:v:0", "-c", "copy"]
          .concat(["-bsf:v", `noise=drop=lt(n\\,${first})`, cut]),
        stdout: "null",
        stderr: "null",
        stdin: "null",
      }).output();
      if (!out.success) return undefined;
      const given = `given the packets from ${first} (frame ${k}, of ${packets.pts.length}) on`;
      const view = await ffmpegView(cut, 1, new Set([n - k - 1, n - k, n - k + 1]));
      const verdict = judge(around(view, n - k), n - k, got);
      if (verdict.match) {
        return `ffmpeg -threads 1 ${given} shows it as frame ${n - k} of those (${verdict.detail}): ` +
          "the difference comes from before its decode path";
      }
      const shown = await sameVersion?.(cut, n - k);
      return shown && `${given}: ${shown}: the difference comes from before its decode path`;
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/**
 * seekframe's FFmpeg version (9.0) compiled natively (`test/ffmpeg9.sh`), a
 * second reference. Debian's ffmpeg is 5.1: on damaged input the two
 * versions may decode the same bits into different pictures, each without a
 * word (the decoders changed in between). Decoders are bit-exact, so what is
 * compared is the decoded picture itself: seekframe's, asked again with
 * `pixelFormat: "native"` (once its RGB is checked to be the frame under
 * test), against FFmpeg 9.0's frame N in the same pixel format.
 */
class SameVersion {
  static readonly TRIES = 3;
  readonly #binary: string;
  readonly #dir: string;
  #store?: Promise<FrameStore>;

  /** @param dir The folder the cases are in (seekframe's pictures are asked of a store over it). */
  constructor(binary: string, dir: string) {
    this.#binary = binary;
    this.#dir = dir;
  }

  /** seekframe's decoded picture of frame `n` of `path`, if that frame is served again, as `got`. */
  async picture(path: string, n: number, got: RefFrame): Promise<Frame | undefined> {
    this.#store ??= openFrameStore({ dir: this.#dir, kvPath: false, workers: 1 });
    const store = await this.#store;
    const key = relative(this.#dir, path);
    try {
      const rgb = await store.getFrame(key, n);
      if (rgb.width !== got.width || rgb.height !== got.height || !equalBytes(rgb.data, got.data)) return undefined;
      return await store.getFrame(key, n, { pixelFormat: "native" });
    } catch {
      return undefined;
    }
  }

  /**
   * How FFmpeg 9.0 (one thread), decoding `input` whole, shows `picture` as
   * its frame `m`; undefined if it does not. Asked up to {@link SameVersion.TRIES}
   * times: its CLI does not always show the same picture for a damaged file
   * (one damaged VP8 gave another frame 23 in 2 of 60 runs, with one thread;
   * valgrind saw no uninitialised read in this C-only build, so the cause is
   * elsewhere in its threaded pipeline or below), so any of its answers
   * counts, as either thread count of Debian's does. Only an exact match
   * counts.
   */
  async shows(input: string, m: number, picture: Frame): Promise<string | undefined> {
    for (let attempt = 1; attempt <= SameVersion.TRIES; attempt++) {
      const out = await new Deno.Command(this.#binary, {
        args: ["-v", "error", "-threads", "1", "-noautorotate", "-i", input, "-map", "0:v:0"]
          .concat([
            "-vf",
            `select=eq(n\\,${m})`,
            "-vframes",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            picture.pixelFormat,
            "-",
          ]),
        stdout: "piped",
        stderr: "null",
        stdin: "null",
      }).output();
      // Frames it showed count even when it ends in an error.
      if (!equalBytes(out.stdout, picture.data)) continue;
      return `its decoded picture (${picture.pixelFormat}) is native FFmpeg 9.0's frame ${m} (-threads 1${
        attempt > 1 ? `, run ${attempt}` : ""
      }), byte for byte`;
    }
    return undefined;
  }

  async close(): Promise<void> {
    await (await this.#store)?.close();
  }
}

/**
 * Frame `n`'s decode path as the library plans it: from the packet its decoder
 * starts at to the last one its reordering can reach.
 */
function decodePath(index: FrameIndex, n: number): { first: number; last: number; target: number } {
  const [job] = planJobs(index, [n]);
  const last = Math.min(index.packets.pts.length - 1, job.last + reorderDepth(index.packets));
  return { first: job.first, last, target: index.frames[n] };
}

/** Byte equality; a missing array is an empty one. */
function equalBytes(x: Uint8Array = new Uint8Array(), y: Uint8Array = new Uint8Array()): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------
// The parent: outcomes

interface Outcome {
  /** `lib1` (first pass), `lib2` (the repeats), `libv` (the verified pass) or `http`. */
  via: "lib1" | "lib2" | "libv" | "http";
  op: string;
  ns: number[];
  kind: "frame" | "typed" | "untyped" | "hang" | "crash" | "wrong" | "malformed";
  code?: string;
  /** Frames returned by the call and how many matched ffmpeg's. */
  frames: number;
  matched: number;
  /** Frames that differ from ffmpeg's only through damage outside their decode path ({@link OutsidePath}). */
  outside?: number;
  /** Why, for each of those. */
  outsideNotes?: string[];
  /** Of the frames matching, those only native FFmpeg 9.0 shows (Debian's 5.1 decodes the damage otherwise; {@link SameVersion}). */
  version9?: number;
  /** What each of those showed. */
  version9Notes?: string[];
  detail?: string;
  /** Diagnoses of its wrong frames. */
  whys?: string[];
  ms?: number;
}

interface CaseResult {
  c: MutatedCase;
  key: string;
  path: string;
  outcomes: Outcome[];
  /** Resolves once the library's first pass is through with it (the HTTP part follows, so ffmpeg's view is fresh). */
  pass1: PromiseWithResolvers<void>;
  /** Per call of pass 1 (op + frames): outcome signature, to compare pass 2 with. */
  signature1: Map<string, string>;
  disagreements: string[];
}

const isFailure = (o: Outcome) => ["untyped", "hang", "crash", "wrong", "malformed"].includes(o.kind);

function pristineCases(): MutatedCase[] {
  return Object.keys(FIXTURE_SET).map((fixture) => ({
    kind: "pristine",
    fixture,
    seed: 0,
    name: `pristine@${fixture}#0`,
    ext: fixture.slice(fixture.lastIndexOf(".")),
    description: `${fixture}, unchanged (checks the harness)`,
    bytes: new Uint8Array(),
  }));
}

async function buildCases(): Promise<MutatedCase[]> {
  const only = Deno.env.get("SEEKFRAME_FUZZ_ONLY");
  const specs: CaseSpec[] = only ? only.split(",").map((s) => parseCaseName(s.trim())) : planCases(CASES, SEED);
  const pristine = only ? [] : pristineCases();
  for (const p of pristine) p.bytes = await Deno.readFile(join(FIXTURES, p.fixture));
  const mutated = [];
  for (const spec of specs) {
    if (spec.kind === "pristine") {
      const p = pristineCases().find((x) => x.fixture === spec.fixture)!;
      p.bytes = await Deno.readFile(join(FIXTURES, p.fixture));
      mutated.push(p);
    } else mutated.push(await buildCase(spec));
  }
  return [...pristine, ...mutated];
}

/** Runs the child over the jobs, restarting it after a crash or hang; calls back per message. */
async function runChild(
  planBase: Omit<ChildPlan, "from">,
  tmp: string,
  lane: number,
  on: {
    case(job: number, calls: CallRecord[]): void;
    failed(job: number, kind: "crash" | "hang", detail: string): void;
    rss(label: string, rss: number, process: number, from: number): void;
  },
): Promise<{ restarts: number }> {
  let from = 0, restarts = 0, process = 0, lastCrashAt = -1;
  while (from < planBase.jobs.length) {
    const planFile = join(tmp, `plan-${lane}-${process}.json`);
    await Deno.writeTextFile(planFile, JSON.stringify({ ...planBase, from }));
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-kv", "--v8-flags=--expose-gc", SELF, planFile],
      // One malloc arena: with one per thread (glibc's default) the same work moves RSS by up to
      // ~12% between passes, and with two by up to 10%, with the JS and wasm heaps flat (native heap
      // fragmentation); with one it grows 3–4% per pass, which is what this check can then bound.
      env: { SEEKFRAME_HOSTILE_CHILD: "1", MALLOC_ARENA_MAX: "1" },
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
    let stderrText = "";
    const stderrDone = (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        stderrText = (stderrText + chunk).slice(-4000);
      }
    })();
    let current = -1, lastHeard = Date.now(), done = false;
    const killed: { reason?: "hang" | "memory" } = {};
    let peak = 0;
    const watchdog = setInterval(async () => {
      try {
        const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peak = Math.max(peak, kb * 1024);
        if (kb * 1024 > RSS_LIMIT && !killed.reason) {
          killed.reason = "memory";
          child.kill("SIGKILL");
        }
      } catch { /* exited */ }
      if (Date.now() - lastHeard > SILENCE_MS && !killed.reason) {
        killed.reason = "hang";
        child.kill("SIGKILL");
      }
    }, 250);
    let pending = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        lastHeard = Date.now();
        let msg: ChildMessage;
        try {
          msg = JSON.parse(line);
        } catch {
          stderrText += `\n[stdout] ${line}`;
          continue;
        }
        if (msg.t === "start") current = msg.job;
        else if (msg.t === "case") {
          on.case(msg.job, msg.calls);
          current = -1;
          from = msg.job + 1;
        } else if (msg.t === "rss") on.rss(msg.label, msg.rss, process, from);
        else if (msg.t === "done") done = true;
      }
    }
    const status = await child.status;
    clearInterval(watchdog);
    await stderrDone;
    if (done && status.success) break;
    restarts++;
    const tail = stderrText.trim().split("\n").slice(-6).join(" | ");
    if (current >= 0) {
      const kind = killed.reason === "hang" ? "hang" : "crash";
      const why = killed.reason === "memory"
        ? `RSS over ${RSS_LIMIT / 2 ** 20} MiB (peak ${(peak / 2 ** 20).toFixed(0)} MiB): killed`
        : killed.reason === "hang"
        ? `child silent for ${SILENCE_MS} ms: killed`
        : `child exited with ${status.signal ?? status.code}`;
      on.failed(current, kind, `${why}; stderr: ${tail}`);
      from = current + 1;
    } else if (status.code !== 3) {
      // Died (or was killed) between cases: most likely leftover work of the case just finished. Pin it
      // there and go on (past the next case too if it happens twice at the same place).
      const why = killed.reason === "memory"
        ? `RSS over ${RSS_LIMIT / 2 ** 20} MiB after the case: killed`
        : killed.reason === "hang"
        ? `child silent for ${SILENCE_MS} ms after the case: killed`
        : `child exited with ${status.signal ?? status.code} after the case`;
      on.failed(Math.max(0, from - 1), killed.reason === "hang" ? "hang" : "crash", `${why}; stderr: ${tail}`);
      if (from === lastCrashAt) from++;
      lastCrashAt = from;
    }
    process++;
  }
  return { restarts };
}

/** The HTTP part: a real sidecar over MinIO (or the folder), restarted if it dies. */
class SidecarRunner {
  #sidecar?: Sidecar;
  restarts = 0;
  readonly internalLog: string[] = [];
  constructor(readonly env: Record<string, string>) {}

  async base(): Promise<string> {
    this.#sidecar ??= await startSidecar(this.env);
    return this.#sidecar.base;
  }

  async alive(): Promise<boolean> {
    if (!this.#sidecar) return false;
    try {
      const res = await fetch(`${this.#sidecar.base}/healthz`, { signal: AbortSignal.timeout(3000) });
      await res.body?.cancel();
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Stops it (a hung or dead one too) so the next request starts a new one. */
  async restart(): Promise<string> {
    const old = this.#sidecar;
    this.#sidecar = undefined;
    this.restarts++;
    if (old) {
      this.#collect(old);
      await Promise.race([old.stop(), new Promise((r) => setTimeout(r, 15_000))]);
    }
    return (old?.output() ?? "").split("\n").slice(-5).join(" | ");
  }

  #collect(s: Sidecar): void {
    for (const line of s.output().split("\n")) {
      if (/internal error|panic|uncaught/i.test(line)) this.internalLog.push(line);
    }
  }

  async stop(): Promise<void> {
    if (this.#sidecar) {
      this.#collect(this.#sidecar);
      await this.#sidecar.stop();
    }
    this.#sidecar = undefined;
  }
}

async function httpCase(
  runner: SidecarRunner,
  result: CaseResult,
  pristineShape: Shape | undefined,
  verify: (n: number, f: RefFrame) => Promise<Verdict>,
): Promise<void> {
  const key = result.key;
  const add = (o: Omit<Outcome, "via" | "frames" | "matched"> & Partial<Outcome>) =>
    result.outcomes.push({ via: "http", frames: 0, matched: 0, ...o });
  /** One request: the response, or the failure it already recorded (hang or crash). */
  const get = async (op: string, ns: number[], path: string): Promise<Response | undefined> => {
    const base = await runner.base();
    const started = performance.now();
    try {
      return await fetch(`${base}${path}`, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS + 5000) });
    } catch (err) {
      const ms = Math.round(performance.now() - started);
      const timedOut = (err as Error).name === "TimeoutError";
      const alive = await runner.alive();
      const tail = await runner.restart();
      add({
        op,
        ns,
        ms,
        kind: timedOut && alive ? "hang" : "crash",
        detail: `${(err as Error).message}; sidecar ${alive ? "alive" : "dead"}: ${tail}`,
      });
      return undefined;
    }
  };
  /** A JSON error response classified; returns false when it was not one. */
  const error = async (op: string, ns: number[], res: Response, ms: number) => {
    const text = await res.text();
    let body: { code?: string; error?: string } | undefined;
    try {
      body = JSON.parse(text);
    } catch { /* not JSON */ }
    if (res.status === 504 || body?.code === "timeout") {
      add({ op, ns, ms, kind: "hang", code: body?.code, detail: `${res.status} ${body?.error}` });
      await runner.restart(); // its work may still be stuck in a worker
    } else if (!body?.code || body.code === "internal" || res.status === 500) {
      add({ op, ns, ms, kind: "untyped", code: body?.code, detail: `HTTP ${res.status} ${text.slice(0, 300)}` });
    } else add({ op, ns, ms, kind: "typed", code: body.code, detail: `HTTP ${res.status} ${body.error}` });
  };
  const q = encodeURIComponent(key);

  let started = performance.now();
  const infoRes = await get("info", [], `/v1/info?key=${q}`);
  if (!infoRes) return;
  let shape: Shape | undefined;
  if (infoRes.ok) {
    const info = await infoRes.json() as VideoInfo;
    shape = { frameCount: info.frameCount, keyframes: info.keyframes };
    add({
      op: "info",
      ns: [],
      ms: Math.round(performance.now() - started),
      kind: "frame",
      code: "ok",
      detail: `${info.frameCount} frames`,
    });
  } else await error("info", [], infoRes, Math.round(performance.now() - started));

  const { single, batch } = framesToAsk(result.c.seed, shape, pristineShape);
  const ask = single.filter((_, k) => k !== 2 || single.length < 4); // the keyframe itself is in the batch
  const check = async (op: string, ns: number[], res: Response, ms: number) => {
    const w = Number(res.headers.get("x-frame-width")), h = Number(res.headers.get("x-frame-height"));
    const body = new Uint8Array(await res.arrayBuffer());
    const size = w * h * 3;
    if (!(size > 0) || body.byteLength !== size * ns.length) {
      add({
        op,
        ns,
        ms,
        kind: "malformed",
        frames: ns.length,
        detail: `${ns.length} frame(s) of ${w}×${h} but ${body.byteLength} bytes`,
      });
      return;
    }
    let matched = 0;
    const notes: string[] = [], whys: string[] = [], outsideNotes: string[] = [], version9Notes: string[] = [];
    for (const [k, n] of ns.entries()) {
      const v = await verify(n, { width: w, height: h, data: body.subarray(k * size, (k + 1) * size) });
      if (v.match) matched++;
      if (v.version9) version9Notes.push(`frame ${n}: ${v.detail}`);
      if (v.match) continue;
      if (v.outside) outsideNotes.push(`frame ${n}: ${v.detail}`);
      else {
        notes.push(`frame ${n}: ${v.detail}`);
        whys.push(v.why ?? "?");
      }
    }
    add({
      op,
      ns,
      ms,
      kind: matched + outsideNotes.length === ns.length ? "frame" : "wrong",
      frames: ns.length,
      matched,
      outside: outsideNotes.length,
      outsideNotes: outsideNotes.length ? outsideNotes : undefined,
      version9: version9Notes.length,
      version9Notes: version9Notes.length ? version9Notes : undefined,
      detail: notes.join("; ") || undefined,
      whys: whys.length ? whys : undefined,
    });
  };
  for (const n of ask) {
    started = performance.now();
    const res = await get("frame", [n], `/v1/frame?key=${q}&index=${n}&format=rgb`);
    if (!res) return;
    const ms = Math.round(performance.now() - started);
    if (res.ok) await check("frame", [n], res, ms);
    else await error("frame", [n], res, ms);
  }
  const order = batch;
  started = performance.now();
  const res = await get("frames", order, `/v1/frames?key=${q}&indices=${order.join(",")}&format=rgb`);
  if (!res) return;
  const ms = Math.round(performance.now() - started);
  if (res.ok) await check("frames", order, res, ms);
  else await error("frames", order, res, ms);
}

// ---------------------------------------------------------------------------
// The test

function table(rows: (string | number)[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) =>
    r.map((x, c) => c === 0 ? String(x).padEnd(widths[c]) : String(x).padStart(widths[c])).join("  ")
  )
    .join("\n");
}

if (Deno.env.get("SEEKFRAME_HOSTILE_CHILD") === "1") {
  await childMain();
  Deno.exit(0);
}

Deno.test("the generator is deterministic and every kind builds", async () => {
  const specs = planCases(300, 12345);
  assert.deepEqual(specs, planCases(300, 12345));
  const kinds = new Set(specs.map((s) => s.kind));
  for (const spec of specs.slice(0, 60)) {
    const [a, b] = [await buildCase(spec), await buildCase(spec)];
    assert.deepEqual(a.bytes, b.bytes, a.name);
    assert.equal(a.description, b.description);
    assert.deepEqual(parseCaseName(a.name), spec);
  }
  for (const spec of specs) await buildCase(spec);
  // Every kind turns up in a few hundred cases.
  assert.deepEqual([...kinds].sort(), ALL_KINDS);
});

Deno.test({
  name: "hostile media: damaged files through the library and the sidecar",
  // The child processes and the sidecar are awaited; fetch bodies are read or cancelled.
  sanitizeOps: true,
  sanitizeResources: true,
}, async () => {
  const t0 = performance.now();
  const tmp = await Deno.makeTempDir({ prefix: "seekframe-hostile-" });
  const dir = join(tmp, "media"), out = join(tmp, "frames");
  await Deno.mkdir(join(dir, "pristine"), { recursive: true });
  await Deno.mkdir(out);
  const s3Prefix = `hostile-${Date.now()}-${Deno.pid}/`;
  const useS3 = Deno.env.get("S3_ENDPOINT") !== undefined;
  const uploaded: string[] = [];
  const refs = new References();
  const outside = new OutsidePath();
  const same = new SameVersion(await ensureFfmpeg9(fileURLToPath(new URL("..", import.meta.url))), dir);
  try {
    // The inputs.
    const cases = await buildCases();
    for (const f of Object.keys(FIXTURE_SET)) await Deno.copyFile(join(FIXTURES, f), join(dir, "pristine", f));
    const results: CaseResult[] = [];
    for (const [i, c] of cases.entries()) {
      const key = `c${String(i).padStart(4, "0")}-${c.kind}${c.ext}`;
      await Deno.writeFile(join(dir, key), c.bytes);
      c.bytes = new Uint8Array(); // the file has them; thousands of cases need not stay in memory
      results.push({
        c,
        key,
        path: join(dir, key),
        outcomes: [],
        pass1: Promise.withResolvers(),
        signature1: new Map(),
        disagreements: [],
      });
    }
    const pristineKey = (c: MutatedCase) => c.fixture ? `pristine/${c.fixture}` : "pristine/h264_bframes_faststart.mp4";
    const share = rng(SEED ^ 0x4177);
    const viaHttp = (r: CaseResult) => r.c.kind === "pristine" ? PRIMARY.includes(r.c.fixture) : share() < HTTP_SHARE;
    const httpCases = results.filter(viaHttp);
    console.log(
      `${cases.length} cases (${cases.filter((c) => c.kind !== "pristine").length} mutated, seed ${SEED}), ` +
        `${httpCases.length} also over HTTP (${useS3 ? "sidecar over MinIO" : "sidecar over a folder"}); built in ${
          ((performance.now() - t0) / 1000).toFixed(1)
        } s`,
    );

    // The sidecar's objects.
    let sidecarEnv: Record<string, string>;
    if (useS3) {
      const client = rawClient();
      try {
        await client.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((err) => {
          if (err?.name !== "BucketAlreadyOwnedByYou" && err?.name !== "BucketAlreadyExists") throw err;
        });
        const names = [
          ...new Set([...httpCases.map((r) => r.key), ...Object.keys(FIXTURE_SET).map((f) => `pristine/${f}`)]),
        ];
        for (let k = 0; k < names.length; k += 16) {
          await Promise.all(
            names.slice(k, k + 16).map(async (name) => {
              await client.send(
                new PutObjectCommand({
                  Bucket: BUCKET,
                  Key: s3Prefix + name,
                  Body: await Deno.readFile(join(dir, name)),
                }),
              );
              uploaded.push(s3Prefix + name);
            }),
          );
        }
      } finally {
        client.destroy();
      }
      sidecarEnv = { S3_BUCKET: BUCKET, S3_PREFIX: s3Prefix, SEEKFRAME_WORKERS: "2" };
    } else sidecarEnv = { SEEKFRAME_DIR: dir, SEEKFRAME_WORKERS: "2" };
    sidecarEnv.SEEKFRAME_DEADLINE_MS = String(CALL_TIMEOUT_MS);
    const runner = new SidecarRunner(sidecarEnv);

    // Verification of returned frames, as they come.
    const verifications: Promise<void>[] = [];
    const verified = new Map<string, Promise<Verdict>>(); // by `${i}/${n}/${hash}`
    const checking = new Semaphore(2);
    const verify = (r: CaseResult, n: number, f: RefFrame) =>
      verifyFrame(refs, outside, same, r.path, n, f, join(FIXTURES, r.c.fixture || "h264_bframes_faststart.mp4"));

    const rss: { lane: number; label: string; rss: number; process: number; from: number }[] = [];
    const onCase = ({ pass, i }: ChildJob, calls: CallRecord[]) => {
      const r = results[i];
      if (pass === 1) r.pass1.resolve();
      const via = viaOf(pass);
      for (const call of calls) {
        const sig = `${call.op}:${call.ns.join(",")}`;
        const what = call.outcome === "ok"
          ? (call.frames ? "frames " + call.frames.map((f) => f.hash).join(",") : "info " + call.info?.frameCount)
          : `${call.outcome} ${call.code ?? call.name ?? ""}`;
        if (pass === 1) r.signature1.set(sig, what);
        else if (pass !== VERIFIED_PASS && r.signature1.has(sig) && r.signature1.get(sig) !== what) {
          r.disagreements.push(`${sig}: pass 1 ${r.signature1.get(sig)!.slice(0, 60)}, pass 2 ${what.slice(0, 60)}`);
        }
        const base = { via, op: call.op, ns: call.ns, ms: call.ms, code: call.code } as const;
        if (call.outcome === "typed") {
          r.outcomes.push({ ...base, kind: "typed", frames: 0, matched: 0, detail: call.message });
        } else if (call.outcome !== "ok") {
          r.outcomes.push({
            ...base,
            kind: call.outcome,
            frames: 0,
            matched: 0,
            detail: `${call.name ?? ""} ${call.message ?? ""}`,
          });
        } else if (call.op === "info") {
          r.outcomes.push({
            ...base,
            kind: "frame",
            code: "ok",
            frames: 0,
            matched: 0,
            detail: `${call.info?.frameCount} frames`,
          });
        } else {
          const outcome: Outcome = { ...base, kind: "frame", frames: call.frames!.length, matched: 0 };
          r.outcomes.push(outcome);
          // Each distinct frame is verified once (its file is written once per child process); the
          // promise is registered before any await, so a later call with the same pixels waits for it.
          const checks = call.frames!.map((f) => {
            const id = `${i}/${f.n}/${f.hash}`;
            let v = verified.get(id);
            if (!v && f.file) {
              const file = f.file;
              // In order, two at a time: the pixels stay on disk until their turn, however far the child is ahead.
              v = checking.run(async () => {
                const data = await Deno.readFile(file);
                await Deno.remove(file);
                return await verify(r, f.n, { width: f.width, height: f.height, data });
              });
              verified.set(id, v);
            }
            return v ??
              Promise.resolve<Verdict>({ match: false, why: "harness", detail: "frame pixels lost (harness)" });
          });
          verifications.push((async () => {
            const notes: string[] = [];
            for (const [k, v] of (await Promise.all(checks)).entries()) {
              const f = call.frames![k];
              if (v.version9) {
                outcome.version9 = (outcome.version9 ?? 0) + 1;
                (outcome.version9Notes ??= []).push(`frame ${f.n} (${f.width}×${f.height}): ${v.detail}`);
              }
              if (v.match) outcome.matched++;
              else if (v.outside) {
                outcome.outside = (outcome.outside ?? 0) + 1;
                (outcome.outsideNotes ??= []).push(`frame ${f.n} (${f.width}×${f.height}): ${v.detail}`);
              } else {
                notes.push(`frame ${f.n} (${f.width}×${f.height}): ${v.detail}`);
                (outcome.whys ??= []).push(v.why ?? "?");
              }
            }
            if (outcome.matched + (outcome.outside ?? 0) < outcome.frames) {
              outcome.kind = "wrong";
              outcome.detail = notes.join("; ");
            }
          })());
        }
      }
    };
    const onFailed = ({ pass, i }: ChildJob, kind: "crash" | "hang", detail: string) => {
      if (pass === 1) results[i].pass1.resolve();
      results[i].outcomes.push({
        via: viaOf(pass),
        op: "case",
        ns: [],
        kind,
        frames: 0,
        matched: 0,
        detail,
      });
    };

    const library = Promise.all(Array.from({ length: LANES }, (_, lane) => {
      const mine = results.map((_, i) => i).filter((i) => i % LANES === lane);
      // The passes, then the verified one.
      const jobs: ChildJob[] = Array.from({ length: VERIFIED_PASS }, (_, p) => mine.map((i) => ({ pass: p + 1, i })))
        .flat();
      return runChild(
        {
          dir,
          out,
          keys: results.map((r) => r.key),
          pristine: results.map((r) => pristineKey(r.c)),
          seeds: results.map((r) => r.c.seed),
          jobs,
          timeoutMs: CALL_TIMEOUT_MS,
        },
        tmp,
        lane,
        {
          case: (job, calls) => onCase(jobs[job], calls),
          failed: (job, kind, detail) => onFailed(jobs[job], kind, detail),
          rss: (label, value, process, from) => rss.push({ lane, label, rss: value, process, from }),
        },
      );
    }));
    const http = (async () => {
      const shapes = new Map<string, Shape | undefined>();
      try {
        for (const r of httpCases) {
          const pk = pristineKey(r.c);
          if (!shapes.has(pk)) {
            const res = await fetch(`${await runner.base()}/v1/info?key=${encodeURIComponent(pk)}`).catch(() =>
              undefined
            );
            shapes.set(pk, res?.ok ? await res.json() : undefined);
            if (res && !res.ok) await res.body?.cancel();
          }
          await r.pass1.promise;
          await httpCase(runner, r, shapes.get(pk), (n, f) => verify(r, n, f));
        }
      } finally {
        await runner.stop();
      }
    })();
    const at: Record<string, string> = {};
    const mark = (what: string) => <T>(v: T) => {
      at[what] = ((performance.now() - t0) / 1000).toFixed(0);
      return v;
    };
    const [lanes] = await Promise.all([library.then(mark("library")), http.then(mark("HTTP"))]);
    const restarts = lanes.reduce((sum, l) => sum + l.restarts, 0);
    await Promise.all(verifications);
    mark("verification")(0);
    console.log(`done at: ${Object.entries(at).map(([k, v]) => `${k} ${v} s`).join(", ")}`);
    const seconds = (performance.now() - t0) / 1000;

    // The summary.
    const all = results.flatMap((r) => r.outcomes.map((o) => ({ r, o })));
    const count = (via: string[], pred: (o: Outcome) => boolean) =>
      all.filter(({ o }) => via.includes(o.via) && pred(o)).length;
    const sum = (via: string[], f: (o: Outcome) => number) =>
      all.filter(({ o }) => via.includes(o.via)).reduce((s, { o }) => s + f(o), 0);
    const columns = [["lib1"], ["lib2"], ["libv"], ["http"]];
    const codes = [...new Set(all.filter(({ o }) => o.kind === "typed").map(({ o }) => o.code!))].sort();
    const casesWithFrames = results.filter((r) => r.outcomes.some((o) => o.frames > 0)).length;
    const rows: (string | number)[][] = [
      ["", "library pass 1", PASSES > 2 ? `library passes 2–${PASSES}` : "library pass 2", "verified", "HTTP"],
      ["cases", results.length, results.length * (PASSES - 1), results.length, httpCases.length],
      ["calls", ...columns.map((v) => count(v, () => true))],
      ["frames returned", ...columns.map((v) => sum(v, (o) => o.frames))],
      ["frames matching ffmpeg", ...columns.map((v) => sum(v, (o) => o.matched))],
      ...codes.map((
        code,
      ) => [`typed error: ${code}`, ...columns.map((v) => count(v, (o) => o.kind === "typed" && o.code === code))]),
      ["crashes (must be 0)", ...columns.map((v) => count(v, (o) => o.kind === "crash"))],
      ["hangs (must be 0)", ...columns.map((v) => count(v, (o) => o.kind === "hang"))],
      [
        "wrong frames (must be 0)",
        ...columns.map((v) =>
          sum(v, (o) => o.kind === "wrong" ? o.frames - o.matched : o.kind === "malformed" ? Math.max(1, o.frames) : 0)
        ),
      ],
      ["untyped errors (must be 0)", ...columns.map((v) => count(v, (o) => o.kind === "untyped"))],
      ["damage outside the path (reported)", ...columns.map((v) => sum(v, (o) => o.outside ?? 0))],
      ["  of which only FFmpeg 9.0's (Debian's 5.1 differs)", ...columns.map((v) => sum(v, (o) => o.version9 ?? 0))],
    ];
    console.log(`\n${table(rows)}`);
    const whys = new Map<string, number>();
    for (const { o } of all) for (const w of o.whys ?? []) whys.set(w, (whys.get(w) ?? 0) + 1);
    if (whys.size) {
      console.log(
        `wrong frames by diagnosis: ${[...whys].sort((a, b) => b[1] - a[1]).map(([w, k]) => `${w} ${k}`).join(", ")}`,
      );
    }
    console.log(
      `${casesWithFrames} of ${results.length} cases returned at least one frame; child restarts ${restarts}, sidecar restarts ${runner.restarts}; ${
        seconds.toFixed(0)
      } s`,
    );
    const byKind = new Map<string, { cases: number; frames: number; failing: number }>();
    for (const r of results) {
      const k = byKind.get(r.c.kind) ?? { cases: 0, frames: 0, failing: 0 };
      k.cases++;
      k.frames += r.outcomes.reduce((s, o) => s + o.frames, 0);
      if (r.outcomes.some(isFailure)) k.failing++;
      byKind.set(r.c.kind, k);
    }
    console.log(
      "per kind (cases/frames/failing): " +
        [...byKind].sort().map(([k, v]) => `${k} ${v.cases}/${v.frames}/${v.failing}`).join(", "),
    );

    // Memory: the same child after the last pass and the one before (the same work again), per lane.
    const mb = (x: number) => `${(x / 2 ** 20).toFixed(0)} MiB`;
    let memoryOk = true;
    const notes: string[] = [];
    for (let lane = 0; lane < LANES; lane++) {
      const of = rss.filter((x) => x.lane === lane);
      const passes = Array.from({ length: PASSES }, (_, p) => of.find((x) => x.label === `pass ${p + 1}`));
      const start = of.find((x) => x.label === "start" && x.process === passes[0]?.process);
      const [before, last] = passes.slice(-2);
      if (start && start.from === 0 && passes.every((p) => p && p.process === start.process)) {
        const growth = last!.rss / before!.rss - 1;
        memoryOk &&= growth <= RSS_GROWTH;
        notes.push(
          `lane ${lane} child RSS ${mb(start.rss)} at start, after each pass ${
            passes.map((p) => mb(p!.rss)).join(", ")
          } (last +${(growth * 100).toFixed(1)}%)`,
        );
      } else {notes.push(
          `lane ${lane} child RSS not comparable: it was restarted during the passes (see crashes/hangs)`,
        );}
    }
    const memoryNote = `${notes.join("; ")}; allowed growth ${RSS_GROWTH * 100}%`;
    console.log(memoryNote);
    const disagreeing = results.filter((r) => r.disagreements.length > 0);
    if (disagreeing.length) {
      console.log(`pass 2 differed from pass 1 in ${disagreeing.length} case(s) (allowed if both are correct):`);
      for (const r of disagreeing.slice(0, 20)) console.log(`  ${r.c.name}: ${r.disagreements.slice(0, 2).join("; ")}`);
    }
    if (runner.internalLog.length) console.log(`sidecar log:\n  ${runner.internalLog.slice(0, 20).join("\n  ")}`);

    // Frames ffmpeg numbers or shows otherwise because of damage outside what they decode.
    const apart = results.filter((r) => r.outcomes.some((o) => o.outside));
    if (apart.length) {
      console.log(
        `\n${apart.length} case(s) with frames native ffmpeg decodes as seekframe does from their keyframe on ` +
          "(or whose path is the undamaged file's), while its whole-file decode shows another frame N (see OutsidePath):",
      );
      for (const r of apart) {
        const o = r.outcomes.find((o) => o.outside)!;
        console.log(`- ${r.c.name}: ${r.c.description}\n    ${o.via} ${o.outsideNotes![0].slice(0, 400)}`);
      }
    }

    // Frames Debian's ffmpeg decodes into another picture, and seekframe's version natively into this one.
    const decodedOtherwise = results.filter((r) => r.outcomes.some((o) => o.version9));
    if (decodedOtherwise.length) {
      console.log(
        `\n${decodedOtherwise.length} case(s) with frames that are native FFmpeg 9.0's frame N (seekframe's ` +
          "decoder version) while Debian's ffmpeg 5.1 shows another picture (see SameVersion):",
      );
      for (const r of decodedOtherwise) {
        const o = r.outcomes.find((o) => o.version9)!;
        console.log(`- ${r.c.name}: ${r.c.description}\n    ${o.via} ${o.version9Notes![0].slice(0, 500)}`);
      }
    }

    // The failures, precisely.
    const failing = results.filter((r) => r.outcomes.some(isFailure));
    if (failing.length) {
      console.log(
        `\n${failing.length} failing case(s) (rebuild one with: deno run -A test/mutate.ts '<name>' out${""}):`,
      );
      for (const r of failing) {
        console.log(`- ${r.c.name} [${r.key}]: ${r.c.description}`);
        for (const o of r.outcomes.filter(isFailure)) {
          console.log(
            `    ${o.via} ${o.op}(${o.ns.join(",")}) → ${o.kind}${o.code ? ` ${o.code}` : ""}: ${
              (o.detail ?? "").replace(/\n/g, " ⏎ ").slice(0, 600)
            }`,
          );
        }
      }
    }
    const report = Deno.env.get("SEEKFRAME_FUZZ_REPORT");
    if (report) {
      await Deno.writeTextFile(
        report,
        JSON.stringify(
          {
            rows,
            memoryNote,
            rss,
            cases: results.map((r) => ({
              name: r.c.name,
              key: r.key,
              description: r.c.description,
              outcomes: r.outcomes,
              disagreements: r.disagreements,
            })),
          },
          null,
          1,
        ),
      );
    }

    const crashes = all.filter(({ o }) => o.kind === "crash").length;
    const hangs = all.filter(({ o }) => o.kind === "hang").length;
    const wrong = all.filter(({ o }) => o.kind === "wrong" || o.kind === "malformed").length;
    const untyped = all.filter(({ o }) => o.kind === "untyped").length;
    const names = failing.map((r) => r.c.name).slice(0, 30).join("\n  ");
    assert.ok(
      crashes + hangs + wrong + untyped === 0,
      `${crashes} crash(es), ${hangs} hang(s), ${wrong} call(s) with wrong frames, ${untyped} untyped error(s):\n  ${names}`,
    );
    assert.ok(memoryOk, memoryNote);
    // Verified first, a file's frames never differ from ffmpeg's through damage off their path.
    const offPath = all.filter(({ o }) => o.via === "libv" && o.outside);
    assert.equal(
      offPath.length,
      0,
      `with verify, ${offPath.length} call(s) returned frames that damage outside their path makes differ:\n  ${
        offPath.map(({ r, o }) => `${r.c.name}: ${o.outsideNotes?.[0]}`).slice(0, 20).join("\n  ")
      }`,
    );
    // The harness itself: every pristine fixture's frames matched.
    for (const r of results.filter((r) => r.c.kind === "pristine")) {
      assert.ok(
        r.outcomes.every((o) => o.kind === "frame"),
        `${r.c.name}: ${JSON.stringify(r.outcomes.filter((o) => o.kind !== "frame"))}`,
      );
    }
  } finally {
    if (uploaded.length) {
      const client = rawClient();
      try {
        for (let k = 0; k < uploaded.length; k += 1000) {
          await client.send(
            new DeleteObjectsCommand({
              Bucket: BUCKET,
              Delete: { Objects: uploaded.slice(k, k + 1000).map((Key) => ({ Key })) },
            }),
          );
        }
      } finally {
        client.destroy();
      }
    }
    await outside.close();
    await same.close();
    if (Deno.env.get("SEEKFRAME_FUZZ_KEEP")) console.log(`kept ${tmp}`);
    else await Deno.remove(tmp, { recursive: true });
  }
});
