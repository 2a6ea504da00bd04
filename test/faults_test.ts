/**
 * Faults injected against real servers: a decoder Worker killed mid-job,
 * stores opened and closed in every order, MinIO and denokv stopped and
 * restarted under load, stalled, truncated and reset storage responses (the
 * fault proxy), an object overwritten while it is read, and damaged index
 * entries. Nothing may crash the process, hang past its deadline, or return
 * a frame of the wrong version.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "npm:@aws-sdk/client-s3@3.1175.0";
import { DecoderError, KvIndexStore, openFrameStore, S3Provider, StorageError } from "../mod.ts";
import { DecoderPool } from "../src/decode/pool.ts";
import { VideoDecoder } from "../src/decode/session.ts";
import { buildIndex } from "../src/index/build.ts";
import { SCHEMA_VERSION } from "../src/index/codec.ts";
import { BUCKET, FIXTURES, rawClient, rng, s3Options, sidecarS3Env, uploadFixtures } from "./env.ts";
import { ensureDenoKv } from "./denokv.ts";
import { ensureMinio } from "./minio.ts";
import { startProxy } from "./proxy.ts";
import { psnr, referenceFrames, selectFrame } from "./reference.ts";
import { freePort, restartableServer } from "./server_process.ts";
import { startSidecar } from "./sidecar.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("a decoder worker killed mid-job: the job fails with DecoderError, or is retried on a fresh worker", async () => {
  const file = "long_720p.mp4";
  const path = join(FIXTURES, await Deno.stat(join(FIXTURES, file)).then(() => file, () => "hevc.mp4"));
  const bytes = await Deno.readFile(path);
  const pool = new DecoderPool({ workers: 1 });
  try {
    const probe = await pool.probe(file, bytes.byteLength, (pos, n) => Promise.resolve(bytes.slice(pos, pos + n)));
    const index = buildIndex({ key: file, size: bytes.byteLength, etag: "e" }, probe);
    const fetch = ({ from, to }: { from: number; to: number }) => {
      const packets = [];
      for (let i = from; i <= to; i++) {
        const at = index.packets.offset[i];
        packets.push({
          data: bytes.slice(at, at + index.packets.size[i]),
          pts: index.packets.pts[i],
          dts: index.packets.dts[i],
          flags: index.packets.flags[i],
        });
      }
      return Promise.resolve({ kind: "packets" as const, packets });
    };
    // A target deep in the first GOP, so a job takes long enough to be killed while it runs.
    const last = Math.min(index.info.frameCount - 1, (index.info.keyframes[1] ?? index.info.frameCount) - 1, 120);
    const output = { pixels: "rgb24", width: 0, height: 0, rotation: 0 } as const;
    // A job killed once is retried from its keyframe on a fresh worker, and gives the right frame.
    const decoder = new VideoDecoder(pool, index, "v1");
    const retried = decoder.frames({ frames: [last], output, fetch });
    await sleep(100);
    pool.crashWorker(0);
    const frames = await retried;
    assert.ok(psnr(frames.get(last)!.data, await selectFrame(path, last)) >= 45, "the retried job's frame");
    // Killed again and again (the retry too): a typed DecoderError, not "corrupt media".
    let settled = false;
    const doomed = new VideoDecoder(pool, index, "v2").frames({ frames: [last], output, fetch })
      .then((frames) => frames, (e) => e).finally(() => settled = true);
    // Each attempt is killed while it is queued or running (a fixed cadence lets a fast machine finish one first).
    let kills = 0;
    while (!settled) {
      await sleep(5);
      if (settled || pool.queueDepth === 0) continue;
      pool.crashWorker(0);
      kills++;
      await sleep(20);
    }
    const err = await doomed;
    assert.ok(kills >= 2);
    assert.ok(err instanceof DecoderError, `after ${kills} kills: ${err}`);
    assert.equal(err.code, "decoder");
    // And the pool goes on.
    const after = await new VideoDecoder(pool, index, "v3").frames({ frames: [0], output, fetch });
    assert.ok(psnr(after.get(0)!.data, await selectFrame(path, 0)) >= 45);
  } finally {
    await pool.close();
  }
});

Deno.test("stores opened and closed in every order, 100 times, never take the process down", async () => {
  await uploadFixtures();
  const dir = await Deno.makeTempDir({ prefix: "seekframe-life-" });
  try {
    // No --v8-flags here: lazy wasm compilation stays on, as in production.
    const script = `
import { openFrameStore } from ${JSON.stringify(new URL("../mod.ts", import.meta.url).href)};
import { s3Options } from ${JSON.stringify(new URL("./env.ts", import.meta.url).href)};
const s3 = s3Options({ prefix: "fixtures/" });
const kvPath = ${JSON.stringify(join(dir, "index.kv"))};
const keys = ["h264_bframes_faststart.mp4", "hevc.mp4", "vp9.webm", "h264_audio.ts"];
for (const key of keys) { const s = await openFrameStore({ s3, kvPath }); await s.info(key); await s.close(); }
for (let r = 0; r < 25; r++) for (const key of keys) {
  const store = await openFrameStore({ s3, kvPath }); // the issue's loop: info from KV, then close
  await store.info(key);
  await store.close();
}
for (let r = 0; r < 20; r++) {
  const store = await openFrameStore({ s3, kvPath: false, workers: 2 });
  const pending = [store.info(keys[r % 4]), store.getFrame(keys[(r + 1) % 4], r)].map((p) => p.catch((e) => e.name));
  if (r % 3 === 1) await new Promise((r) => setTimeout(r, 5 * r)); // close while Workers start, probe or decode
  await store.close();
  for (const outcome of await Promise.all(pending)) {
    if (typeof outcome === "string" && outcome !== "StoreClosedError") throw new Error("unexpected " + outcome);
  }
}
console.log("survived");
`;
    await Deno.writeTextFile(join(dir, "loop.ts"), script);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-kv", join(dir, "loop.ts")],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.ok(out.success, `the process died:\n${text.slice(-2000)}`);
    assert.match(text, /survived/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A MinIO of this test's own, which it can stop and start again on the same port with the same data. */
async function ownMinio() {
  const binary = await ensureMinio(ROOT);
  const dir = await Deno.makeTempDir({ prefix: "seekframe-minio-fault-" });
  const port = freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: "fault", secretAccessKey: "fault-secret-key" };
  const server = restartableServer({
    name: "MinIO",
    binary,
    args: ["server", dir, "--address", `127.0.0.1:${port}`, "--console-address", `127.0.0.1:${freePort()}`],
    env: {
      MINIO_ROOT_USER: credentials.accessKeyId,
      MINIO_ROOT_PASSWORD: credentials.secretAccessKey,
      MINIO_BROWSER: "off",
    },
    dir,
    ready: async () => {
      const res = await fetch(`${endpoint}/minio/health/ready`);
      await res.body?.cancel();
      return res.ok;
    },
  });
  await server.start();
  const client = new S3Client({ region: "us-east-1", endpoint, credentials, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: "fault" }));
  const put = async (key: string, file: string) =>
    await client.send(
      new PutObjectCommand({ Bucket: "fault", Key: key, Body: await Deno.readFile(join(FIXTURES, file)) }),
    );
  return { server, endpoint, credentials, client, put };
}

/** Requests frames in a loop from `clients` callers until stopped; records status, code and time of each. */
function load(base: string, clients: number, pick: (random: () => number) => string) {
  const results: { status: number; code?: string; ms: number; at: number }[] = [];
  let running = true;
  const done = Promise.all(Array.from({ length: clients }, async (_, c) => {
    const random = rng(100 + c);
    while (running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}${pick(random)}`);
        const body = new Uint8Array(await res.arrayBuffer());
        const code = res.ok ? undefined : JSON.parse(new TextDecoder().decode(body)).code;
        results.push({ status: res.status, code, ms: performance.now() - t0, at: performance.now() });
      } catch (err) {
        results.push({ status: 0, code: String(err), ms: performance.now() - t0, at: performance.now() });
      }
    }
  }));
  return {
    results,
    async stop() {
      running = false;
      await done;
    },
  };
}

Deno.test("MinIO stopped and restarted under load: clean failures, no hang, serving again within 2 s", async () => {
  const minio = await ownMinio();
  const files = ["h264_bframes_faststart.mp4", "hevc.mp4", "vp9.webm"];
  for (const f of files) await minio.put(f, f);
  const DEADLINE = 4000;
  const sidecar = await startSidecar({
    S3_BUCKET: "fault",
    S3_ENDPOINT: minio.endpoint,
    AWS_ACCESS_KEY_ID: minio.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: minio.credentials.secretAccessKey,
    AWS_REGION: "us-east-1",
    // Every request touches storage: a tiny cache, and versions confirmed each time.
    SEEKFRAME_CACHE_BYTES: "262144",
    SEEKFRAME_REVALIDATE_MS: "0",
    SEEKFRAME_DEADLINE_MS: String(DEADLINE),
  });
  try {
    for (const f of files) await (await fetch(`${sidecar.base}/v1/info?key=${f}`)).body?.cancel();
    const traffic = load(
      sidecar.base,
      4,
      (r) => `/v1/frame?key=${files[Math.floor(r() * 3)]}&index=${Math.floor(r() * 48)}&format=rgb`,
    );
    await sleep(1500);
    const downAt = performance.now();
    await minio.server.stop(true);
    await sleep(3000);
    await minio.server.start();
    const upAt = performance.now();
    await sleep(3000);
    await traffic.stop();
    const { results } = traffic;
    const before = results.filter((r) => r.at < downAt);
    const during = results.filter((r) => r.at > downAt + 200 && r.at < upAt);
    const firstOk = results.find((r) => r.at > upAt && r.status === 200);
    const kinds = new Map<string, number>();
    for (const r of results) {
      kinds.set(`${r.status} ${r.code ?? ""}`.trim(), (kinds.get(`${r.status} ${r.code ?? ""}`.trim()) ?? 0) + 1);
    }
    console.log(`statuses: ${[...kinds].map(([k, n]) => `${k}: ${n}`).join(", ")}`);
    console.log(`recovery: first 200 ${firstOk ? (firstOk.at - upAt).toFixed(0) : "never"} ms after MinIO was ready`);
    assert.ok(before.length > 0 && before.every((r) => r.status === 200), "all 200 before the outage");
    assert.ok(during.length > 0, "requests were made during the outage");
    for (const r of results) {
      assert.ok([200, 502, 503, 504].includes(r.status), `status ${r.status} ${r.code}`);
      assert.ok(r.ms <= DEADLINE + 1500, `a request took ${r.ms.toFixed(0)} ms (deadline ${DEADLINE})`);
    }
    assert.ok(during.every((r) => r.status !== 200 || r.code === undefined));
    assert.ok(firstOk && firstOk.at - upAt <= 2000, "serving again within 2 s of MinIO's return");
    assert.match(sidecar.output(), /seekframe serving/);
  } finally {
    await sidecar.stop();
    minio.client.destroy();
    await minio.server.dispose();
  }
});

Deno.test("denokv stopped and restarted under load: frames keep coming, indexes persist again after", async () => {
  await uploadFixtures();
  const binary = await ensureDenoKv(ROOT);
  const dir = await Deno.makeTempDir({ prefix: "seekframe-denokv-fault-" });
  const port = freePort();
  const token = crypto.randomUUID();
  const url = `http://127.0.0.1:${port}`;
  const kv = restartableServer({
    name: "denokv",
    binary,
    args: ["--sqlite-path", join(dir, "kv.sqlite"), "serve", "--addr", `127.0.0.1:${port}`],
    env: { DENO_KV_ACCESS_TOKEN: token },
    dir,
    ready: async () => {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return true;
    },
  });
  await kv.start();
  const run = crypto.randomUUID();
  const keys = ["h264_bframes_faststart.mp4", "hevc.mp4", "vp9.webm", "mpeg4.mp4", "h264.mkv", "av1.mp4"];
  const client = rawClient();
  for (const k of keys) {
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `kvfault/${run}/${k}`,
        Body: await Deno.readFile(join(FIXTURES, k)),
      }),
    );
  }
  client.destroy();
  const sidecar = await startSidecar({
    ...sidecarS3Env(`kvfault/${run}/`),
    SEEKFRAME_KV: url,
    DENO_KV_ACCESS_TOKEN: token,
  });
  const location = (k: string) => new S3Provider(s3Options({ prefix: `kvfault/${run}/` })).location(k);
  const stored = async (k: string) => {
    // Deno reads the KV Connect token from the environment when it opens the database.
    const suiteToken = Deno.env.get("DENO_KV_ACCESS_TOKEN");
    Deno.env.set("DENO_KV_ACCESS_TOKEN", token);
    const indexes = await KvIndexStore.open(url).finally(() => {
      if (suiteToken === undefined) Deno.env.delete("DENO_KV_ACCESS_TOKEN");
      else Deno.env.set("DENO_KV_ACCESS_TOKEN", suiteToken);
    });
    try {
      return (await indexes.latest(location(k))) !== undefined;
    } finally {
      indexes.close();
    }
  };
  const frame = async (k: string, n: number) => {
    const res = await fetch(`${sidecar.base}/v1/frame?key=${k}&index=${n}&format=rgb`);
    const data = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, data };
  };
  const metric = async (name: string) => {
    const text = await (await fetch(`${sidecar.base}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
  };
  try {
    const [a, b, c, d, e, f] = keys;
    assert.equal((await frame(a, 5)).status, 200);
    assert.ok(await stored(a), "KV up: the index is stored");
    await kv.stop(true);
    // Outage: new videos are indexed in memory and served, the old ones too.
    for (const [k, n] of [[b, 7], [c, 9], [d, 3], [a, 6]] as const) {
      const t0 = performance.now();
      const got = await frame(k, n);
      assert.equal(got.status, 200, `${k} during the outage`);
      const ref = await referenceFrames(join(FIXTURES, k));
      assert.ok(psnr(got.data, ref.frames[n]) >= 45, `${k} frame ${n}`);
      assert.ok(performance.now() - t0 < 8000, "no request waits on the dead KV for long");
    }
    assert.equal(await metric("seekframe_index_store_up"), 0, "the outage is visible in /metrics");
    assert.ok((await metric("seekframe_index_store_failures_total")) >= 1);
    await kv.start();
    const end = Date.now() + 15_000;
    while ((await metric("seekframe_index_store_up")) !== 1) {
      assert.ok(Date.now() < end, "the sidecar notices denokv is back");
      await sleep(100);
    }
    for (const k of [e, f]) assert.equal((await frame(k, 2)).status, 200);
    assert.ok(await stored(e) && await stored(f), "KV up again: new indexes are stored");
    assert.match(sidecar.output(), /index store failed/);
    assert.match(sidecar.output(), /answers again/);
  } finally {
    await sidecar.stop();
    await kv.dispose();
  }
});

Deno.test("stalled, truncated and reset storage responses: deadlines fire, bodies are retried, never decoded short", async (t) => {
  await uploadFixtures();
  const file = "h264_audio_moov_end.mp4";
  const ref = await referenceFrames(join(FIXTURES, file));
  const proxy = await startProxy(s3Options().endpoint!);
  const store = (extra: Record<string, unknown> = {}) =>
    openFrameStore({
      s3: s3Options({ endpoint: proxy.endpoint, prefix: "fixtures/", requestTimeoutMs: 400, maxAttempts: 3, ...extra }),
      kvPath: false,
      workers: 1,
    });
  try {
    await t.step("a stalled server: the request times out and is reported, bounded", async () => {
      proxy.behaviour = { fault: () => "stall" };
      await using s = await store();
      const t0 = performance.now();
      const err = await s.getFrame(file, 10).catch((e) => e);
      assert.ok(err instanceof StorageError, String(err));
      assert.ok(performance.now() - t0 < 10_000, `bounded: ${(performance.now() - t0).toFixed(0)} ms`);
    });
    await t.step("bodies cut off halfway are fetched again, and the frame is right", async () => {
      let cut = 0;
      proxy.behaviour = { fault: ({ range }) => range && cut++ % 2 === 0 ? "truncate" : undefined };
      await using s = await store();
      const frame = await s.getFrame(file, 40);
      assert.ok(psnr(frame.data, ref.frames[40]) >= 45);
      assert.ok(s.stats.storage.retries >= 1, "retried");
    });
    await t.step("bodies always cut off: a StorageError after the attempts, never a frame", async () => {
      let cut = 0;
      proxy.behaviour = { fault: ({ range }) => range && ++cut ? "truncate" : undefined };
      await using s = await store();
      const err = await s.getFrame(file, 40).catch((e) => e);
      assert.ok(err instanceof StorageError, String(err));
      // The SDK sees a cut as a short body or a hang-up; either way the read is tried again, then reported.
      assert.match(err.message, /short read|mid-body|socket hang up|aborted|ECONNRESET/);
      assert.ok(cut >= 3, `${cut} cut responses: the open's read was tried maxAttempts times`);
    });
    await t.step(
      "a burst of 5xx answers: retried within maxAttempts, then the frame; a longer one is reported",
      async () => {
        let failed = 0, seen = 0;
        // The first n ranged requests answer 500 or 503; the rest are forwarded.
        const burst = (n: number) => ({ range }: { range?: string }) => {
          if (!range) return undefined;
          if (seen++ >= n) return undefined;
          failed++;
          return failed % 2 ? 500 : 503;
        };
        proxy.behaviour = { fault: burst(2) };
        await using s = await store();
        const frame = await s.getFrame(file, 30);
        assert.ok(psnr(frame.data, ref.frames[30]) >= 45);
        assert.equal(failed, 2);
        assert.equal(s.stats.storage.retries, 2, "each 5xx retried once");
        failed = seen = 0;
        proxy.behaviour = { fault: burst(1_000) };
        await using cold = await store();
        const err = await cold.getFrame(file, 30).catch((e) => e);
        assert.ok(err instanceof StorageError, String(err));
        assert.ok([500, 503].includes((err as StorageError).status ?? 0), `status ${(err as StorageError).status}`);
        assert.equal(seen, 3, "maxAttempts requests, no more");
        assert.equal(failed, 3, "maxAttempts requests, no more");
      },
    );
    await t.step("connections reset before the answer are retried", async () => {
      let resets = 0;
      proxy.behaviour = { fault: ({ range }) => range && resets++ < 2 ? "reset" : undefined };
      await using s = await store();
      const frame = await s.getFrame(file, 20);
      assert.ok(psnr(frame.data, ref.frames[20]) >= 45);
    });
  } finally {
    await proxy.close();
  }
});

Deno.test("an object overwritten while read under load: every frame is frame N of the version it names", async () => {
  await uploadFixtures();
  const key = `overwrite/${crypto.randomUUID()}.mp4`;
  const files = ["h264_bframes_faststart.mp4", "hevc.mp4"];
  const refs = await Promise.all(files.map((f) => referenceFrames(join(FIXTURES, f))));
  const client = rawClient();
  const put = async (i: number) =>
    (await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: await Deno.readFile(join(FIXTURES, files[i])) }),
    )).ETag!.replaceAll('"', "");
  const etags = [await put(0)];
  await using store = await openFrameStore({ s3: s3Options(), kvPath: false, workers: 2, revalidateMs: 0 });
  let running = true;
  const seen: { etag: string; n: number; data: Uint8Array }[] = [];
  const errors: string[] = [];
  const readers = Array.from({ length: 3 }, async (_, c) => {
    const random = rng(7 + c);
    while (running) {
      const n = Math.floor(random() * 72);
      try {
        const f = await store.getFrame(key, n);
        seen.push({ etag: f.etag, n, data: f.data });
      } catch (err) {
        errors.push(String(err));
      }
    }
  });
  await sleep(800);
  etags.push(await put(1));
  await sleep(1500);
  running = false;
  await Promise.all(readers);
  client.destroy();
  assert.deepEqual(errors, [], "no request failed: a replaced object is read anew");
  const byVersion = etags.map((e) => seen.filter((s) => s.etag === e).length);
  assert.ok(byVersion[0] > 0 && byVersion[1] > 0, `frames of both versions (${byVersion})`);
  for (const s of seen) {
    const v = etags.indexOf(s.etag);
    assert.ok(v >= 0, `a frame names an unknown version ${s.etag}`);
    assert.ok(psnr(s.data, refs[v].frames[s.n]) >= 45, `frame ${s.n} is that of the version it names (${v})`);
  }
  assert.equal((await store.info(key)).codec, "hevc", "the index was rebuilt");
});

Deno.test("stored index entries of another shape or damaged are rebuilt, never trusted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-kv-shape-" });
  const kvPath = join(dir, "i.kv");
  try {
    const file = "vp9.webm";
    {
      await using store = await openFrameStore({ dir: FIXTURES, kvPath, workers: 1 });
      await store.info(file);
    }
    const kv = await Deno.openKv(kvPath);
    for await (const e of kv.list({ prefix: ["seekframe", SCHEMA_VERSION, "head"] })) {
      await kv.set(e.key, { etag: 42, generation: null }); // a head of another shape
    }
    kv.close();
    await using store = await openFrameStore({ dir: FIXTURES, kvPath, workers: 1 });
    const ref = await referenceFrames(join(FIXTURES, file));
    assert.equal((await store.info(file)).frameCount, ref.frames.length);
    assert.ok(store.stats.storage.bytesFetched > 0, "rebuilt from the file");
    assert.ok(psnr((await store.getFrame(file, 20)).data, ref.frames[20]) >= 45);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
