/**
 * A separate process for the index tests: opens a store over S3 with the KV
 * at argv[0], fetches frame argv[2] of key argv[1], and prints JSON with the
 * storage requests it made and a checksum of the frame.
 */

import { openFrameStore } from "../mod.ts";
import { sha256Hex } from "../src/bytes.ts";
import { s3Options } from "./env.ts";

const [kvPath, key, n] = Deno.args;
const store = await openFrameStore({ s3: s3Options(), kvPath, workers: 1 });
const frame = await store.getFrame(key, Number(n));
console.log(JSON.stringify({
  requests: store.stats.storage.requests,
  bytes: store.stats.storage.bytesFetched,
  sha256: await sha256Hex(frame.data),
}));
await store.close();
