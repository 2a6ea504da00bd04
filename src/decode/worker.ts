/**
 * Decoder worker: one libav.js instance, one job at a time (the pool
 * serializes jobs; concurrent calls on one instance corrupt it). This file is
 * the message loop; the work is in `demux.ts` (probe, spans) and
 * `decoder.ts` (decoder sessions, pictures out).
 *
 * The worker knows nothing of storage: bytes arrive as messages.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { SeekframeError, toWire } from "../errors.ts";
import { Decoders } from "./decoder.ts";
import { probeObject } from "./demux.ts";
import { type LibAV, loadLibAV } from "./libav.ts";
import type { DecodeJobMessage, FromWorker, ProbeJobMessage, ReadReplyMessage, ToWorker } from "./protocol.ts";

interface Instance {
  av: LibAV;
  decoders: Decoders;
}

/** The compiled module, from the pool's first message. */
const module = Promise.withResolvers<WebAssembly.Module>();

async function load(): Promise<Instance> {
  const av = await loadLibAV(await module.promise);
  return { av, decoders: new Decoders(av) };
}

let instance: Promise<Instance> = load();
const pendingReads = new Map<number, (reply: ReadReplyMessage) => void>();

function post(msg: FromWorker, transfer: ArrayBufferLike[] = []): void {
  // Typed arrays made here are never backed by SharedArrayBuffers.
  self.postMessage(msg, transfer as Transferable[]);
}

/** The job running (jobs never overlap: the pool sends one at a time). */
let current: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.op === "init") {
    module.resolve(msg.module);
  } else if (msg.op === "read-reply") {
    pendingReads.get(msg.id)?.(msg);
  } else if (msg.op === "close") {
    // Terminating while V8 still compiles the wasm aborts the process: finish loading and the job first.
    current.then(() => instance).then(() => post({ op: "closed" }), () => post({ op: "closed" }));
  } else {
    current = run(msg);
  }
};

/** Asks the main thread for bytes of the probe `id`. */
function read(id: number, pos: number, length: number): Promise<ReadReplyMessage> {
  const reply = new Promise<ReadReplyMessage>((resolve) => pendingReads.set(id, resolve));
  post({ op: "read", id, pos, length });
  return reply.finally(() => pendingReads.delete(id));
}

/** The wasm memory's size in bytes (it grows, never shrinks: the pool recycles a worker past a bound). */
async function heapBytes(av: LibAV): Promise<number | undefined> {
  try {
    const out = await av.malloc(16);
    try {
      await av.seekframe_heap_info(out);
      return (await av.copyout_f64(out, 1))[0];
    } finally {
      await av.free(out);
    }
  } catch {
    return undefined;
  }
}

async function run(msg: DecodeJobMessage | ProbeJobMessage): Promise<void> {
  try {
    const { av, decoders } = await instance;
    if (msg.op === "probe") {
      const probe = await probeObject(av, msg, (pos, length) => read(msg.id, pos, length));
      const p = probe.packets;
      post({ op: "probed", id: msg.id, probe, heapBytes: await heapBytes(av) }, [
        p.offset.buffer,
        p.size.buffer,
        p.pts.buffer,
        p.dts.buffer,
        p.flags.buffer,
      ]);
    } else {
      const result = await decoders.run(msg);
      const transfer = result.kind === "decoded" ? result.frames.map((f) => f.data.buffer) : [];
      post({ op: "decoded", id: msg.id, result, heapBytes: await heapBytes(av) }, transfer);
    }
  } catch (err) {
    let heap: number | undefined;
    if (err instanceof SeekframeError) {
      // A failed job may have grown the heap too: report it, or the pool never recycles a worker that only fails.
      heap = await instance.then(({ av }) => heapBytes(av), () => undefined);
    } else {
      // Not an error about the media or its bytes: the instance itself may be
      // damaged (a wasm trap). Start a fresh one rather than trust it again.
      instance.then(({ decoders }) => decoders.clear(), () => {});
      instance = load();
    }
    post({ op: "error", id: msg.id, error: toWire(err), heapBytes: heap });
  }
}
