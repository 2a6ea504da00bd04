/**
 * Bytes per frame (`deno bench -A bench/` or `deno task bench`): for one
 * random frame of each fixture, read cold from S3 (MinIO), the bytes fetched
 * from storage, the number of GETs, the least bytes any reader needs (the
 * packets from the keyframe to the frame, "LB"), and the file size. Then
 * `Deno.bench` times cold and warm frame fetches.
 *
 * Starts its own MinIO unless `S3_ENDPOINT` is set.
 *
 * @module
 */

import { newReadStats, openFrameStore } from "../mod.ts";
import { rng, s3Options, VIDEOS } from "../test/env.ts";
import { benchSetup } from "./setup.ts";

await benchSetup({ long: false });
const s3 = s3Options({ prefix: "fixtures/" });

/** One cold fetch of one random frame, with what it cost. */
async function coldFrame(file: string, random: () => number) {
  const store = await openFrameStore({ s3, workers: 1, kvPath: false });
  try {
    const info = await store.info(file);
    const opened = { ...store.stats.storage };
    const n = Math.floor(random() * info.frameCount);
    const stats = newReadStats();
    await store.getFrame(file, n, { stats });
    const plan = await store.plan(file, [n]);
    return {
      file,
      n,
      size: info.size,
      openGets: opened.requests,
      openBytes: opened.bytesFetched,
      frameGets: stats.requests,
      frameBytes: stats.bytesFetched,
      lb: plan.runs.reduce((a, r) => a + r.packetBytes, 0),
      totalGets: store.stats.storage.requests,
      totalBytes: store.stats.storage.bytesFetched,
    };
  } finally {
    await store.close();
  }
}

const rows = [];
const pick = rng(7);
for (const file of Object.keys(VIDEOS)) rows.push(await coldFrame(file, pick));
const kb = (n: number) => (n / 1024).toFixed(1);
console.log(
  "\n| video | size KiB | frame | open: GETs / KiB | frame: GETs / KiB | LB KiB | frame bytes / LB | total GETs | total / size |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.file} | ${kb(r.size)} | ${r.n} | ${r.openGets} / ${kb(r.openBytes)} | ${r.frameGets} / ${
      kb(r.frameBytes)
    } | ${kb(r.lb)} | ${(r.frameBytes / r.lb).toFixed(2)} | ${r.totalGets} | ${(r.totalBytes / r.size).toFixed(2)} |`,
  );
}
console.log("(open = index build; frame bytes can be 0 when the open already cached them)\n");

const warm = await openFrameStore({ s3, workers: 1, kvPath: false });
const random = rng(11);
for (const file of ["h264_bframes_faststart.mp4", "hevc.mp4", "vp9.webm"]) {
  const info = await warm.info(file);
  Deno.bench(`warm random frame, ${file}`, { group: "warm" }, async () => {
    await warm.getFrame(file, Math.floor(random() * info.frameCount));
  });
}
Deno.bench("cold open + one frame, h264_audio_moov_end.mp4", { group: "cold" }, async () => {
  const store = await openFrameStore({ s3, workers: 1, kvPath: false });
  await store.getFrame("h264_audio_moov_end.mp4", 40);
  await store.close();
});
globalThis.addEventListener("unload", () => warm.close());
