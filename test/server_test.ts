/**
 * The sidecar as users run it: a separate `seekframe serve` process over a
 * real MinIO, driven over real HTTP. Every route and format (decoded back and
 * compared with ffmpeg's frames), revalidation, every error status, escape
 * attempts, the token, and that secrets stay out of the logs.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { decode as decodePng } from "npm:fast-png@8.0.0";
import jpeg from "npm:jpeg-js@0.4.4";
import { FIXTURES, s3Options, uploadFixtures } from "./env.ts";
import { mse, psnr, referenceFrames, selectFrame } from "./reference.ts";
import { startProxy } from "./proxy.ts";
import { startSidecar } from "./sidecar.ts";

const FILE = "h264_audio_moov_end.mp4";

async function bytesOf(res: Response | Promise<Response>): Promise<Uint8Array> {
  return new Uint8Array(await (await res).arrayBuffer());
}

/** Environment for a sidecar over the test bucket's fixtures/ prefix. */
function s3Env(extra: Record<string, string> = {}): Record<string, string> {
  const o = s3Options();
  return {
    S3_BUCKET: o.bucket,
    S3_ENDPOINT: o.endpoint!,
    S3_PREFIX: "fixtures/",
    AWS_ACCESS_KEY_ID: o.credentials!.accessKeyId,
    AWS_SECRET_ACCESS_KEY: o.credentials!.secretAccessKey,
    AWS_REGION: "us-east-1",
    ...extra,
  };
}

/** Parses a uint8 .npy file. */
function parseNpy(bytes: Uint8Array): { shape: number[]; data: Uint8Array } {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x93, 78, 85, 77, 80, 89, 1, 0]);
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint16(8, true);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + len));
  assert.equal((10 + len) % 64, 0, "header padded to 64 bytes");
  assert.match(header, /'descr': '\|u1', 'fortran_order': False/);
  const shape = header.match(/'shape': \(([^)]*)\)/)![1].split(",").filter((s) => s.trim()).map(Number);
  return { shape, data: bytes.subarray(10 + len) };
}

Deno.test("the sidecar over S3: routes, formats, revalidation", async (t) => {
  await uploadFixtures();
  const sidecar = await startSidecar(s3Env());
  const get = (path: string, init?: RequestInit) => fetch(sidecar.base + path, init);
  const ref = await referenceFrames(join(FIXTURES, FILE));
  try {
    await t.step("GET /healthz and /v1/info", async () => {
      assert.equal((await get("/healthz").then((r) => r.json())).ok, true);
      const info = await get(`/v1/info?key=${FILE}`).then((r) => r.json());
      assert.equal(info.frameCount, 72);
      assert.equal(info.codec, "h264");
      assert.deepEqual(info.keyframes, [0, 30, 60]);
      assert.equal(info.size, Deno.statSync(join(FIXTURES, FILE)).size);
    });
    await t.step("PNG decodes to ffmpeg's frame", async () => {
      const res = await get(`/v1/frame?key=${FILE}&index=37`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/png");
      const png = decodePng(new Uint8Array(await res.arrayBuffer()));
      assert.equal(png.width, 320);
      assert.equal(png.height, 240);
      assert.equal(png.channels, 3);
      assert.ok(psnr(png.data as Uint8Array, ref.frames[37]) >= 45);
      assert.match(res.headers.get("x-storage-requests") ?? "", /^\d+$/, "the cost header is there");
    });
    await t.step("JPEG is frame N, not its neighbours", async () => {
      const res = await get(`/v1/frame?key=${FILE}&index=50&format=jpeg`);
      assert.equal(res.headers.get("content-type"), "image/jpeg");
      const img = jpeg.decode(new Uint8Array(await res.arrayBuffer()), { useTArray: true, formatAsRGBA: false });
      const rgb = img.data as Uint8Array;
      assert.ok(psnr(rgb, ref.frames[50]) >= 30, "JPEG quality");
      assert.ok(mse(rgb, ref.frames[50]) < mse(rgb, ref.frames[49]));
      assert.ok(mse(rgb, ref.frames[50]) < mse(rgb, ref.frames[51]));
    });
    await t.step("NPY and raw RGB carry the exact pixels", async () => {
      const npy = parseNpy(
        await bytesOf(get(`/v1/frame?key=${FILE}&index=71&format=npy`)),
      );
      assert.deepEqual(npy.shape, [240, 320, 3]);
      const res = await get(`/v1/frame?key=${FILE}&index=71&format=rgb`);
      assert.equal(res.headers.get("x-frame-width"), "320");
      assert.equal(res.headers.get("x-frame-height"), "240");
      const rgb = new Uint8Array(await res.arrayBuffer());
      assert.deepEqual(npy.data, rgb);
      assert.ok(psnr(rgb, ref.frames[71]) >= 45);
    });
    await t.step("t= selects by time, width= downscales keeping the aspect", async () => {
      const byTime = await get(`/v1/frame?key=${FILE}&t=1.5&format=rgb`);
      assert.equal(byTime.headers.get("x-frame-index"), "36"); // 24 fps
      await byTime.body?.cancel();
      const small = await get(`/v1/frame?key=${FILE}&index=10&format=npy&width=160`);
      const { shape } = parseNpy(new Uint8Array(await small.arrayBuffer()));
      assert.deepEqual(shape, [120, 160, 3]);
      // A video turned by 90° is scaled to the width asked in its displayed
      // orientation. The picture is scaled as coded, then turned: ffmpeg's
      // scale-then-transpose gives the same bytes. (Its autorotate turns first,
      // which moves the subsampled chroma: ~23 dB apart at testsrc2's hard edges.)
      const turned = await get(`/v1/frame?key=h264_rotate90.mp4&index=7&format=npy&width=88`);
      const npy = parseNpy(new Uint8Array(await turned.arrayBuffer()));
      assert.deepEqual(npy.shape, [160, 88, 3]);
      const path = join(FIXTURES, "h264_rotate90.mp4");
      const reference = (n: number) =>
        selectFrame(path, n, { then: "scale=160:88,transpose=cclock", autorotate: false });
      assert.ok(psnr(npy.data, await reference(7)) >= 45);
      assert.ok(mse(npy.data, await reference(7)) < mse(npy.data, await reference(8)), "frame 7, not 8");
      assert.deepEqual(npy.data, await reference(7), "byte for byte");
    });
    await t.step("GET /v1/frames returns a (K, H, W, 3) batch in the order asked", async () => {
      const res = await get(`/v1/frames?key=${FILE}&indices=40,3,40,71`);
      assert.equal(res.headers.get("content-type"), "application/x-npy");
      const { shape, data } = parseNpy(new Uint8Array(await res.arrayBuffer()));
      assert.deepEqual(shape, [4, 240, 320, 3]);
      const size = 240 * 320 * 3;
      [40, 3, 40, 71].forEach((n, i) => assert.ok(psnr(data.subarray(i * size, (i + 1) * size), ref.frames[n]) >= 45));
    });
    await t.step("ETags: 304 on revalidation, distinct per frame and format", async () => {
      const first = await get(`/v1/frame?key=${FILE}&index=5`);
      await first.body?.cancel();
      const etag = first.headers.get("etag")!;
      assert.match(etag, /^"[0-9a-f]{32}"$/);
      assert.equal(first.headers.get("cache-control"), "no-cache");
      const again = await get(`/v1/frame?key=${FILE}&index=5`, { headers: { "if-none-match": etag } });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), "");
      for (const other of [`index=6`, `index=5&format=jpeg`, `index=5&width=100`]) {
        const res = await get(`/v1/frame?key=${FILE}&${other}`, { headers: { "if-none-match": etag } });
        assert.equal(res.status, 200, other);
        assert.notEqual(res.headers.get("etag"), etag);
        await res.body?.cancel();
      }
    });
    await t.step("errors map to statuses with a JSON body and no stack", async () => {
      const cases: [string, number, string][] = [
        [`/v1/frame?key=${FILE}&index=72`, 404, "out_of_range"],
        [`/v1/frame?key=${FILE}&t=3.5`, 404, "out_of_range"],
        [`/v1/frame?key=missing.mp4&index=0`, 404, "not_found"],
        [`/v1/frame?key=${FILE}&index=abc`, 400, "invalid_argument"],
        [`/v1/frame?key=${FILE}&index=-1`, 400, "invalid_argument"],
        [`/v1/frame?key=${FILE}`, 400, "invalid_argument"],
        [`/v1/frame?key=${FILE}&index=1&t=0`, 400, "invalid_argument"],
        [`/v1/frame?key=${FILE}&index=1&format=gif`, 400, "invalid_argument"],
        [`/v1/frame?key=${FILE}&index=1&width=641`, 400, "invalid_argument"],
        [`/v1/frames?key=${FILE}&indices=${Array(65).fill(1).join(",")}`, 400, "invalid_argument"],
        [`/v1/frames?key=${FILE}&indices=1,x`, 400, "invalid_argument"],
        [`/v1/info?key=mjpeg.mp4`, 415, "unsupported"],
        [`/v1/info?key=garbage.mp4`, 415, "unsupported"],
        [`/v1/frame?key=truncated.mp4&index=70`, 422, "corrupt"],
        [`/v1/nothing`, 404, "not_found"],
      ];
      for (const [path, status, code] of cases) {
        const res = await get(path);
        const body = await res.json();
        assert.equal(res.status, status, `${path}: ${JSON.stringify(body)}`);
        assert.equal(body.code, code, path);
        assert.doesNotMatch(JSON.stringify(body), /\bat .*\.(ts|js):\d+|file:\/\//, `no stack trace in ${path}`);
      }
      const range = await get(`/v1/frame?key=${FILE}&index=100`).then((r) => r.json());
      assert.match(range.error, /0–71/);
      const post = await get(`/v1/frame?key=${FILE}&index=1`, { method: "POST" });
      assert.equal(post.status, 405);
      await post.body?.cancel();
    });
    await t.step("nothing outside the bucket's prefix is reachable", async () => {
      for (const key of ["../changing/video.mp4", "/fixtures/hevc.mp4", "a/../../x.mp4", "./hevc.mp4"]) {
        const res = await get(`/v1/info?key=${encodeURIComponent(key)}`);
        assert.equal(res.status, 400, key);
        await res.body?.cancel();
      }
      // Keys are relative to the prefix: an object outside it is simply not there.
      const outside = await get(`/v1/info?key=changing/video.mp4`);
      assert.equal(outside.status, 404);
      await outside.body?.cancel();
      // There is no parameter that names another bucket or host.
      const other = await get(`/v1/info?key=${FILE}&bucket=other&endpoint=http://example.com`);
      assert.equal((await other.json()).size, Deno.statSync(join(FIXTURES, FILE)).size);
    });
    await t.step("a first frame's cost headers include opening and indexing the video", async () => {
      const storage = async () => {
        const text = await get("/metrics").then((r) => r.text());
        const at = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)![1]);
        return { requests: at("seekframe_storage_requests_total"), bytes: at("seekframe_storage_bytes_total") };
      };
      const before = await storage();
      const res = await get(`/v1/frame?key=h264.mkv&index=20&format=rgb`); // never opened: a scan of the file
      assert.equal(res.status, 200);
      await res.body?.cancel();
      const after = await storage();
      const requests = Number(res.headers.get("x-storage-requests"));
      const bytes = Number(res.headers.get("x-storage-bytes"));
      assert.ok(requests >= 2, `open + scan + frame: ${requests} requests`);
      assert.equal(requests, after.requests - before.requests, "the header counts every request the frame cost");
      assert.equal(bytes, after.bytes - before.bytes);
      assert.ok(bytes >= Deno.statSync(join(FIXTURES, "h264.mkv")).size, "the scan read the whole file");
      assert.ok(Number(res.headers.get("x-frame-lower-bound")) > 0);
    });
    await t.step("GET /metrics counts what happened", async () => {
      const text = await get("/metrics").then((r) => r.text());
      assert.match(text, /seekframe_frames_served_total\{format="png"\} \d+/);
      assert.match(text, /seekframe_http_requests_total\{route="\/v1\/frame",status="404"\} \d+/);
      assert.match(text, /seekframe_storage_requests_total [1-9]\d*/);
      assert.match(text, /seekframe_cache_hits_total\{tier="memory"\} \d+/);
      assert.match(text, /seekframe_http_request_duration_seconds_bucket\{route="\/v1\/frame",le="\+Inf"\} [1-9]/);
      assert.match(text, /seekframe_queue_depth \d+/);
    });
    await t.step("the logs hold no credentials", () => {
      assert.ok(!sidecar.output().includes(s3Options().credentials!.secretAccessKey));
      assert.match(sidecar.output(), /seekframe serving s3:\/\/seekframe-test\/fixtures\//);
    });
  } finally {
    await sidecar.stop();
  }
});

Deno.test("the sidecar with a token, failing storage, and limits", async (t) => {
  await uploadFixtures();
  await t.step("a bearer token guards /v1 and /metrics", async () => {
    const sidecar = await startSidecar(s3Env({ SEEKFRAME_TOKEN: "s3cret-token" }));
    try {
      const url = `${sidecar.base}/v1/info?key=${FILE}`;
      const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, {
        authorization: "s3cret-token",
      }];
      for (const headers of attempts) {
        const res = await fetch(url, { headers });
        assert.equal(res.status, 401);
        assert.equal(res.headers.get("www-authenticate"), "Bearer");
        await res.body?.cancel();
      }
      const ok = await fetch(url, { headers: { authorization: "Bearer s3cret-token" } });
      assert.equal(ok.status, 200);
      await ok.body?.cancel();
      assert.equal((await fetch(`${sidecar.base}/metrics`)).status, 401);
      assert.equal((await fetch(`${sidecar.base}/healthz`)).status, 200);
      assert.ok(!sidecar.output().includes("s3cret-token"));
    } finally {
      await sidecar.stop();
    }
  });
  await t.step("storage failures are 502", async () => {
    const sidecar = await startSidecar(s3Env({ AWS_SECRET_ACCESS_KEY: "not-the-secret" }));
    try {
      const res = await fetch(`${sidecar.base}/v1/frame?key=${FILE}&index=0`);
      assert.equal(res.status, 502);
      assert.equal((await res.json()).code, "storage");
      assert.ok(!sidecar.output().includes("not-the-secret"));
    } finally {
      await sidecar.stop();
    }
  });
  await t.step("a full queue answers 503 with Retry-After; a slow frame 504", async () => {
    const proxy = await startProxy(s3Options().endpoint!, { latencyMs: 400 });
    const sidecar = await startSidecar(
      s3Env({ S3_ENDPOINT: proxy.endpoint, SEEKFRAME_MAX_INFLIGHT: "1", SEEKFRAME_DEADLINE_MS: "1500" }),
    );
    try {
      const [a, b] = await Promise.all([
        fetch(`${sidecar.base}/v1/frame?key=hevc.mp4&index=3`),
        new Promise((r) => setTimeout(r, 100)).then(() => fetch(`${sidecar.base}/v1/frame?key=vp9.webm&index=3`)),
      ]);
      assert.equal(a.status, 200);
      assert.equal(b.status, 503);
      assert.equal(b.headers.get("retry-after"), "1");
      await a.body?.cancel();
      await b.body?.cancel();
      proxy.behaviour = { latencyMs: 3000 };
      const slow = await fetch(`${sidecar.base}/v1/frame?key=mpeg4.mp4&index=3`);
      assert.equal(slow.status, 504);
      assert.equal((await slow.json()).code, "timeout");
    } finally {
      await sidecar.stop();
      await proxy.close();
    }
  });
});
