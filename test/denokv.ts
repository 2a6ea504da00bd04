/**
 * A self-hosted Deno KV server (`denokv`, the KV Connect server Deno
 * publishes) for the tests that share one index between processes over
 * `http://`. Built from crates.io once with `cargo install` and cached in
 * `.tools/bin`, like MinIO; started on 127.0.0.1 with a throwaway database.
 *
 * @module
 */

import { join } from "node:path";
import { freePort, startServer } from "./server_process.ts";

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
  const stop = await startServer({
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
  return { url: `http://127.0.0.1:${port}`, token, stop };
}
