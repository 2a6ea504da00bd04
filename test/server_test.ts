/**
 * The sidecar over real HTTP: routes, formats and error statuses.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { decode as decodePng } from "fast-png";
import { openFrameStore } from "../mod.ts";
import { createHandler } from "../src/server/app.ts";
import { configFromEnv } from "../src/server/config.ts";
import { FIXTURES } from "./env.ts";
import { psnr, referenceFrames } from "./reference.ts";

Deno.test("the sidecar serves frames, info and errors over HTTP", async (t) => {
  const store = await openFrameStore({ dir: FIXTURES, workers: 1, kvPath: false });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, createHandler(store));
  const base = `http://127.0.0.1:${server.addr.port}`;
  const get = (path: string) => fetch(base + path);
  const file = "h264_audio_moov_end.mp4";
  const ref = await referenceFrames(join(FIXTURES, file));
  try {
    await t.step("GET /healthz", async () => {
      const res = await get("/healthz");
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { ok: true });
    });
    await t.step("GET /v1/info", async () => {
      const res = await get(`/v1/info?key=${file}`);
      assert.equal(res.status, 200);
      const info = await res.json();
      assert.equal(info.frameCount, 72);
      assert.equal(info.codec, "h264");
      assert.deepEqual(info.keyframes, [0, 30, 60]);
    });
    await t.step("GET /v1/frame as PNG decodes to ffmpeg's frame", async () => {
      const res = await get(`/v1/frame?key=${file}&index=37`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "image/png");
      const png = decodePng(new Uint8Array(await res.arrayBuffer()));
      assert.equal(png.width, 320);
      assert.equal(png.channels, 3);
      assert.ok(psnr(new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength), ref.frames[37]) >= 45);
    });
    await t.step("GET /v1/frame as raw RGB", async () => {
      const res = await get(`/v1/frame?key=${file}&index=71&format=rgb`);
      assert.equal(res.headers.get("x-frame-width"), "320");
      assert.equal(res.headers.get("x-frame-height"), "240");
      assert.ok(psnr(new Uint8Array(await res.arrayBuffer()), ref.frames[71]) >= 45);
    });
    await t.step("errors map to statuses with a JSON body and no stack", async () => {
      const cases: [string, number, string][] = [
        [`/v1/frame?key=${file}&index=72`, 404, "out_of_range"],
        [`/v1/frame?key=missing.mp4&index=0`, 404, "not_found"],
        [`/v1/frame?key=${file}&index=abc`, 400, "invalid_argument"],
        [`/v1/frame?key=${file}`, 400, "invalid_argument"],
        [`/v1/frame?key=${file}&index=1&format=gif`, 400, "invalid_argument"],
        [`/v1/frame?key=../run.ts&index=0`, 400, "invalid_argument"],
        [`/v1/info?key=mjpeg.mp4`, 415, "unsupported"],
        [`/v1/frame?key=truncated.mp4&index=70`, 422, "corrupt"],
      ];
      for (const [path, status, code] of cases) {
        const res = await get(path);
        const body = await res.json();
        assert.equal(res.status, status, `${path}: ${JSON.stringify(body)}`);
        assert.equal(body.code, code, path);
        assert.doesNotMatch(JSON.stringify(body), /\bat .*\.(ts|js):\d+|file:\/\//, `no stack trace in ${path}`);
      }
      const range = await (await get(`/v1/frame?key=${file}&index=100`)).json();
      assert.match(range.error, /0–71/);
    });
  } finally {
    await server.shutdown();
    await store.close();
  }
});

Deno.test("configuration comes from the environment", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.deepEqual(configFromEnv(env({})), { dir: "./videos" });
  const s3 = configFromEnv(env({
    S3_BUCKET: "b",
    S3_ENDPOINT: "http://127.0.0.1:9000",
    AWS_ACCESS_KEY_ID: "id",
    AWS_SECRET_ACCESS_KEY: "secret",
    SEEKFRAME_WORKERS: "3",
  }));
  assert.equal(s3.s3?.bucket, "b");
  assert.equal(s3.s3?.endpoint, "http://127.0.0.1:9000");
  assert.equal(s3.workers, 3);
  assert.throws(() => configFromEnv(env({ SEEKFRAME_WORKERS: "zero" })), /SEEKFRAME_WORKERS/);
});
