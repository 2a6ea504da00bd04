// Cost of one awaited libav.js call in direct mode (Deno), e.g. AVFrame_width, vs the _sync form.
//   deno run -A vendor/libav/proto/call_overhead.ts
import { loadLibAV } from "./common.ts";

const libav = await loadLibAV();
const f = await libav.av_frame_alloc();
const N = 200_000;
for (let rep = 0; rep < 3; rep++) {
  let t0 = performance.now();
  for (let i = 0; i < N; i++) await libav.AVFrame_width(f);
  const a = (performance.now() - t0) / N * 1000;
  t0 = performance.now();
  for (let i = 0; i < N; i++) libav.AVFrame_width_sync(f);
  const s = (performance.now() - t0) / N * 1000;
  const buf = await libav.malloc(1280 * 720 * 3);
  t0 = performance.now();
  for (let i = 0; i < 200; i++) await libav.copyout_u8(buf, 1280 * 720 * 3);
  const c = (performance.now() - t0) / 200;
  await libav.free(buf);
  console.log(
    `awaited call ${a.toFixed(2)} us, _sync call ${s.toFixed(2)} us; copyout_u8 of 2.76 MB ${c.toFixed(3)} ms`,
  );
}
await libav.av_frame_free_js(f);
