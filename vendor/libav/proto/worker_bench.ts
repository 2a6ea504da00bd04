// Worker start-up: each Worker compiling the wasm itself vs. one WebAssembly.Module compiled on
// the main thread and posted to every Worker (emscripten's instantiateWasm hook, see common.ts).
//
//   deno run -A [--v8-flags=--no-wasm-lazy-compilation] vendor/libav/proto/worker_bench.ts \
//     [--mode compile|module] [--workers 6] [--decode test/fixtures/out/h264_bframes_faststart.mp4]
//   ... worker_bench.ts --mode module --terminate 40     (spawn + terminate at once, 40 times)
//
// Times: spawn -> ready (libav.js loaded and av_log_set_level answered), measured on the main
// thread; process CPU time (node:process cpuUsage, all threads) over each Worker's start.

import process from "node:process";
import { args, DIST, distURL, median, REPO } from "./common.ts";

const opt = args({
  mode: "compile",
  workers: "6",
  decode: new URL("test/fixtures/out/h264_bframes_faststart.mp4", REPO).pathname,
  terminate: "0",
  dist: DIST.pathname,
});
const dist = distURL(opt.dist);
const child = new URL("./worker_child.ts", import.meta.url).href;

let module: WebAssembly.Module | undefined;
if (opt.mode === "module") {
  const bytes = await Deno.readFile(new URL("libav-seekframe.wasm.wasm", dist));
  const c0 = process.cpuUsage(), t0 = performance.now();
  module = await WebAssembly.compile(bytes);
  const cpu = process.cpuUsage(c0);
  console.log(
    `main thread: WebAssembly.compile ${(performance.now() - t0).toFixed(0)} ms wall, ` +
      `${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`,
  );
} else if (opt.mode !== "compile") throw new Error("--mode compile|module");

function start(decodeFile?: string) {
  const w = new Worker(child, { type: "module" });
  const done = new Promise<{ load: number; firstJob: number }>((resolve, reject) => {
    w.onmessage = (e) => resolve(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      reject(new Error(e.message));
    };
  });
  w.postMessage({ module, dist: dist.href, decodeFile });
  return { w, done };
}

const n = Number(opt.terminate);
if (n > 0) {
  // Terminate right after the start, at a spread of delays (0..300 ms): during import, compile,
  // instantiation and the first calls.
  for (let i = 0; i < n; i++) {
    const { w, done } = start(opt.decode);
    done.catch(() => {});
    await new Promise((r) => setTimeout(r, (i * 37) % 300));
    w.terminate();
  }
  await new Promise((r) => setTimeout(r, 500));
  console.log(`terminate test (${opt.mode}): ${n} workers terminated during start-up, process alive`);
  Deno.exit(0);
}

const ready: number[] = [], cpus: number[] = [], firstJobs: number[] = [];
for (let i = 0; i < Number(opt.workers); i++) {
  const c0 = process.cpuUsage(), t0 = performance.now();
  const { w, done } = start();
  await done;
  ready.push(performance.now() - t0);
  const cpu = process.cpuUsage(c0);
  cpus.push((cpu.user + cpu.system) / 1000);
  w.terminate();
  // a second Worker for the first decode job (a fresh instance's first calls)
  const d = start(opt.decode);
  firstJobs.push((await d.done).firstJob);
  d.w.terminate();
  await new Promise((r) => setTimeout(r, 50));
}
console.log(
  `${opt.mode}: spawn->ready median ${median(ready).toFixed(0)} ms (${ready.map((x) => x.toFixed(0)).join(" ")}), ` +
    `CPU median ${median(cpus).toFixed(0)} ms (${cpus.map((x) => x.toFixed(0)).join(" ")}); ` +
    `first job (demux + 24 frames RGB24 of ${opt.decode.split("/").pop()}) median ${median(firstJobs).toFixed(0)} ms`,
);
