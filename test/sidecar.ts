/**
 * Starts the real sidecar (`seekframe serve`) as a separate process for the
 * HTTP tests, and stops it.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { freePort } from "./server_process.ts";

/** A running sidecar. */
export interface Sidecar {
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Stops it. */
  stop(): Promise<void>;
}

/** Starts the sidecar with `env` added to the test's environment; resolves once /healthz answers. */
export async function startSidecar(env: Record<string, string>): Promise<Sidecar> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--unstable-kv",
      "--unstable-no-legacy-abort",
      fileURLToPath(new URL("../src/cli/main.ts", import.meta.url)),
      "serve",
    ],
    env: { SEEKFRAME_KV: "off", SEEKFRAME_WORKERS: "2", ...env, PORT: String(port) },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) text += chunk;
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const res = await fetch(`${base}/healthz`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`sidecar did not start:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    output: () => text,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await pumps;
    },
  };
}
