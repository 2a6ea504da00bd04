// How big is an instance's wasm memory? Three ways, before and after decoding 720p frames.
//   deno run -A --v8-flags=--no-wasm-lazy-compilation vendor/libav/proto/heap.ts [--file ...]
//
// 1. libav.HEAPU8.buffer.byteLength  (direct mode: the instance is the emscripten Module, whose
//    HEAPU8 view emscripten replaces whenever the memory grows; sync, no wasm call)
// 2. the WebAssembly.Memory export, caught in the instantiateWasm hook (memory.buffer.byteLength)
// 3. seekframe_heap_info(out): [emscripten_get_heap_size(), sbrk(0)] from C (works in any mode)

import { args, demux, DIST, OUT_RGB24, REPO, Session } from "./common.ts";

const opt = args({ file: new URL("test/fixtures/out/long_720p.mp4", REPO).pathname, frames: "60" });

const LibAV = (await import(new URL("libav-seekframe.mjs", DIST).href)).default;
const factory = (await import(new URL("libav-seekframe.wasm.mjs", DIST).href)).default;
let memory: WebAssembly.Memory | undefined;
const libav = await LibAV.LibAV({
  noworker: true,
  nothreads: true,
  wasmurl: new URL("libav-seekframe.wasm.wasm", DIST).href,
  factory: (o: Record<string, unknown>) =>
    factory({
      ...o,
      instantiateWasm(imports: WebAssembly.Imports, done: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) {
        fetch(new URL("libav-seekframe.wasm.wasm", DIST)).then((r) => r.arrayBuffer())
          .then((b) => WebAssembly.instantiate(b, imports))
          .then(({ instance, module }) => {
            memory = Object.values(instance.exports).find((x) => x instanceof WebAssembly.Memory) as WebAssembly.Memory;
            done(instance, module);
          });
        return {};
      },
    }),
});
const out = await libav.malloc(16);
async function show(when: string) {
  await libav.seekframe_heap_info(out);
  const [heap, top] = await libav.copyout_f64(out, 2);
  const mb = (n: number) => (n / 1048576).toFixed(1) + " MiB";
  console.log(
    `${when.padEnd(34)} HEAPU8.buffer ${mb(libav.HEAPU8.buffer.byteLength)}, Memory export ${
      mb(memory!.buffer.byteLength)
    }, seekframe_heap_info: heap ${mb(heap)}, sbrk(0) ${mb(top)}`,
  );
}
await libav.av_log_set_level(8);
await show("after load");
const { codecpar, timeBase, packets } = await demux(libav, opt.file);
await show("after demux (file in MEMFS)");
const s = await Session.open(libav, codecpar, timeBase);
const feed = packets.slice(0, Number(opt.frames));
const targets = feed.map((p) => p.pts);
for (let at = 0; at < feed.length; at += 16) {
  await s.run({ packets: feed.slice(at, at + 16), targets, fin: at + 16 >= feed.length, mode: OUT_RGB24 });
}
await show(`after decoding ${feed.length} frames (RGB24)`);
await s.close();
await show("after closing the session");
