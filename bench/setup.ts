/**
 * Shared bench setup: makes the fixtures (with `--long`, the 60 s 720p
 * videos), starts a MinIO for this bench file unless `S3_ENDPOINT` names a
 * server that answers, and uploads the fixtures.
 *
 * `deno bench bench/` runs the files one after another in one process, so a
 * MinIO started here is stopped, and the variables pointing at it removed,
 * when this file unloads: the next file starts its own.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { uploadFixtures } from "../test/env.ts";
import { ensureMinio, startMinio } from "../test/minio.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Prepares fixtures and S3 for a bench file. */
export async function benchSetup(options: { long: boolean }): Promise<void> {
  const args = [join(root, "test/fixtures/make.sh"), ...(options.long ? ["--long"] : [])];
  const made = await new Deno.Command("bash", { args, stdout: "null" }).output();
  if (!made.success) throw new Error("fixture generation failed");
  const given = Deno.env.get("S3_ENDPOINT");
  if (!given || !await answers(given)) {
    const minio = await startMinio(await ensureMinio(root));
    for (const [k, v] of Object.entries(minio.env)) Deno.env.set(k, v);
    globalThis.addEventListener("unload", () => {
      for (const k of Object.keys(minio.env)) Deno.env.delete(k);
      minio.stop();
    });
  }
  await uploadFixtures();
}

/** Whether an HTTP server answers at `endpoint` (any status). */
async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(endpoint, { signal: AbortSignal.timeout(3000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
