/**
 * Sidecar configuration from the environment. With no bucket set it serves a
 * local folder (default `./videos`), so it runs on a fresh machine as is.
 *
 * | variable | meaning |
 * | --- | --- |
 * | `S3_BUCKET` | serve this bucket (else the folder `SEEKFRAME_DIR`, default `./videos`) |
 * | `S3_ENDPOINT` / `AWS_ENDPOINT_URL_S3` | S3-compatible endpoint |
 * | `S3_PREFIX` | only keys under this prefix are reachable |
 * | `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` | the usual |
 * | `SEEKFRAME_KV` | KV file path or KV Connect URL for indexes (default {@link defaultKvPath}); `off` for none |
 * | `SEEKFRAME_CACHE_BYTES` | memory cache budget |
 * | `SEEKFRAME_CACHE_DIR`, `SEEKFRAME_CACHE_DIR_BYTES` | disk cache folder and budget |
 * | `SEEKFRAME_WORKERS` | decoder workers |
 * | `SEEKFRAME_WORKER_IDLE_MS` | a worker idle this long is stopped (default 300,000) |
 * | `SEEKFRAME_TOKEN` | bearer token required on `/v1/*` and `/metrics` |
 * | `SEEKFRAME_CORS` | origins whose pages may call the sidecar: `*` or a comma-separated list |
 * | `SEEKFRAME_MAX_BATCH`, `SEEKFRAME_MAX_INFLIGHT`, `SEEKFRAME_DEADLINE_MS` | limits |
 * | `SEEKFRAME_REVALIDATE_MS` | how long an object version is trusted before a request confirms it; `never` |
 * | `SEEKFRAME_VERIFY` | `on`: decode each video whole once before serving it (see `verify` in {@link FrameStoreOptions}); default `off` |
 * | `PORT` | listening port for `seekframe serve` (default 8000) |
 * | `HOST` | listening address for `seekframe serve` (default 127.0.0.1; `0.0.0.0` in a container) |
 *
 * `seekframe serve` takes the same settings as flags ({@link SERVE_FLAGS}),
 * which win over the environment. Secrets (AWS keys, the token) have no flag:
 * command lines are visible to other users of the machine.
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { FrameStoreOptions, S3Options } from "../options.ts";
import type { ServerOptions } from "./app.ts";

/** Everything the sidecar needs to start. */
export interface SidecarConfig {
  /** Store options. */
  store: FrameStoreOptions;
  /** Server limits and token. */
  server: ServerOptions;
  /** Listening port. */
  port: number;
  /** Listening address: 127.0.0.1 unless `HOST` or `--host` says otherwise. */
  host: string;
}

/**
 * Where the sidecar and the CLI keep indexes when `SEEKFRAME_KV` is unset: a
 * KV file in the user's cache folder (indexes are a cache: losing one costs
 * a rebuild), `$XDG_CACHE_HOME/seekframe/index.kv` or
 * `~/.cache/seekframe/index.kv` on Linux, `~/Library/Caches/seekframe/index.kv`
 * on macOS, `%LOCALAPPDATA%\seekframe\index.kv` on Windows. Undefined (then
 * Deno's default KV) when none of these can be told.
 */
export function defaultKvPath(env: (name: string) => string | undefined = (n) => Deno.env.get(n)): string | undefined {
  const home = env("HOME");
  const cache = Deno.build.os === "windows"
    ? env("LOCALAPPDATA")
    : Deno.build.os === "darwin"
    ? home && `${home}/Library/Caches`
    : env("XDG_CACHE_HOME") || (home && `${home}/.cache`);
  if (!cache) return undefined;
  return Deno.build.os === "windows" ? `${cache}\\seekframe\\index.kv` : `${cache}/seekframe/index.kv`;
}

/** `SEEKFRAME_KV`: a path or KV Connect URL, `off` (false), or unset ({@link defaultKvPath}). */
export function kvFromEnv(
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): string | false | undefined {
  const kv = env("SEEKFRAME_KV");
  if (kv === "off") return false;
  return kv || defaultKvPath(env);
}

/**
 * Reads the configuration; throws with the variable's name on a bad value.
 *
 * @example
 * ```ts
 * const { store, server, port } = configFromEnv();
 * ```
 */
export function configFromEnv(env: (name: string) => string | undefined = (n) => Deno.env.get(n)): SidecarConfig {
  const store: FrameStoreOptions = {};
  const bucket = env("S3_BUCKET");
  if (bucket) {
    store.s3 = s3FromEnv(bucket, env);
    store.s3.prefix = env("S3_PREFIX");
  } else {
    store.dir = env("SEEKFRAME_DIR") || "./videos";
  }
  const int = (name: string) => {
    const value = env(name);
    if (value === undefined || value === "") return undefined;
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
    }
    return n;
  };
  const cacheBytes = int("SEEKFRAME_CACHE_BYTES");
  if (cacheBytes) store.cache = { maxBytes: cacheBytes };
  const cacheDir = env("SEEKFRAME_CACHE_DIR");
  if (cacheDir) store.cacheDir = cacheDir;
  store.cacheDirBytes = int("SEEKFRAME_CACHE_DIR_BYTES");
  store.kvPath = kvFromEnv(env);
  store.workers = int("SEEKFRAME_WORKERS");
  // A sidecar keeps its decoder sessions through pauses (a viewer, a slow client).
  store.workerIdleMs = int("SEEKFRAME_WORKER_IDLE_MS") ?? 300_000;
  const revalidate = env("SEEKFRAME_REVALIDATE_MS");
  if (revalidate === "never") store.revalidateMs = Infinity;
  else if (revalidate) {
    const ms = Number(revalidate);
    if (!Number.isSafeInteger(ms) || ms < 0) {
      throw new Error(`SEEKFRAME_REVALIDATE_MS must be an integer ≥ 0 or "never", got ${JSON.stringify(revalidate)}`);
    }
    store.revalidateMs = ms;
  }
  const verify = env("SEEKFRAME_VERIFY");
  if (verify) {
    const on = ["on", "1", "true"].includes(verify), off = ["off", "0", "false"].includes(verify);
    if (!on && !off) throw new Error(`SEEKFRAME_VERIFY must be on or off, got ${JSON.stringify(verify)}`);
    store.verify = on;
  }
  const server: ServerOptions = {
    token: env("SEEKFRAME_TOKEN") || undefined,
    maxBatch: int("SEEKFRAME_MAX_BATCH"),
    maxInflight: int("SEEKFRAME_MAX_INFLIGHT"),
    deadlineMs: int("SEEKFRAME_DEADLINE_MS"),
    maxHeldBytes: int("SEEKFRAME_MAX_HELD_BYTES"),
    sendTimeoutMs: int("SEEKFRAME_SEND_TIMEOUT_MS"),
    cors: env("SEEKFRAME_CORS") || undefined,
  };
  return { store: prune(store), server: prune(server), port: int("PORT") ?? 8000, host: env("HOST") || "127.0.0.1" };
}

/**
 * S3 options for `bucket` from the standard variables: `S3_ENDPOINT` (or
 * `AWS_ENDPOINT_URL_S3`), `AWS_REGION`, `AWS_ACCESS_KEY_ID` and
 * `AWS_SECRET_ACCESS_KEY` (without both keys, the SDK's own chain applies).
 *
 * @example
 * ```ts
 * import { s3FromEnv } from "./config.ts";
 *
 * const s3 = s3FromEnv("videos", (name) => ({ S3_ENDPOINT: "http://127.0.0.1:9000" })[name]);
 * console.log(s3.endpoint); // http://127.0.0.1:9000
 * ```
 */
export function s3FromEnv(
  bucket: string,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): S3Options {
  const id = env("AWS_ACCESS_KEY_ID"), secret = env("AWS_SECRET_ACCESS_KEY");
  return {
    bucket,
    endpoint: env("S3_ENDPOINT") ?? env("AWS_ENDPOINT_URL_S3"),
    region: env("AWS_REGION"),
    credentials: id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined,
  };
}

/** `seekframe serve` flags and the environment variable each one sets. */
export const SERVE_FLAGS: Readonly<Record<string, string>> = {
  bucket: "S3_BUCKET",
  endpoint: "S3_ENDPOINT",
  region: "AWS_REGION",
  prefix: "S3_PREFIX",
  dir: "SEEKFRAME_DIR",
  kv: "SEEKFRAME_KV",
  "cache-bytes": "SEEKFRAME_CACHE_BYTES",
  "cache-dir": "SEEKFRAME_CACHE_DIR",
  "cache-dir-bytes": "SEEKFRAME_CACHE_DIR_BYTES",
  workers: "SEEKFRAME_WORKERS",
  "worker-idle-ms": "SEEKFRAME_WORKER_IDLE_MS",
  "max-batch": "SEEKFRAME_MAX_BATCH",
  "max-inflight": "SEEKFRAME_MAX_INFLIGHT",
  "deadline-ms": "SEEKFRAME_DEADLINE_MS",
  "max-held-bytes": "SEEKFRAME_MAX_HELD_BYTES",
  "send-timeout-ms": "SEEKFRAME_SEND_TIMEOUT_MS",
  "revalidate-ms": "SEEKFRAME_REVALIDATE_MS",
  verify: "SEEKFRAME_VERIFY",
  cors: "SEEKFRAME_CORS",
  port: "PORT",
  host: "HOST",
};

/**
 * The configuration from `seekframe serve` flags over the environment; throws
 * on an unknown flag or a bad value.
 *
 * @example
 * ```ts
 * const { port } = configFromArgs(["--port", "9000", "--dir", "./clips"]);
 * ```
 */
export function configFromArgs(
  args: string[],
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): SidecarConfig {
  const options = Object.fromEntries(Object.keys(SERVE_FLAGS).map((flag) => [flag, { type: "string" as const }]));
  const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
  for (const [flag, value] of Object.entries(values)) {
    // An empty value (an unset shell variable) would silently mean the default.
    if (value === "") throw new Error(`--${flag} needs a value`);
  }
  if (values.dir !== undefined && values.bucket !== undefined) {
    throw new Error("--dir and --bucket name two sources; give one");
  }
  const given = new Map<string, string | undefined>(
    Object.entries(values).map(([flag, value]) => [SERVE_FLAGS[flag], value as string]),
  );
  // A folder on the command line wins over a bucket in the environment.
  if (values.dir !== undefined) given.set("S3_BUCKET", undefined);
  return configFromEnv((name) => given.has(name) ? given.get(name) : env(name));
}

/** Drops undefined fields so defaults apply and printed configs stay short. */
function prune<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
