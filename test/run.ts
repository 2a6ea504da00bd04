/**
 * The test task (`deno task test`): makes the fixtures, starts a real MinIO and
 * a KV Connect server (denokv) on 127.0.0.1 (both built from source once and
 * cached in `.tools/bin`; so is a native FFmpeg 9.0, see `ffmpeg9.ts`), runs
 * `deno test` against them, and stops them. With
 * `S3_ENDPOINT` set, the tests use that S3 server instead; with
 * `SEEKFRAME_TEST_KV_URL` (and `DENO_KV_ACCESS_TOKEN`), that KV server.
 *
 * Extra arguments are passed to `deno test` (e.g. a file or `--filter`).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { ensureDenoKv, startDenoKv } from "./denokv.ts";
import { ensureFfmpeg9 } from "./ffmpeg9.ts";
import { ensureMinio, startMinio } from "./minio.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

async function run(cmd: string, args: string[], env?: Record<string, string>): Promise<number> {
  const child = new Deno.Command(cmd, { args, env, cwd: root, stdout: "inherit", stderr: "inherit" }).spawn();
  return (await child.status).code;
}

if (await run("bash", ["test/setup.sh"]) !== 0) Deno.exit(1);
if (await run("bash", ["test/fixtures/make.sh"]) !== 0) Deno.exit(1);

const env: Record<string, string> = {};
const stops: (() => Promise<void>)[] = [];
// Both servers (and FFmpeg 9.0, the hostile media test's second reference) are built from
// source the first time; build them side by side.
const [minioBinary, kvBinary, ffmpeg9] = await Promise.all([
  Deno.env.get("S3_ENDPOINT") ? undefined : ensureMinio(root),
  Deno.env.get("SEEKFRAME_TEST_KV_URL") ? undefined : ensureDenoKv(root),
  ensureFfmpeg9(root),
]);
env.SEEKFRAME_FFMPEG9 = ffmpeg9;
let code = 1;
try {
  if (minioBinary) {
    const minio = await startMinio(minioBinary);
    stops.push(() => minio.stop());
    Object.assign(env, minio.env);
    console.log(`MinIO ${minio.env.S3_ENDPOINT} (${minioBinary})`);
  }
  if (kvBinary) {
    const kv = await startDenoKv(kvBinary);
    stops.push(() => kv.stop());
    Object.assign(env, { SEEKFRAME_TEST_KV_URL: kv.url, DENO_KV_ACCESS_TOKEN: kv.token });
    console.log(`denokv ${kv.url} (${kvBinary})`);
  }
  code = await run(Deno.execPath(), [
    "test",
    "--allow-all",
    "--unstable-kv",
    ...(Deno.args.length ? Deno.args : ["test/", "src/"]),
  ], env);
} finally {
  await Promise.all(stops.map((stop) => stop()));
}
Deno.exit(code);
