/**
 * Command-line entry (`deno task cli …`):
 *
 * ```
 * seekframe frame <s3://bucket/key | path> <N> [-o out.png]
 * seekframe info  <s3://bucket/key | path>
 * ```
 *
 * S3 locations use the standard AWS environment variables for credentials and
 * `S3_ENDPOINT` (or `AWS_ENDPOINT_URL_S3`) for non-AWS servers.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { basename, dirname, resolve } from "node:path";
import { openFrameStore, SeekframeError } from "../../mod.ts";
import type { FrameStoreOptions } from "../store.ts";
import { encodeFrame } from "../server/encode.ts";

const USAGE = `usage:
  seekframe frame <s3://bucket/key | path> <N> [-o out.png]   write frame N as PNG
  seekframe info  <s3://bucket/key | path>                    print the video's index facts as JSON`;

/** Splits a location into store options and a key. */
export function locate(location: string): { options: FrameStoreOptions; key: string } {
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
  if (s3) {
    const id = Deno.env.get("AWS_ACCESS_KEY_ID"), secret = Deno.env.get("AWS_SECRET_ACCESS_KEY");
    return {
      key: s3[2],
      options: {
        s3: {
          bucket: s3[1],
          endpoint: Deno.env.get("S3_ENDPOINT") ?? Deno.env.get("AWS_ENDPOINT_URL_S3"),
          region: Deno.env.get("AWS_REGION"),
          credentials: id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined,
        },
        workers: 1,
      },
    };
  }
  const path = resolve(location);
  return { key: basename(path), options: { dir: dirname(path), workers: 1 } };
}

/** Runs the CLI with `args`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { output: { type: "string", short: "o" }, help: { type: "boolean", short: "h" } },
  });
  const [command, location, n] = positionals;
  if (values.help || !command || !location) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const { options, key } = locate(location);
  const store = await openFrameStore(options);
  try {
    if (command === "info") {
      console.log(JSON.stringify(await store.info(key), null, 2));
    } else if (command === "frame") {
      if (n === undefined || !/^\d+$/.test(n)) throw new Error("frame needs a non-negative frame number");
      const frame = await store.getFrame(key, Number(n));
      const out = values.output ?? `${basename(key).replace(/\.[^.]*$/, "")}-${n}.png`;
      await Deno.writeFile(out, encodeFrame(frame, "png"));
      console.log(`wrote ${out} (${frame.width}×${frame.height}, t=${frame.time.toFixed(3)} s)`);
    } else {
      console.log(USAGE);
      return 2;
    }
    return 0;
  } catch (err) {
    console.error(`seekframe: ${err instanceof SeekframeError || err instanceof Error ? err.message : err}`);
    return 1;
  } finally {
    await store.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
