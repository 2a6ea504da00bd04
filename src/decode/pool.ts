/**
 * The decoder pool: Workers with one libav.js instance each. A session's first
 * job goes to the least busy worker and later ones follow it (its decoder
 * stays open there), and each worker runs one job at a time, because
 * concurrent calls corrupt a libav.js instance.
 *
 * A worker's queue runs the job with the earliest deadline: when it was
 * queued plus its expected run time (packets × picture size). A small video's
 * frame then passes a 720p GOP queued just before it, instead of waiting
 * seconds behind it, and a long job still runs once the short ones queued
 * after its deadline are done.
 *
 * The pool knows nothing of storage: a probe asks its caller for bytes through
 * the `read` callback.
 *
 * @module
 */

import { DecoderError, fromWire, SeekframeError, StoreClosedError, toWire, type WireError } from "../errors.ts";
import type { ProbeResult } from "../index/model.ts";
import { compileLibAV } from "./libav.ts";
import type { DecodeJobMessage, DecodeResult, FromWorker, ProbeJobMessage, ToWorker } from "./protocol.ts";

/** How long {@link DecoderPool.close} waits for a worker to finish its load and job. */
export const CLOSE_WAIT_MS = 10_000;

/** Streams whose worker is remembered. */
const MAX_AFFINITY = 4096;

/** Expected decode + RGB time of one 720p packet (ms; measured ~6 on the 2-core machine), scaled by picture size. */
const PACKET_MS_720P = 6;
/** Expected time of a probe: fixed part (ms), plus the bytes a scan may read at this rate. */
const PROBE_MS = 20;
const PROBE_BYTES_PER_MS = 100_000;
/** Capped: an MP4 probe reads only its moov, however large the file, and must not wait behind minutes of jobs. */
const PROBE_MAX_MS = 500;

/** Pool settings. */
export interface DecoderPoolOptions {
  /** Number of workers. Default: `navigator.hardwareConcurrency` (at least 1). */
  workers?: number;
  /**
   * A worker idle this long (ms) is stopped; the next job starts a new one.
   * Idle workers then never keep a program from exiting. Default 10,000.
   */
  idleMs?: number;
  /**
   * A worker whose wasm memory has grown past this many bytes is replaced
   * after its job (wasm memory never shrinks). Default 268,435,456 (256 MiB).
   */
  maxHeapBytes?: number;
}

/** What a probe reads: bytes of the object, at least `[pos, pos + length)` unless at its end. */
export type ReadFn = (pos: number, length: number) => Promise<Uint8Array>;

type Job =
  | { msg: Omit<DecodeJobMessage, "id">; transfer: Transferable[]; signal?: AbortSignal }
  | { msg: Omit<ProbeJobMessage, "id">; transfer: Transferable[]; read: ReadFn; signal?: undefined };

interface Waiter {
  resolve: (m: FromWorker) => void;
  read?: ReadFn;
  /** The first error a read for this job raised; it wins over the worker's report of it. */
  readError?: unknown;
}

interface Slot {
  /** The worker, started when the slot's first job comes. */
  worker?: Worker;

  /** Jobs waiting for this worker, each with its deadline and how to start it. */
  queue: { deadline: number; start: () => void }[];
  /** A job is running on the worker. */
  running: boolean;
  /** Jobs waiting or running. */
  depth: number;
  /** A delayed restart of a worker that keeps crashing. */
  restart?: ReturnType<typeof setTimeout>;
  /** When the worker started (ms, performance clock). */
  spawnedAt?: number;
  /** Crashes in a row soon after starting. */
  crashes?: number;
  /** The worker's wasm memory after its last job, in bytes. */
  heapBytes?: number;
  /** Stops the worker once it has been idle for `idleMs`. */
  idle?: ReturnType<typeof setTimeout>;
  /** Resolvers of the running job, by message id. */
  waiting: Map<number, Waiter>;
}

/** A job's error reply when the pool closed under it. */
const CLOSED: WireError = toWire(new StoreClosedError());

/**
 * A pool of decoder workers.
 *
 * @example
 * ```ts
 * import { DecoderPool } from "./pool.ts";
 *
 * const bytes = await Deno.readFile("./videos/sample.mp4");
 * const pool = new DecoderPool({ workers: 1 });
 * const read = (pos: number, length: number) => Promise.resolve(bytes.slice(pos, pos + length));
 * const probe = await pool.probe("sample.mp4", bytes.byteLength, read);
 * console.log(probe.codec, probe.packets.size.length);
 * await pool.close();
 * ```
 */
export class DecoderPool {
  readonly #slots: Slot[] = [];
  /** Stream → its worker, least recently used first. */
  readonly #affinity = new Map<string, Slot>();
  #nextId = 1;
  #closed = false;

  readonly #idleMs: number;
  readonly #maxHeapBytes: number;
  /** The libav.js module, compiled once (on this thread) for every worker. */
  #module?: WebAssembly.Module;

  /** Creates the pool; workers start with the first jobs. */
  constructor(options: DecoderPoolOptions = {}) {
    const n = Math.max(1, options.workers ?? navigator.hardwareConcurrency ?? 1);
    this.#idleMs = options.idleMs ?? 10_000;
    this.#maxHeapBytes = options.maxHeapBytes ?? 256 << 20;
    for (let i = 0; i < n; i++) this.#slots.push({ queue: [], running: false, depth: 0, waiting: new Map() });
  }

  /**
   * Starts (or restarts) the worker of a slot; a crashed worker fails its job
   * and is replaced. Workers start with their slot's first job (the first
   * one also ahead of it, see {@link warm}).
   */
  #spawn(slot: Slot, module: WebAssembly.Module): Worker {
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    worker.postMessage({ op: "init", module } satisfies ToWorker);
    slot.worker = worker;
    slot.spawnedAt = performance.now();
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.#onMessage(slot, e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      this.#crashed(slot, worker, `decoder worker crashed: ${e.message}`);
    };
    return worker;
  }

  /**
   * A worker died: its jobs fail with {@link DecoderError} (callers retry
   * them on a new worker), and the next job starts a new one. A worker that
   * dies soon after starting (e.g. the wasm cannot load) holds its queue for
   * a growing delay instead of restarting in a loop.
   */
  #crashed(slot: Slot, worker: Worker, message: string): void {
    worker.terminate();
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    const waiting = [...slot.waiting.values()];
    slot.waiting.clear();
    for (const w of waiting) w.resolve({ op: "error", id: 0, error: toWire(new DecoderError(message)) });
    if (this.#closed) return;
    const quick = performance.now() - (slot.spawnedAt ?? 0) < 1000;
    slot.crashes = quick ? (slot.crashes ?? 0) + 1 : 0;
    if (!quick) return;
    slot.running = true;
    slot.restart = setTimeout(() => {
      slot.restart = undefined;
      slot.running = false;
      this.#pump(slot);
    }, Math.min(100 * 2 ** slot.crashes, 10_000));
  }

  /**
   * Kills worker `index` at once, as a crash would: its running job fails
   * with {@link DecoderError}. For fault-injection tests and operators.
   */
  crashWorker(index: number): void {
    const slot = this.#slots[index];
    if (slot?.worker) this.#crashed(slot, slot.worker, "decoder worker was killed");
  }

  /**
   * Starts the first worker ahead of the first job (compiling the module if
   * need be), so that job does not wait for it: a store's first frame from a
   * known index then costs its fetch and decode only. Idle, it stops as any.
   */
  async warm(): Promise<void> {
    await this.#compile();
    const slot = this.#slots[0];
    if (this.#closed || slot.worker || slot.running || slot.queue.length > 0) return;
    this.#spawn(slot, this.#module!);
    this.#pump(slot); // arms its idle timer
  }

  /** Compiles the libav.js module once, before the first worker starts. */
  async #compile(): Promise<void> {
    if (this.#module) return;
    try {
      this.#module = await compileLibAV();
    } catch (err) {
      throw new DecoderError(`cannot load the decoder: ${err instanceof Error ? err.message : err}`, { cause: err });
    }
  }

  /** Number of workers. */
  get size(): number {
    return this.#slots.length;
  }

  /** Jobs queued or running, over all workers. */
  get queueDepth(): number {
    return this.#slots.reduce((n, s) => n + s.depth, 0);
  }

  /**
   * Opens an object with the demuxer and returns its video stream's index;
   * `options.scan` forces a packet scan where a sample table exists.
   */
  async probe(key: string, size: number, read: ReadFn, options: { scan?: boolean } = {}): Promise<ProbeResult> {
    const scan = options.scan ?? false;
    const cost = PROBE_MS + Math.min(size / PROBE_BYTES_PER_MS, PROBE_MAX_MS);
    await this.#compile();
    const reply = await this.#submit(
      this.#leastBusy(),
      { msg: { op: "probe", key, size, scan }, transfer: [], read },
      cost,
    );
    if (reply.op !== "probed") throw new Error(`unexpected reply ${reply.op} to a probe`);
    return reply.probe;
  }

  /**
   * Runs a decode job on the worker holding its session (see
   * {@link DecodeJobMessage}): feeds the input's packets and returns the
   * frames whose timestamps are in `targets`. Buffers in `transfer` move to
   * the worker.
   */
  async decode(
    job: Omit<DecodeJobMessage, "id" | "op">,
    transfer: Transferable[] = [],
    signal?: AbortSignal,
  ): Promise<DecodeResult> {
    const pixels = Number(job.codecpar.width ?? 0) * Number(job.codecpar.height ?? 0);
    const cost = 1 + job.input.packets.length * PACKET_MS_720P * (pixels / (1280 * 720));
    await this.#compile();
    const reply = await this.#submit(this.#slotFor(job.session, job.start), {
      msg: { op: "decode", ...job },
      transfer,
      signal,
    }, cost);
    if (reply.op !== "decoded") throw new Error(`unexpected reply ${reply.op} to a decode job`);
    return reply.result;
  }

  /**
   * Stops the workers. Pending and queued jobs fail at once with
   * {@link StoreClosedError}; each worker is terminated once it has finished
   * loading and the job it is running (at most {@link CLOSE_WAIT_MS}):
   * terminating a Worker while V8 still compiles its wasm aborts the process.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const retiring = this.#slots.map((slot) => this.#retire(slot));
    for (const slot of this.#slots) {
      clearTimeout(slot.restart);
      clearTimeout(slot.idle);
      const waiting = [...slot.waiting.values()];
      slot.waiting.clear();
      for (const w of waiting) w.resolve({ op: "error", id: 0, error: CLOSED });
      // Queued jobs start, see the pool closed, and fail the same way.
      slot.running = false;
      this.#pump(slot);
    }
    await Promise.all(retiring);
  }

  /** Asks a slot's worker to finish, then terminates it. */
  async #retire(slot: Slot): Promise<void> {
    const worker = slot.worker;
    if (!worker) return;
    // Detached first: a job that comes meanwhile starts a new worker.
    slot.worker = undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      worker.onmessage = (e: MessageEvent<FromWorker>) => e.data.op === "closed" && resolve();
      worker.onerror = (e) => {
        e.preventDefault();
        resolve();
      };
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
      try {
        worker.postMessage({ op: "close" } satisfies ToWorker);
      } catch {
        resolve();
      }
    });
    clearTimeout(timer);
    worker.terminate();
  }

  /**
   * The worker for a session's job: a job that continues a decoder session
   * goes where the session lives; a job that starts one goes to the least busy
   * worker, which then holds the session. (A fixed hash would pile busy videos
   * onto one worker while another idles.)
   */
  #slotFor(session: string, fresh: boolean): Slot {
    let slot = fresh ? undefined : this.#affinity.get(session);
    this.#affinity.delete(session);
    slot ??= this.#leastBusy();
    this.#affinity.set(session, slot);
    if (this.#affinity.size > MAX_AFFINITY) this.#affinity.delete(this.#affinity.keys().next().value!);
    return slot;
  }

  #leastBusy(): Slot {
    return this.#slots.reduce((a, b) => (b.depth < a.depth ? b : a));
  }

  /** Queues a job on a worker; `cost` is its expected run time in ms. */
  #submit(slot: Slot, job: Job, cost: number): Promise<Exclude<FromWorker, { op: "read" } | { op: "error" }>> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    slot.depth++;
    const waiter: Waiter = { resolve: () => {}, read: "read" in job ? job.read : undefined };
    const run = new Promise<FromWorker>((resolve) => {
      const done = (reply: FromWorker) => {
        slot.running = false;
        resolve(reply);
        // Deferred: jobs that finish at once (aborted, closed) must not recurse through a long queue.
        queueMicrotask(() => this.#pump(slot));
      };
      const start = () => {
        if (this.#closed) return done({ op: "error", id: 0, error: CLOSED });
        if (job.signal?.aborted) {
          // The caller gave up while the job was queued: don't spend the worker on it.
          waiter.readError = job.signal.reason;
          return done({ op: "error", id: 0, error: { name: "AbortError", message: "aborted" } });
        }
        const id = this.#nextId++;
        waiter.resolve = done;
        slot.waiting.set(id, waiter);
        try {
          (slot.worker ?? this.#spawn(slot, this.#module!)).postMessage({ ...job.msg, id } as ToWorker, job.transfer);
        } catch (err) {
          // Not sendable: fail this job, not the queue behind it.
          slot.waiting.delete(id);
          done({ op: "error", id: 0, error: { name: "Error", message: `cannot send the job: ${err}` } });
        }
      };
      slot.queue.push({ deadline: performance.now() + cost, start });
      this.#pump(slot);
    });
    return run.then((reply) => {
      // A failed read explains the failure better than the worker's report of it.
      if (reply.op === "error") throw waiter.readError ?? workerError(reply.error);
      if (reply.op === "read") throw new Error("unexpected read");
      return reply;
    }).finally(() => {
      slot.depth--;
    });
  }

  /** Starts the queued job with the earliest deadline if the worker is idle. */
  #pump(slot: Slot): void {
    clearTimeout(slot.idle);
    if (slot.running) return;
    if (slot.queue.length === 0) {
      // Idle: stop the worker after a while. The timer is unref'd, so it does not keep the
      // program alive, and the stopped worker no longer does either.
      if (slot.worker && !this.#closed) {
        const idle = setTimeout(() => {
          if (!slot.running && slot.queue.length === 0 && !this.#closed) this.#retire(slot);
        }, this.#idleMs);
        Deno.unrefTimer(idle);
        slot.idle = idle;
      }
      return;
    }
    let next = 0;
    for (let i = 1; i < slot.queue.length; i++) if (slot.queue[i].deadline < slot.queue[next].deadline) next = i;
    slot.running = true;
    slot.queue.splice(next, 1)[0].start();
  }

  #onMessage(slot: Slot, msg: FromWorker): void {
    if (msg.op === "closed") return;
    const waiter = slot.waiting.get(msg.id);
    if (!waiter) return;
    if (msg.op === "read") {
      const reply = (data?: Uint8Array, error?: WireError) =>
        slot.worker?.postMessage({ op: "read-reply", id: msg.id, pos: msg.pos, data, error } as ToWorker);
      if (!waiter.read) return reply(undefined, { name: "Error", message: "no reader" });
      waiter.read(msg.pos, msg.length).then((data) => reply(data), (err) => {
        waiter.readError ??= err;
        reply(undefined, toWire(err));
      });
      return;
    }
    slot.waiting.delete(msg.id);
    if (msg.heapBytes !== undefined) slot.heapBytes = msg.heapBytes;
    waiter.resolve(msg);
    // Past the bound, the worker is replaced now that it is between jobs (its sessions go with it).
    if ((slot.heapBytes ?? 0) > this.#maxHeapBytes) {
      slot.heapBytes = undefined;
      this.recycled++;
      this.#retire(slot);
    }
  }

  /** Workers replaced because their wasm memory grew past `maxHeapBytes`. */
  recycled = 0;

  /** Each worker's wasm memory in bytes after its last job (0 for a worker not running). */
  get heapBytes(): number[] {
    return this.#slots.map((s) => (s.worker ? s.heapBytes ?? 0 : 0));
  }
}

/** The typed error a worker reported; anything untyped is the decoder failing. */
function workerError(wire: WireError): Error {
  const err = fromWire(wire);
  return err instanceof SeekframeError ? err : new DecoderError(`the decoder failed: ${wire.message}`);
}
