/**
 * Safe defaults and shutdown, for `seekframe serve` and the `deno serve`
 * entry alike: they answer only local clients unless told otherwise, and on
 * SIGINT or SIGTERM they stop accepting, let the requests in flight finish,
 * and exit.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { s3Options, sidecarS3Env, uploadFixtures } from "./env.ts";
import { startProxy } from "./proxy.ts";
import { freePort } from "./server_process.ts";

const CLI = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const SERVE = fileURLToPath(new URL("../src/server/serve.ts", import.meta.url));

/** Starts a sidecar process (`kind`) on a free port; resolves once /healthz answers. */
async function start(kind: "cli" | "deno serve", env: Record<string, string>, flags: string[] = []) {
  const port = freePort();
  const args = kind === "cli"
    ? ["run", "-A", "--unstable-kv", CLI, "serve", "--port", String(port), ...flags]
    : ["serve", "-A", "--unstable-kv", "--port", String(port), ...flags, SERVE];
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env: { SEEKFRAME_KV: "off", SEEKFRAME_WORKERS: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s.pipeThrough(new TextDecoderStream())) text += chunk;
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0;; i++) {
    const ok = await fetch(`${base}/healthz`).then((r) => r.body?.cancel().then(() => r.ok), () => false);
    if (ok) break;
    if (i > 200) throw new Error(`did not start:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, port, output: () => text, pumps };
}

function s3Env(endpoint: string): Record<string, string> {
  return {
    ...sidecarS3Env("fixtures/", endpoint),
  };
}

Deno.test("seekframe serve listens on 127.0.0.1 unless HOST or --host says otherwise", async () => {
  const local = await start("cli", { SEEKFRAME_DIR: "videos" });
  try {
    assert.match(local.output(), /on http:\/\/127\.0\.0\.1:/);
    const lan = Deno.networkInterfaces().find((i) => i.family === "IPv4" && !i.address.startsWith("127."));
    if (lan) {
      // Not reachable on another address of this machine.
      const other = await fetch(`http://${lan.address}:${local.port}/healthz`).then(() => "answered", () => "refused");
      assert.equal(other, "refused");
    }
  } finally {
    local.child.kill("SIGTERM");
    await local.child.status;
    await local.pumps;
  }
  const open = await start("cli", { SEEKFRAME_DIR: "videos", HOST: "0.0.0.0" });
  try {
    assert.match(open.output(), /on http:\/\/0\.0\.0\.0:/);
  } finally {
    open.child.kill("SIGTERM");
    await open.child.status;
    await open.pumps;
  }
});

Deno.test("both entries say where the indexes live: by default a KV file in the user's cache folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-kv-" });
  const file = `${dir}/chosen/index.kv`;
  try {
    for (const kind of ["cli", "deno serve"] as const) {
      const cases: [Record<string, string>, string, string | undefined][] = [
        [{ SEEKFRAME_KV: file }, `; indexes in Deno KV file ${file}`, file],
        [
          { SEEKFRAME_KV: "", XDG_CACHE_HOME: `${dir}/cache` },
          `; indexes in Deno KV file ${dir}/cache/seekframe/index.kv`,
          `${dir}/cache/seekframe/index.kv`,
        ],
        [{ SEEKFRAME_KV: "off" }, "; indexes in memory, this process only", undefined],
      ];
      for (const [env, expected, made] of cases) {
        const sidecar = await start(kind, { SEEKFRAME_DIR: "videos", ...env });
        try {
          assert.ok(sidecar.output().includes(expected), `${kind} ${JSON.stringify(env)}: ${sidecar.output()}`);
          // The file named is the one opened (its folder made as needed).
          if (made) assert.ok((await Deno.stat(made)).isFile, made);
        } finally {
          sidecar.child.kill("SIGTERM");
          await sidecar.child.status;
          await sidecar.pumps;
        }
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

for (const kind of ["cli", "deno serve"] as const) {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.test(`${kind}: ${signal} lets the request in flight finish, refuses new ones, and exits`, async () => {
      await uploadFixtures();
      // Storage answers slowly, so a frame request is in flight when the signal comes.
      const proxy = await startProxy(s3Options().endpoint!, { latencyMs: 700 });
      const sidecar = await start(kind, s3Env(proxy.endpoint));
      try {
        const inflight = fetch(`${sidecar.base}/v1/frame?key=hevc.mp4&index=20&format=rgb`);
        await new Promise((r) => setTimeout(r, 300));
        const t0 = performance.now();
        sidecar.child.kill(signal);
        const res = await inflight;
        assert.equal(res.status, 200, "the request in flight finished");
        assert.equal((await res.arrayBuffer()).byteLength, 320 * 240 * 3);
        const status = await sidecar.child.status;
        const took = performance.now() - t0;
        assert.ok(took < 15_000, `exited ${took.toFixed(0)} ms after the signal`);
        assert.ok(status.code === 0 || status.signal === null, `exit ${status.code}`);
        const after = await fetch(`${sidecar.base}/healthz`).then(() => "answered", () => "refused");
        assert.equal(after, "refused", "no longer accepting");
      } finally {
        try {
          sidecar.child.kill("SIGKILL");
        } catch {
          // exited
        }
        await sidecar.child.status;
        await sidecar.pumps;
        await proxy.close();
      }
    });
  }
}

Deno.test("the deno serve entry answers local clients only unless HOST names another address", async () => {
  const sidecar = await start("deno serve", { SEEKFRAME_DIR: "videos" });
  try {
    assert.match(sidecar.output(), /answering clients on this machine only/);
    assert.equal(await fetch(`${sidecar.base}/healthz`).then((r) => r.body?.cancel().then(() => r.status)), 200);
    const lan = Deno.networkInterfaces().find((i) => i.family === "IPv4" && !i.address.startsWith("127."));
    if (lan) {
      const res = await fetch(`http://${lan.address}:${sidecar.port}/healthz`);
      assert.equal(res.status, 403, "deno serve listens everywhere; the entry refuses other machines");
      await res.body?.cancel();
    }
  } finally {
    sidecar.child.kill("SIGTERM");
    await sidecar.child.status;
    await sidecar.pumps;
  }
});
