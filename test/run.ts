/**
 * The test task (`deno task test`): makes the fixtures, starts a real MinIO on
 * 127.0.0.1 (built from source once and cached in `.tools/bin`), runs
 * `deno test` against it, and stops it. With `S3_ENDPOINT` set, the tests use
 * that server instead and no MinIO is started.
 *
 * Extra arguments are passed to `deno test` (e.g. a file or `--filter`).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { ensureMinio, startMinio } from "./minio.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

async function run(cmd: string, args: string[], env?: Record<string, string>): Promise<number> {
  const child = new Deno.Command(cmd, { args, env, cwd: root, stdout: "inherit", stderr: "inherit" }).spawn();
  return (await child.status).code;
}

if (await run("bash", ["test/setup.sh"]) !== 0) Deno.exit(1);
if (await run("bash", ["test/fixtures/make.sh"]) !== 0) Deno.exit(1);

const env: Record<string, string> = {};
let stop = async () => {};
if (!Deno.env.get("S3_ENDPOINT")) {
  const binary = await ensureMinio(root);
  const minio = await startMinio(binary);
  stop = () => minio.stop();
  Object.assign(env, minio.env);
  console.log(`MinIO ${minio.env.S3_ENDPOINT} (${binary})`);
}
let code = 1;
try {
  code = await run(Deno.execPath(), [
    "test",
    "--allow-all",
    "--unstable-kv",
    ...(Deno.args.length ? Deno.args : ["test/", "src/"]),
  ], env);
} finally {
  await stop();
}
Deno.exit(code);
