// Worker side of worker_bench.ts: loads libav.js (from a posted WebAssembly.Module, or by
// compiling the .wasm itself), optionally decodes a few frames, and reports its timings.
/// <reference lib="deno.worker" />

import { demux, loadLibAV, OUT_RGB24, Session } from "./common.ts";

self.onmessage = async (e: MessageEvent) => {
  const { module, dist, decodeFile } = e.data as { module?: WebAssembly.Module; dist: string; decodeFile?: string };
  const t0 = performance.now();
  const libav = await loadLibAV({ dist: new URL(dist), module });
  const load = performance.now() - t0;
  let firstJob = NaN;
  if (decodeFile) {
    const t1 = performance.now();
    const { codecpar, timeBase, packets } = await demux(libav, decodeFile);
    const s = await Session.open(libav, codecpar, timeBase);
    const feed = packets.slice(0, 24);
    const r = await s.run({ packets: feed, targets: feed.map((p) => p.pts), fin: true, mode: OUT_RGB24 });
    if (r.error || r.frames.length !== feed.length) throw new Error(`decode: ${r.error} ${r.frames.length}`);
    await s.close();
    firstJob = performance.now() - t1;
  }
  self.postMessage({ load, firstJob });
};
