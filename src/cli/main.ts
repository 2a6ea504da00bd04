/**
 * Command-line entry (`deno task cli …`, or
 * `deno run -A --unstable-kv jsr:@seekframe/seekframe/cli …`):
 *
 * ```
 * seekframe frame <s3://bucket/key | path> <N> [-o out.png] [--width W]
 * seekframe info  <s3://bucket/key | path>
 * seekframe index <s3://bucket/key | path>     (with a progress bar)
 * seekframe verify <s3://bucket/key | path>    (decode it all once: exit 3 if damaged)
 * seekframe serve [--port N] [--bucket B] …     (the sidecar; flags or environment)
 * ```
 *
 * S3 locations use the standard AWS environment variables for credentials and
 * `S3_ENDPOINT` (or `AWS_ENDPOINT_URL_S3`) for non-AWS servers. Every command
 * keeps indexes where `SEEKFRAME_KV` says, by default in the user's cache
 * folder (`~/.cache/seekframe/index.kv` on Linux), so `index` prepares what
 * `serve` then finds.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { basename, dirname, resolve } from "node:path";
// @ts-types="npm:@types/cli-progress@3.11.6"
import { SingleBar } from "npm:cli-progress@3.12.0";
import { formatForFile } from "../encode/formats.ts";
import { openFrameStore } from "../frame_store.ts";
import type { FrameStoreOptions, IndexProgress } from "../options.ts";
import { createHandler } from "../server/app.ts";
import { configFromArgs, kvFromEnv, s3FromEnv, SERVE_FLAGS, type SidecarConfig } from "../server/config.ts";
import { drainable, onStopSignal, SHUTDOWN_MS } from "../server/lifecycle.ts";

const USAGE = `usage:
  seekframe frame <s3://bucket/key | path> <N> [-o out.png|.jpg|.npy] [--width W]
  seekframe info  <s3://bucket/key | path>
  seekframe index <s3://bucket/key | path>
  seekframe verify <s3://bucket/key | path>   decodes every picture once and prints what it found;
                                               exit 3 when frames are refused (damage)
  seekframe serve [flags]              the sidecar; each flag sets the variable named (see README):
${serveFlagsUsage()}`;

function serveFlagsUsage(): string {
  return Object.entries(SERVE_FLAGS).map(([flag, name]) => `      --${flag.padEnd(16)} ${name}`).join("\n");
}

/** Commands that read one video. */
const VIDEO_COMMANDS = ["frame", "info", "index", "verify"];

/** Exit code of `verify` when the video has damage that refuses frames. */
export const EXIT_DAMAGED = 3;

/**
 * Splits a location (`s3://bucket/key` or a file path) into store options and
 * a key; throws when an S3 location names no object.
 */
export function locate(location: string): { options: FrameStoreOptions; key: string } {
  if (location.startsWith("s3://")) {
    const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
    if (!s3) {
      throw new Error(`${JSON.stringify(location)} names no object: give s3://bucket/key (e.g. s3://videos/a.mp4)`);
    }
    return { key: s3[2], options: { s3: s3FromEnv(s3[1]), workers: 1, kvPath: kvFromEnv() } };
  }
  const path = resolve(location);
  return { key: basename(path), options: { dir: dirname(path), workers: 1, kvPath: kvFromEnv() } };
}

/** Runs the CLI with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  if (args[0] === "serve" && !args.includes("--help") && !args.includes("-h")) {
    let config;
    try {
      config = configFromArgs(args.slice(1));
    } catch (err) {
      console.error(`seekframe serve: ${err instanceof Error ? err.message : err} (see seekframe serve --help)`);
      return 2;
    }
    try {
      return await serve(config);
    } catch (err) {
      console.error(`seekframe serve: ${err instanceof Error ? err.message : err}`);
      return 1;
    }
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        output: { type: "string", short: "o" },
        width: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    console.error(`seekframe: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, location, n] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    if (command === undefined) {
      console.error(USAGE);
      return 2;
    }
    if (!VIDEO_COMMANDS.includes(command)) {
      console.error(`seekframe: unknown command ${JSON.stringify(command)}\n${USAGE}`);
      return 2;
    }
    if (!location) {
      console.error(`seekframe ${command}: give a video (s3://bucket/key or a file path)\n${USAGE}`);
      return 2;
    }
    const { options, key } = locate(location);
    // The frame command's arguments are checked before anything is opened.
    let output: { path: string; format: ReturnType<typeof formatForFile>; n: number; width?: number } | undefined;
    if (command === "frame") {
      if (n === undefined || !/^\d+$/.test(n)) throw new Error("frame needs a non-negative frame number");
      const path = values.output ?? `${basename(key).replace(/\.[^.]*$/, "")}-${n}.png`;
      const width = values.width === undefined ? undefined : Number(values.width);
      output = { path, format: formatForFile(path), n: Number(n), width };
    }
    const bar = command === "index"
      ? new SingleBar({ format: "indexing [{bar}] {percentage}% {value}/{total} bytes" })
      : undefined;
    let started = false;
    const store = await openFrameStore({
      ...options,
      onIndexProgress: bar && ((p: IndexProgress) => {
        if (!started) bar.start(p.size, 0);
        started = true;
        bar.update(p.bytesRead);
      }),
    });
    try {
      if (command === "info" || command === "index") {
        const info = await store.info(key);
        bar?.stop();
        console.log(JSON.stringify(info, null, 2));
      } else if (command === "verify") {
        const report = await store.verify(key);
        console.log(JSON.stringify(report, null, 2));
        if (report.firstRefused !== undefined) {
          console.error(
            `seekframe verify: ${
              report.frameCount - report.servedFrames
            } of the ${report.frameCount} frames of ${key} ` +
              `are refused, from frame ${report.firstRefused}: ${report.reason}`,
          );
          return EXIT_DAMAGED;
        }
      } else if (output) {
        const frame = await store.getFrame(key, output.n, { width: output.width });
        await Deno.writeFile(output.path, output.format.encode(frame));
        console.log(`wrote ${output.path} (${frame.width}×${frame.height}, t=${frame.time.toFixed(3)} s)`);
      }
      return 0;
    } finally {
      bar?.stop();
      await store.close();
    }
  } catch (err) {
    console.error(`seekframe: ${err instanceof Error ? err.message : err}`);
    return 1;
  }
}

/**
 * The sidecar on `HOST:PORT` (or `--host`, `--port`) until SIGINT or SIGTERM:
 * then it stops accepting, lets the requests in flight finish (at most
 * {@link SHUTDOWN_MS}), closes the store and returns.
 */
async function serve(config: SidecarConfig): Promise<number> {
  const store = await openFrameStore(config.store);
  const served = drainable(createHandler(store, config.server));
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      hostname: config.host,
      port: config.port,
      onListen: ({ hostname, port }) =>
        console.log(
          `seekframe serving ${store.description} on http://${hostname}:${port}/` +
            (config.server.token ? " (bearer token required)" : "") + `; indexes in ${store.indexDescription}`,
        ),
    }, served.handler);
  } catch (err) {
    await store.close();
    if (err instanceof Deno.errors.AddrInUse) {
      throw new Error(`port ${config.port} on ${config.host} is already in use; choose another with --port or PORT`);
    }
    if (err instanceof Deno.errors.AddrNotAvailable) {
      throw new Error(`cannot listen on ${config.host}: no such address on this machine (--host or HOST)`);
    }
    throw err;
  }
  const late = Promise.withResolvers<void>();
  const removeListeners = onStopSignal((signal) => {
    console.log(`seekframe: ${signal}: finishing ${served.inflight} request(s) in flight, then stopping`);
    // Stop accepting at once; the requests in flight get SHUTDOWN_MS to finish.
    server.shutdown();
    setTimeout(late.resolve, SHUTDOWN_MS);
  });
  await Promise.race([server.finished, late.promise]);
  removeListeners();
  await store.close();
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
