/**
 * The library as a program outside this repository uses it: imported by
 * path from a fresh folder with no configuration of its own, run with
 * `deno run` alone; a local-folder store needs no environment permission
 * (the S3 SDK is loaded only for S3); importing the `./server` export starts
 * nothing and needs no permission.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { sha256Hex } from "../src/bytes.ts";
import { openFrameStore } from "../mod.ts";

const MOD = new URL("../mod.ts", import.meta.url).href;
const SERVER = new URL("../src/server/app.ts", import.meta.url).href;
const VIDEOS = new URL("../videos/", import.meta.url).pathname;

/** Runs `source` as `script.ts` in a new folder with `deno run <flags>`; returns its exit code and output. */
async function runScript(source: string, flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-user-" });
  try {
    await Deno.writeTextFile(join(dir, "script.ts"), source);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", ...flags, "script.ts"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const FRAME_SCRIPT = (kvPath: string) => `
import { openFrameStore } from ${JSON.stringify(MOD)};
await using store = await openFrameStore({ dir: ${JSON.stringify(VIDEOS)}, workers: 1, kvPath: ${kvPath} });
const frame = await store.getFrame("sample.mp4", 10);
const digest = await crypto.subtle.digest("SHA-256", frame.data);
console.log(frame.width, frame.height, Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join(""));
`;

async function expectedLine(): Promise<string> {
  await using store = await openFrameStore({ dir: VIDEOS, workers: 1, kvPath: false });
  const frame = await store.getFrame("sample.mp4", 10);
  return `${frame.width} ${frame.height} ${await sha256Hex(frame.data)}`;
}

Deno.test("a script in a fresh folder imports the library by path and gets a frame", async () => {
  const run = await runScript(FRAME_SCRIPT("undefined"), ["-A", "--unstable-kv"]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), await expectedLine());
});

Deno.test("a local-folder store needs no environment permission", async () => {
  const run = await runScript(FRAME_SCRIPT("false"), [`--allow-read`]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), await expectedLine());
  // And the same script with S3 would need it: the test can tell.
  const s3 = await runScript(
    `import { openFrameStore } from ${JSON.stringify(MOD)};
await using store = await openFrameStore({ s3: { bucket: "b", endpoint: "http://127.0.0.1:9" }, kvPath: false, workers: 1 });
await store.info("x.mp4").catch((err) => console.log(err.message));`,
    ["--allow-read", "--allow-net"],
  );
  assert.equal(s3.code, 0, s3.stderr);
  assert.match(s3.stdout, /env access/, "the S3 store asked for the environment");
});

Deno.test("importing the ./server export starts nothing and needs no permission", async () => {
  const run = await runScript(
    `import { createHandler } from ${JSON.stringify(SERVER)};
console.log(typeof createHandler);`,
    [],
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), "function");
});
