/**
 * The scale-out recipe of `deploy/`: three real sidecars (`seekframe serve`)
 * sharing the test task's denokv, behind a real nginx running
 * `deploy/nginx.conf` on loopback, over the test task's MinIO. Through nginx
 * every frame is ffmpeg's, each key is answered by one replica, each video is
 * indexed once for the whole group (by its replica; the others read nothing
 * of it), and when a replica is killed its keys move to another one, which
 * serves them after one GET because the index comes from KV.
 *
 * The replicas reach MinIO through a pass-through proxy (`proxy.ts`) that logs
 * every storage request (method, object, range). All of them name it by one
 * endpoint URL, as a deployment must: the index's KV key holds the endpoint.
 * Each replica's `/metrics` tells which replica sent requests; the log tells
 * which ones.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from "npm:@aws-sdk/client-s3@3.1175.0";
import { S3Provider } from "../mod.ts";
import { KvIndexStore } from "../src/index/kv.ts";
import { renderNginxConf } from "../deploy/render.ts";
import { BUCKET, FIXTURES, rawClient, rng, s3Options } from "./env.ts";
import { mse, psnr, type Reference, referenceFrames } from "./reference.ts";
import { type Proxy, startProxy } from "./proxy.ts";
import { freePort } from "./server_process.ts";

/** Fixtures served, each under two keys (so that twelve keys spread over the replicas). */
const FILES = [
  "h264_bframes_faststart.mp4",
  "h264_audio_moov_end.mp4",
  "h264.mkv",
  "hevc.mp4",
  "vp9.webm",
  "h264_audio.ts",
];
const REPLICAS = 3;
const TOKEN = crypto.randomUUID();
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** A child process whose output is kept for error messages. */
interface Child {
  process: Deno.ChildProcess;
  output(): string;
  /** Resolves when the process has exited and its output is read. */
  done: Promise<unknown>;
  exited: boolean;
}

function spawn(binary: string, args: string[], env: Record<string, string>): Child {
  const process = new Deno.Command(binary, { args, env, stdin: "null", stdout: "piped", stderr: "piped" }).spawn();
  let text = "";
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) text += chunk;
  };
  const child: Child = { process, output: () => text, done: Promise.resolve(), exited: false };
  child.done = Promise.all([
    process.status.then(() => child.exited = true),
    pump(process.stdout),
    pump(process.stderr),
  ]);
  return child;
}

/** Polls `ready` every 50 ms until it holds; fails at once if the child exits, or after 30 s. */
async function waitFor(name: string, child: Child, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await ready().catch(() => false))) {
    if (child.exited || Date.now() > deadline) {
      throw new Error(`${name} ${child.exited ? "exited" : "did not start in 30 s"}:\n${child.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopChild(child: Child, signal: Deno.Signal = "SIGTERM"): Promise<void> {
  if (!child.exited) {
    try {
      child.process.kill(signal);
    } catch {
      // exited meanwhile
    }
  }
  await child.done;
}

/** A storage request a replica sent, as the proxy saw it. */
interface Read {
  method: string;
  url: string;
  range?: string;
}

/** A sidecar replica. */
interface Replica extends Child {
  /** `127.0.0.1:PORT`, as nginx's `$upstream_addr` names it. */
  addr: string;
}

async function startReplica(endpoint: string, kvUrl: string): Promise<Replica> {
  const port = freePort();
  const child = spawn(Deno.execPath(), [
    "run",
    "-A",
    "--unstable-kv",
    "--unstable-no-legacy-abort",
    fileURLToPath(new URL("../src/cli/main.ts", import.meta.url)),
    "serve",
  ], {
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: endpoint,
    SEEKFRAME_KV: kvUrl,
    DENO_KV_ACCESS_TOKEN: Deno.env.get("DENO_KV_ACCESS_TOKEN") ?? "",
    SEEKFRAME_TOKEN: TOKEN,
    SEEKFRAME_WORKERS: "1",
    HOST: "127.0.0.1",
    PORT: String(port),
  });
  const replica = Object.assign(child, { addr: `127.0.0.1:${port}` });
  try {
    await waitFor(`sidecar ${replica.addr}`, child, async () => (await fetch(`http://${replica.addr}/healthz`)).ok);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return replica;
}

/** Whether a storage request is for the object `key` (path-style URLs: /bucket/key). */
const isFor = (read: Read, key: string) => decodeURIComponent(read.url.split("?")[0]) === `/${BUCKET}/${key}`;

/** nginx; Debian installs it in /usr/sbin, which a non-root PATH may lack. */
async function nginxBinary(): Promise<string> {
  for (const dir of ["/usr/sbin", ...(Deno.env.get("PATH") ?? "").split(":").filter(Boolean)]) {
    if (await Deno.stat(join(dir, "nginx")).then((s) => s.isFile, () => false)) return join(dir, "nginx");
  }
  throw new Error("nginx is not installed: `deno task test` installs it (test/setup.sh), or apt-get install nginx");
}

/** nginx in the foreground with `deploy/nginx.conf` in its own prefix folder `dir`. */
async function startNginx(dir: string, servers: string[]): Promise<{ child: Child; base: string }> {
  const port = freePort();
  const template = await Deno.readTextFile(new URL("../deploy/nginx.conf", import.meta.url));
  const conf = join(dir, "nginx.conf");
  await Deno.writeTextFile(conf, renderNginxConf(template, { listen: `127.0.0.1:${port}`, servers }));
  const child = spawn(await nginxBinary(), ["-p", dir, "-c", conf, "-e", "stderr", "-g", "daemon off;"], {});
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor("nginx", child, async () => {
      const res = await fetch(`${base}/healthz`);
      await res.body?.cancel();
      return res.ok;
    });
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { child, base };
}

/** A replica's storage counters from its own /metrics. */
async function counters(replica: Replica): Promise<{ requests: number; bytes: number }> {
  const res = await fetch(`http://${replica.addr}/metrics`, { headers: AUTH });
  assert.equal(res.status, 200, `/metrics of ${replica.addr}`);
  const text = await res.text();
  const value = (name: string) => {
    const m = new RegExp(`^${name} (\\d+)$`, "m").exec(text);
    assert.ok(m, `${name} in /metrics of ${replica.addr}`);
    return Number(m[1]);
  };
  return { requests: value("seekframe_storage_requests_total"), bytes: value("seekframe_storage_bytes_total") };
}

async function allCounters(replicas: Replica[]) {
  return new Map(await Promise.all(replicas.map(async (r) => [r.addr, await counters(r)] as const)));
}

/** An answer through nginx. */
interface Answer {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** Every replica nginx tried, in order (`$upstream_addr`); the last one answered. */
  tried: string[];
  /** The replica that answered. */
  replica: string;
}

async function get(base: string, path: string, headers: Record<string, string> = AUTH): Promise<Answer> {
  const res = await fetch(`${base}${path}`, { headers });
  const body = new Uint8Array(await res.arrayBuffer());
  const tried = (res.headers.get("x-upstream") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return { status: res.status, headers: res.headers, body, tried, replica: tried.at(-1) ?? "" };
}

const frameUrl = (key: string, n: number) =>
  `/v1/frame?${new URLSearchParams({ key, index: String(n), format: "rgb" })}`;

/** Asserts that an rgb answer is ffmpeg's frame `n`: PSNR ≥ 45 dB and closer to it than to its neighbours. */
function assertFrame(answer: Answer, ref: Reference, n: number, what: string): void {
  assert.equal(answer.status, 200, `${what}: ${new TextDecoder().decode(answer.body.subarray(0, 300))}`);
  assert.equal(answer.headers.get("x-frame-index"), String(n), what);
  assert.equal(answer.headers.get("x-frame-width"), String(ref.width), what);
  assert.equal(answer.headers.get("x-frame-height"), String(ref.height), what);
  assert.equal(answer.body.byteLength, ref.width * ref.height * 3, what);
  const db = psnr(answer.body, ref.frames[n]);
  assert.ok(db >= 45, `${what}: PSNR against ffmpeg's frame ${n} is ${db.toFixed(2)} dB (< 45)`);
  const own = mse(answer.body, ref.frames[n]);
  for (const m of [n - 1, n + 1]) {
    if (m < 0 || m >= ref.frames.length) continue;
    assert.ok(mse(answer.body, ref.frames[m]) > own, `${what}: closer to ffmpeg's frame ${m} than to ${n}`);
  }
}

Deno.test("sidecars behind nginx: one replica per key, one index per video, failover after one GET", async (t) => {
  const kvUrl = Deno.env.get("SEEKFRAME_TEST_KV_URL");
  if (!kvUrl || !Deno.env.get("S3_ENDPOINT")) {
    throw new Error("SEEKFRAME_TEST_KV_URL and S3_ENDPOINT are not set: run the tests with `deno task test`");
  }
  // Object keys new to the shared denokv: no replica can find an index for them before this test builds it.
  const run = `scaleout/${crypto.randomUUID()}`;
  const videos = FILES.flatMap((file) => [1, 2].map((copy) => ({ key: `${run}/${copy}/${file}`, file })));
  const refs = new Map<string, Reference>();
  const s3 = rawClient();
  const dir = await Deno.makeTempDir({ prefix: "seekframe-nginx-" });
  const replicas: Replica[] = [];
  const reads: Read[] = [];
  let proxy: Proxy | undefined;
  let nginx: Child | undefined;
  try {
    proxy = await startProxy(Deno.env.get("S3_ENDPOINT")!, {
      fault: ({ method, url, range }) => void reads.push({ method, url, range }),
    });
    const endpoint = proxy.endpoint;
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((err) => {
      if (err?.name !== "BucketAlreadyOwnedByYou" && err?.name !== "BucketAlreadyExists") throw err;
    });
    const [started] = await Promise.all([
      Promise.allSettled(Array.from({ length: REPLICAS }, () => startReplica(endpoint, kvUrl))),
      Promise.all(videos.map(async ({ key, file }) => {
        const Body = await Deno.readFile(join(FIXTURES, file));
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body }));
      })),
      Promise.all(FILES.map(async (file) => refs.set(file, await referenceFrames(join(FIXTURES, file))))),
    ]);
    for (const s of started) if (s.status === "fulfilled") replicas.push(s.value);
    for (const s of started) if (s.status === "rejected") throw s.reason;
    const lb = await startNginx(dir, replicas.map((r) => r.addr));
    nginx = lb.child;
    const base = lb.base;
    const byAddr = new Map(replicas.map((r) => [r.addr, r]));
    /** The replica that answered each key. */
    const owner = new Map<string, string>();

    await t.step("each video is indexed once, by its replica, and every frame is ffmpeg's", async () => {
      for (const { key, file } of videos) {
        const ref = refs.get(file)!;
        const before = await allCounters(replicas);
        const logged = reads.length;
        const info = await get(base, `/v1/info?${new URLSearchParams({ key })}`);
        assert.equal(info.status, 200, new TextDecoder().decode(info.body));
        assert.equal(JSON.parse(new TextDecoder().decode(info.body)).frameCount, ref.frames.length, key);
        owner.set(key, info.replica);
        assert.ok(byAddr.has(info.replica), `X-Upstream ${info.headers.get("x-upstream")} names a replica`);
        for (const n of [0, ref.frames.length >> 1, ref.frames.length - 1]) {
          const answer = await get(base, frameUrl(key, n));
          assertFrame(answer, ref, n, `${key} frame ${n}`);
          assert.deepEqual(answer.tried, [info.replica], `${key}: frame ${n} from the replica that indexed it`);
        }
        const after = await allCounters(replicas);
        const sent = reads.slice(logged);
        for (const [addr, was] of before) {
          const now = after.get(addr)!;
          if (addr !== info.replica) {
            assert.deepEqual(now, was, `${addr} read nothing while ${info.replica} indexed and served ${key}`);
          } else assert.equal(now.requests - was.requests, sent.length, `${addr} sent every request logged`);
        }
        assert.ok(sent.length > 0 && sent.every((r) => isFor(r, key)), `${key}: ${JSON.stringify(sent)}`);
      }
      // The indexes are in the shared KV, where any replica finds them.
      const indexes = await KvIndexStore.open(kvUrl);
      const provider = new S3Provider(s3Options({ endpoint }));
      try {
        for (const { key, file } of videos) {
          const stored = await indexes.latest(provider.location(key));
          assert.equal(stored?.probe.packets.size.length, refs.get(file)!.frames.length, `${key}: index in KV`);
        }
      } finally {
        indexes.close();
        await provider.close();
      }
    });

    await t.step("every request for a key is answered by one replica, and the keys spread over several", async () => {
      const random = rng(7);
      await Promise.all(videos.map(async ({ key, file }) => {
        const ref = refs.get(file)!;
        const seen = new Set([owner.get(key)!]);
        for (let i = 0; i < 4; i++) {
          const n = Math.floor(random() * ref.frames.length);
          const answer = await get(base, frameUrl(key, n));
          assertFrame(answer, ref, n, `${key} frame ${n}`);
          for (const h of ["etag", "x-storage-requests", "x-storage-bytes", "x-cache-bytes", "server-timing"]) {
            assert.ok(answer.headers.get(h), `${h} passed through nginx`);
          }
          seen.add(answer.replica);
          // Revalidation passes through too.
          const again = await get(base, frameUrl(key, n), { ...AUTH, "if-none-match": answer.headers.get("etag")! });
          assert.equal(again.status, 304, `${key} frame ${n} revalidated`);
          seen.add(again.replica);
        }
        const batch = await get(base, `/v1/frames?${new URLSearchParams({ key, indices: "1,2,3", format: "rgb" })}`);
        assert.equal(batch.status, 200);
        seen.add(batch.replica);
        assert.deepEqual([...seen], [owner.get(key)], `${key}: 14 requests, one replica`);
      }));
      const used = new Set(owner.values());
      assert.ok(used.size > 1, `12 keys over ${used.size} replica(s)`);
      const denied = await get(base, frameUrl(videos[0].key, 0), {});
      assert.equal(denied.status, 401, "the sidecars' token holds through nginx");
    });

    await t.step("a killed replica's keys move to another one, which serves them after one GET", async () => {
      // The replica holding the most keys dies without a word.
      const held = (addr: string) => videos.filter((v) => owner.get(v.key) === addr);
      const victim = replicas.toSorted((a, b) => held(b.addr).length - held(a.addr).length)[0];
      const moved = held(victim.addr);
      await stopChild(victim, "SIGKILL");
      const survivors = replicas.filter((r) => r !== victim);
      const random = rng(11);
      for (const [i, { key, file }] of moved.entries()) {
        const ref = refs.get(file)!;
        const n = 1 + Math.floor(random() * (ref.frames.length - 1));
        const before = await allCounters(survivors);
        const logged = reads.length;
        const first = await get(base, frameUrl(key, n));
        assertFrame(first, ref, n, `${key} frame ${n} after the kill`);
        const heir = byAddr.get(first.replica);
        assert.ok(heir && heir !== victim, `${key} answered by a live replica (X-Upstream ${first.tried})`);
        // nginx found the victim dead on the first such request and retried at once: the client saw one answer.
        if (i === 0) assert.deepEqual(first.tried, [victim.addr, heir.addr], "tried the dead replica, then the next");
        // X-Storage-Requests counts everything the request asked of storage, opening the video included.
        assert.equal(first.headers.get("x-storage-requests"), "1", `${key}: the new replica's first frame, one GET`);
        const after = await allCounters(survivors);
        for (const r of survivors) {
          const was = before.get(r.addr)!, now = after.get(r.addr)!;
          if (r !== heir) {
            assert.deepEqual(now, was, `${r.addr} read nothing for ${key}`);
            continue;
          }
          // All it asked storage: one ranged GET of the object, for the frame's packets, pinned to the version known
          // from KV (so it confirms it: no HEAD). No index build: that reads the head, the moov or every packet.
          const sent = reads.slice(logged);
          assert.equal(now.requests - was.requests, sent.length, `/metrics of ${r.addr} counts every request logged`);
          assert.ok(sent.every((x) => isFor(x, key)), `${r.addr} asked only for ${key}: ${JSON.stringify(sent)}`);
          const gets = sent.filter((x) => x.method === "GET"), heads = sent.filter((x) => x.method === "HEAD");
          assert.equal(gets.length, 1, `${key}: ${r.addr} sent one GET (${JSON.stringify(sent)})`);
          assert.ok(gets[0].range, "a ranged GET");
          assert.equal(heads.length, 0, JSON.stringify(sent));
          assert.equal(sent.length, 1, JSON.stringify(sent));
          assert.equal(now.bytes - was.bytes, Number(first.headers.get("x-storage-bytes")), "only the frame's bytes");
        }
        // The key stays on its new replica.
        for (const m of [0, n - 1, ref.frames.length - 1]) {
          const answer = await get(base, frameUrl(key, m));
          assertFrame(answer, ref, m, `${key} frame ${m} after the kill`);
          assert.equal(answer.replica, heir.addr, `${key} stays on ${heir.addr}`);
        }
      }
      // Keys of the live replicas did not move.
      for (const { key, file } of videos.filter((v) => owner.get(v.key) !== victim.addr)) {
        const answer = await get(base, frameUrl(key, 5));
        assertFrame(answer, refs.get(file)!, 5, `${key} frame 5 after the kill`);
        assert.deepEqual(answer.tried, [owner.get(key)], `${key} stays on its replica`);
      }
    });
  } finally {
    if (nginx) await stopChild(nginx);
    await Promise.all(replicas.map((r) => stopChild(r)));
    await proxy?.close();
    await Promise.allSettled(videos.map(({ key }) => s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }))));
    s3.destroy();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
