/**
 * MinIO harness for tests and benches: builds the pinned MinIO from source
 * with `go install` (once; the binary is cached in `.tools/bin`), and starts
 * and stops a throwaway server on 127.0.0.1.
 *
 * @module
 */

import { join } from "node:path";
import { freePort, startServer } from "./server_process.ts";

/** The MinIO version the tests use (the pinned commit 7aac2a2c5b7c as a Go pseudo-version). */
export const MINIO_MODULE = "github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c";

/** A running MinIO. */
export interface MinioServer {
  /** Environment for clients: S3_ENDPOINT and AWS credentials. */
  env: Record<string, string>;
  /** Stops the server and deletes its data folder. */
  stop(): Promise<void>;
}

/** Returns the MinIO binary, building it with `go install` when it is not cached. */
export async function ensureMinio(root: string): Promise<string> {
  const explicit = Deno.env.get("SEEKFRAME_MINIO");
  if (explicit) return explicit;
  const bin = join(root, ".tools", "bin");
  const binary = join(bin, "minio");
  try {
    await Deno.stat(binary);
    return binary;
  } catch {
    // not cached yet
  }
  console.log(`building MinIO from source (${MINIO_MODULE}); this takes a few minutes once`);
  const go = await Deno.stat("/usr/local/go/bin/go").then(() => "/usr/local/go/bin/go", () => "go");
  const out = await new Deno.Command(go, {
    args: ["install", MINIO_MODULE],
    // MinIO needs a recent Go; "auto" fetches that toolchain from the module proxy when the local one is older.
    env: { GOBIN: bin, GOTOOLCHAIN: "auto" },
    stdout: "inherit",
    stderr: "inherit",
  }).output().catch((err) => {
    throw new Error(`cannot run go (install Go ≥ 1.24, or run .ci/run): ${err.message}`);
  });
  if (!out.success) throw new Error("go install of MinIO failed");
  return binary;
}

/** Starts MinIO on free loopback ports with a temporary data folder. */
export async function startMinio(binary: string): Promise<MinioServer> {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-minio-" });
  const port = freePort(), consolePort = freePort();
  const user = "seekframe", password = "seekframe-secret";
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = await startServer({
    name: "MinIO",
    binary,
    args: ["server", dir, "--address", `127.0.0.1:${port}`, "--console-address", `127.0.0.1:${consolePort}`],
    env: { MINIO_ROOT_USER: user, MINIO_ROOT_PASSWORD: password, MINIO_BROWSER: "off" },
    dir,
    ready: async () => {
      const res = await fetch(`${endpoint}/minio/health/ready`);
      await res.body?.cancel();
      return res.ok;
    },
  });
  return {
    env: {
      S3_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: user,
      AWS_SECRET_ACCESS_KEY: password,
      AWS_REGION: "us-east-1",
    },
    stop,
  };
}
