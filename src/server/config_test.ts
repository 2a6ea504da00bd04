import assert from "node:assert/strict";
import { configFromArgs, configFromEnv, defaultKvPath, kvFromEnv, s3FromEnv, SERVE_FLAGS } from "./config.ts";

/** Store options the sidecar sets whatever the environment says. */
const SIDECAR_DEFAULTS = { workerIdleMs: 300_000 };

Deno.test("configuration comes from the environment", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.deepEqual(configFromEnv(env({})), {
    store: { dir: "./videos", ...SIDECAR_DEFAULTS },
    server: {},
    port: 8000,
    host: "127.0.0.1",
  });
  assert.equal(configFromEnv(env({ HOST: "0.0.0.0" })).host, "0.0.0.0", "HOST opens it to other machines");
  const c = configFromEnv(env({
    S3_BUCKET: "b",
    S3_ENDPOINT: "http://127.0.0.1:9000",
    AWS_ACCESS_KEY_ID: "id",
    AWS_SECRET_ACCESS_KEY: "secret",
    SEEKFRAME_WORKERS: "3",
    SEEKFRAME_KV: "off",
    SEEKFRAME_TOKEN: "t",
    PORT: "9001",
  }));
  assert.equal(c.store.s3?.bucket, "b");
  assert.equal(c.store.s3?.endpoint, "http://127.0.0.1:9000");
  assert.equal(c.store.workers, 3);
  assert.equal(c.store.kvPath, false);
  assert.equal(c.server.token, "t");
  assert.equal(c.port, 9001);
  assert.throws(() => configFromEnv(env({ SEEKFRAME_WORKERS: "zero" })), /SEEKFRAME_WORKERS/);
  assert.equal(configFromEnv(env({})).store.revalidateMs, undefined, "default applies");
  assert.equal(configFromEnv(env({ SEEKFRAME_REVALIDATE_MS: "0" })).store.revalidateMs, 0);
  assert.equal(configFromEnv(env({ SEEKFRAME_REVALIDATE_MS: "never" })).store.revalidateMs, Infinity);
  assert.throws(() => configFromEnv(env({ SEEKFRAME_REVALIDATE_MS: "-1" })), /SEEKFRAME_REVALIDATE_MS/);
  assert.equal(configFromEnv(env({})).store.verify, undefined, "not verified by default");
  assert.equal(configFromEnv(env({ SEEKFRAME_VERIFY: "on" })).store.verify, true);
  assert.equal(configFromEnv(env({ SEEKFRAME_VERIFY: "off" })).store.verify, false);
  assert.throws(() => configFromEnv(env({ SEEKFRAME_VERIFY: "yes please" })), /SEEKFRAME_VERIFY must be on or off/);
});

Deno.test("seekframe serve flags set the same settings and win over the environment", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  const c = configFromArgs(
    [
      "--port",
      "9002",
      "--bucket",
      "b",
      "--prefix",
      "p/",
      "--workers",
      "2",
      "--kv",
      "off",
      "--revalidate-ms",
      "5",
      "--verify",
      "on",
    ],
    env({
      PORT: "9001",
      S3_BUCKET: "other",
      SEEKFRAME_WORKERS: "3",
      AWS_ACCESS_KEY_ID: "id",
      AWS_SECRET_ACCESS_KEY: "s",
    }),
  );
  assert.equal(c.port, 9002);
  assert.equal(c.store.s3?.bucket, "b");
  assert.equal(c.store.s3?.prefix, "p/");
  assert.equal(c.store.s3?.credentials?.accessKeyId, "id", "secrets still come from the environment");
  assert.equal(c.store.workers, 2);
  assert.equal(c.store.kvPath, false);
  assert.equal(c.store.revalidateMs, 5);
  assert.equal(c.store.verify, true);
  assert.deepEqual(configFromArgs(["--dir", "/v"], env({})).store, { dir: "/v", ...SIDECAR_DEFAULTS });
  assert.deepEqual(
    configFromArgs(["--dir", "/v"], env({ S3_BUCKET: "b" })).store,
    { dir: "/v", ...SIDECAR_DEFAULTS },
    "--dir wins",
  );
  assert.throws(() => configFromArgs(["--dir", "/v", "--bucket", "b"], env({})), /--dir and --bucket/);
  assert.throws(() => configFromArgs(["--bucket", ""], env({})), /--bucket needs a value/);
  assert.deepEqual(
    configFromEnv(env({ SEEKFRAME_DIR: "" })).store,
    { dir: "./videos", ...SIDECAR_DEFAULTS },
    "empty: the default folder",
  );
  assert.throws(() => configFromArgs(["--token", "t"], env({})), /token/);
  assert.throws(() => configFromArgs(["--workers", "x"], env({})), /SEEKFRAME_WORKERS/);
  // Every flag reaches the configuration.
  for (const [flag, name] of Object.entries(SERVE_FLAGS)) {
    const value = /BYTES|WORKERS|MAX|_MS|PORT/.test(name)
      ? "7"
      : name === "SEEKFRAME_KV"
      ? "off"
      : name === "SEEKFRAME_VERIFY"
      ? "on"
      : "x";
    const base = flag === "dir" || flag === "bucket" ? [] : ["--bucket", "b"];
    assert.notDeepEqual(configFromArgs([...base, `--${flag}`, value], env({})), configFromArgs(base, env({})), flag);
  }
});

Deno.test("S3 options come from the standard variables; a missing key leaves the SDK's chain", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.deepEqual(s3FromEnv("b", env({ AWS_ENDPOINT_URL_S3: "http://e", AWS_REGION: "eu-west-1" })), {
    bucket: "b",
    endpoint: "http://e",
    region: "eu-west-1",
    credentials: undefined,
  });
  assert.equal(s3FromEnv("b", env({ S3_ENDPOINT: "http://s", AWS_ENDPOINT_URL_S3: "http://e" })).endpoint, "http://s");
  assert.equal(s3FromEnv("b", env({ AWS_ACCESS_KEY_ID: "id" })).credentials, undefined, "both keys or none");
});

Deno.test("indexes live where SEEKFRAME_KV says, by default in the user's cache folder", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  if (Deno.build.os === "linux") {
    assert.equal(defaultKvPath(env({ HOME: "/home/u" })), "/home/u/.cache/seekframe/index.kv");
    assert.equal(defaultKvPath(env({ HOME: "/home/u", XDG_CACHE_HOME: "/c" })), "/c/seekframe/index.kv");
    assert.equal(configFromEnv(env({ HOME: "/home/u" })).store.kvPath, "/home/u/.cache/seekframe/index.kv");
  }
  assert.equal(defaultKvPath(env({})), undefined, "no home: Deno's own default");
  assert.equal(kvFromEnv(env({ HOME: "/home/u", SEEKFRAME_KV: "off" })), false);
  assert.equal(kvFromEnv(env({ HOME: "/home/u", SEEKFRAME_KV: "http://kv:4512" })), "http://kv:4512");
  assert.equal(kvFromEnv(env({ HOME: "/home/u", SEEKFRAME_KV: "./i.kv" })), "./i.kv");
});
