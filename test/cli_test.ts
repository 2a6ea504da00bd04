/**
 * The command line as a new user meets it: every message names what is
 * wrong (the command, the port, the missing key, the missing credentials,
 * the rejected secret), `index` and `info` print the same shape, output
 * formats come from the file extension (an unknown one is refused), and a
 * library program that forgets `close()` still exits.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FIXTURES, s3Options, uploadFixtures } from "./env.ts";
import { psnr, referenceFrames } from "./reference.ts";
import { freePort } from "./server_process.ts";

const CLI = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

async function cli(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-kv", CLI, ...args],
    env: { SEEKFRAME_KV: "off", ...env },
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("an unknown command is named, and a missing video asked for", async () => {
  const bogus = await cli(["bogus"]);
  assert.equal(bogus.code, 2);
  assert.match(bogus.stderr, /unknown command "bogus"/);
  assert.match(bogus.stderr, /usage:/);
  const missing = await cli(["info"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /seekframe info: give a video/);
});

Deno.test("info and index print the same shape; a bucket without a key is named", async () => {
  const path = join(FIXTURES, "h264_bframes_faststart.mp4");
  const info = await cli(["info", path]);
  const index = await cli(["index", path]);
  assert.equal(info.code, 0, info.stderr);
  assert.equal(index.code, 0, index.stderr);
  const a = JSON.parse(info.stdout), b = JSON.parse(index.stdout.slice(index.stdout.indexOf("{")));
  assert.deepEqual(Object.keys(b), Object.keys(a));
  assert.deepEqual(b.keyframes, a.keyframes, "index prints the keyframe list too");
  const bucket = await cli(["info", "s3://bucket"]);
  assert.equal(bucket.code, 1);
  assert.match(bucket.stderr, /"s3:\/\/bucket" names no object: give s3:\/\/bucket\/key/);
});

Deno.test("verify prints its report, and exits 3 when frames are refused", async () => {
  const clean = await cli(["verify", join(FIXTURES, "h264_bframes_faststart.mp4")]);
  assert.equal(clean.code, 0, clean.stderr);
  const report = JSON.parse(clean.stdout);
  assert.equal(report.servedFrames, 72);
  assert.equal(report.frameCount, 72);
  assert.equal(report.damagedPackets, 0);
  const cut = await cli(["verify", join(FIXTURES, "truncated.mp4")]);
  assert.equal(cut.code, 3, cut.stderr);
  const refused = JSON.parse(cut.stdout).firstRefused;
  assert.ok(refused > 0);
  assert.match(
    cut.stderr,
    new RegExp(`${72 - refused} of the 72 frames of truncated.mp4 are refused, from frame ${refused}: .*past the end`),
  );
  const garbage = await cli(["verify", join(FIXTURES, "garbage.mp4")]);
  assert.equal(garbage.code, 1);
  assert.match(garbage.stderr, /not a video container/);
});

Deno.test("frame writes the format its extension names, and refuses one it does not know", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-cli-" });
  try {
    const path = join(FIXTURES, "h264_bframes_faststart.mp4");
    const gif = await cli(["frame", path, "10", "-o", join(dir, "x.gif")]);
    assert.equal(gif.code, 1);
    assert.match(gif.stderr, /cannot tell the output format of .*x\.gif.*known: \.png, \.jpg, \.jpeg, \.npy/);
    assert.equal([...Deno.readDirSync(dir)].length, 0, "nothing written");
    const npy = await cli(["frame", path, "10", "-o", join(dir, "x.npy")]);
    assert.equal(npy.code, 0, npy.stderr);
    const bytes = await Deno.readFile(join(dir, "x.npy"));
    const ref = await referenceFrames(path);
    assert.ok(psnr(bytes.subarray(bytes.byteLength - 320 * 240 * 3), ref.frames[10]) >= 45);
    const jpg = await cli(["frame", path, "10", "-o", join(dir, "x.JPG")]);
    assert.equal(jpg.code, 0, jpg.stderr);
    assert.deepEqual([...(await Deno.readFile(join(dir, "x.JPG"))).subarray(0, 2)], [0xff, 0xd8], "a JPEG");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("S3 messages name the missing credentials and the rejected secret", async () => {
  await uploadFixtures();
  const o = s3Options();
  const base = { S3_ENDPOINT: o.endpoint!, AWS_REGION: "us-east-1", HOME: "/nonexistent" };
  const url = `s3://${o.bucket}/fixtures/h264_bframes_faststart.mp4`;
  const none = await cli(["info", url], { ...base, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no storage credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  const wrong = await cli(["info", url], {
    ...base,
    AWS_ACCESS_KEY_ID: o.credentials!.accessKeyId,
    AWS_SECRET_ACCESS_KEY: "not-the-secret",
  });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /rejected the request signature: the secret key \(AWS_SECRET_ACCESS_KEY\) is wrong/);
  assert.ok(!wrong.stderr.includes("not-the-secret"));
});

Deno.test("serve names a port that is taken", async () => {
  const port = freePort();
  const taken = Deno.listen({ hostname: "127.0.0.1", port });
  try {
    const run = await cli(["serve", "--port", String(port), "--dir", FIXTURES]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
  } finally {
    taken.close();
  }
});

Deno.test("a store on a missing folder is refused when it opens", async () => {
  const run = await cli(["info", "/no/such/folder/a.mp4"]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /options\.dir "\/no\/such\/folder" cannot be read: no such folder/);
});

Deno.test("a program that forgets close() still exits once its decoders are idle", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-noclose-" });
  try {
    await Deno.writeTextFile(
      join(dir, "script.ts"),
      `import { openFrameStore } from ${JSON.stringify(new URL("../mod.ts", import.meta.url).href)};
const store = await openFrameStore({ dir: ${JSON.stringify(FIXTURES)}, kvPath: false, workerIdleMs: 300 });
const frame = await store.getFrame("hevc.mp4", 20);
console.log(frame.width);
`,
    );
    const t0 = performance.now();
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(dir, "script.ts")],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    assert.equal(new TextDecoder().decode(out.stdout).trim(), "320");
    assert.ok(performance.now() - t0 < 20_000, "it exited on its own");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
