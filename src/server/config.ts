/**
 * Sidecar configuration from the environment. With no bucket set it serves a
 * local folder (default `./videos`), so it runs on a fresh machine as is.
 *
 * @module
 */

import type { FrameStoreOptions } from "../store.ts";

/**
 * Store options from environment variables: `S3_BUCKET`, `S3_ENDPOINT` (or
 * `AWS_ENDPOINT_URL_S3`), `S3_PREFIX`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `SEEKFRAME_DIR`, `SEEKFRAME_CACHE_BYTES`,
 * `SEEKFRAME_CACHE_DIR`, `SEEKFRAME_CACHE_DIR_BYTES`, `SEEKFRAME_KV` (a KV file path, a KV
 * Connect URL, or `off`), `SEEKFRAME_WORKERS`.
 */
export function configFromEnv(env: (name: string) => string | undefined = Deno.env.get): FrameStoreOptions {
  const options: FrameStoreOptions = {};
  const bucket = env("S3_BUCKET");
  if (bucket) {
    const id = env("AWS_ACCESS_KEY_ID"), secret = env("AWS_SECRET_ACCESS_KEY");
    options.s3 = {
      bucket,
      endpoint: env("S3_ENDPOINT") ?? env("AWS_ENDPOINT_URL_S3"),
      region: env("AWS_REGION"),
      prefix: env("S3_PREFIX"),
      credentials: id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined,
    };
  } else {
    options.dir = env("SEEKFRAME_DIR") ?? "./videos";
  }
  const cacheBytes = env("SEEKFRAME_CACHE_BYTES");
  if (cacheBytes) options.cache = { maxBytes: positive(cacheBytes, "SEEKFRAME_CACHE_BYTES") };
  const cacheDir = env("SEEKFRAME_CACHE_DIR");
  if (cacheDir) options.cacheDir = cacheDir;
  const cacheDirBytes = env("SEEKFRAME_CACHE_DIR_BYTES");
  if (cacheDirBytes) options.cacheDirBytes = positive(cacheDirBytes, "SEEKFRAME_CACHE_DIR_BYTES");
  const kv = env("SEEKFRAME_KV");
  if (kv) options.kvPath = kv === "off" ? false : kv;
  const workers = env("SEEKFRAME_WORKERS");
  if (workers) options.workers = positive(workers, "SEEKFRAME_WORKERS");
  return options;
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return n;
}
