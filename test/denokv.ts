/**
 * A self-hosted Deno KV server (`denokv`, the KV Connect server Deno
 * publishes) for the tests that share one index between processes over
 * `http://`. Built from crates.io once with `cargo install` and cached in
 * `.tools/bin`, like MinIO; started on 127.0.0.1 with a throwaway database.
 *
 * @module
 */

import { join } from "node:path";
import { freePort } from "./minio.ts";

/** The denokv release the tests use. */
export const DENOKV_VERSION = "0.14.0";

/** A running KV Connect server. */
export interface DenoKvServer {
  /** The URL to pass as `kvPath` (clients need `DENO_KV_ACCESS_TOKEN` = `token`). */
  url: string;
  /** The access token the server accepts. */
  token: string;
  /** Stops the server and deletes its database. */
  stop(): Promise<void>;
}

/** Returns the denokv binary, building it with `cargo install` when it is not cached. */
export async function ensureDenoKv(root: string): Promise<string> {
  const explicit = Deno.env.get("SEEKFRAME_DENOKV");
  if (explicit) return explicit;
  const tools = join(root, ".tools");
  const binary = join(tools, "bin", "denokv");
  if (await Deno.stat(binary).then(() => true, () => false)) return binary;
  console.log(`building denokv ${DENOKV_VERSION} from crates.io; this takes a few minutes once`);
  const home = Deno.env.get("HOME") ?? "";
  const cargo = await Deno.stat(join(home, ".cargo/bin/cargo")).then(
    () => join(home, ".cargo/bin/cargo"),
    () => "cargo",
  );
  const out = await new Deno.Command(cargo, {
    args: ["install", "denokv", "--version", DENOKV_VERSION, "--locked", "--root", tools],
    stdout: "inherit",
    stderr: "inherit",
  }).output().catch((err) => {
    throw new Error(`cannot run cargo (install Rust, e.g. with rustup, or run .ci/run): ${err.message}`);
  });
  if (!out.success) throw new Error("cargo install of denokv failed");
  return binary;
}

/** Starts denokv on a free loopback port with a temporary database. */
export async function startDenoKv(binary: string): Promise<DenoKvServer> {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-denokv-" });
  const port = freePort();
  const token = crypto.randomUUID();
  const child = new Deno.Command(binary, {
    args: ["--sqlite-path", join(dir, "kv.sqlite"), "serve", "--addr", `127.0.0.1:${port}`],
    env: { DENO_KV_ACCESS_TOKEN: token },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Read the log all along, so a chatty server never blocks on a full pipe.
  const log = new Response(child.stderr).text();
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`denokv did not listen in 30 s:\n${await log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
      await log.catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
