/**
 * The Python client package (`clients/python`) against real sidecar processes:
 * installs it with pinned test tools into a venv under `.tools/` (once; the
 * package again whenever its files change), starts the sidecars its pytest
 * suite needs over a scratch copy of the fixtures, and runs the suite.
 *
 * The `object_endpoint` tests (`Client.open`) run only when the sidecar has
 * the `/v1/object` route; otherwise they are deselected, and this says so.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FIXTURES } from "./env.ts";
import { type Sidecar, startSidecar } from "./sidecar.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGE = join(ROOT, "clients/python");
const VENV = join(ROOT, ".tools/venv-python-client");
const PYTHON = join(VENV, "bin/python");

/** What the test venv holds besides the package; `hatchling` builds it without build isolation (no download). */
const PINNED = ["numpy==2.4.6", "urllib3==2.8.0", "pytest==9.2.0", "av==18.1.0", "hatchling==1.33.0"];

async function run(cmd: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const out = await new Deno.Command(cmd, { args, ...options, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.success, code: out.code, text };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

/** A digest of the package's files, so an unchanged package is not reinstalled. */
async function packageDigest(): Promise<string> {
  const files: string[] = [join(PACKAGE, "pyproject.toml"), join(PACKAGE, "README.md")];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory && entry.name !== "__pycache__") await walk(path);
      else if (entry.isFile && !entry.name.endsWith(".pyc")) files.push(path);
    }
  };
  await walk(join(PACKAGE, "src"));
  files.sort();
  const parts: Uint8Array[] = [];
  for (const f of files) parts.push(new TextEncoder().encode(f.slice(PACKAGE.length) + "\0"), await Deno.readFile(f));
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Creates the venv once, installs the pinned tools once, and the package whenever it changed. */
async function ensureVenv(): Promise<void> {
  const stampTools = join(VENV, ".seekframe-tools"), stampPackage = join(VENV, ".seekframe-package");
  if ((await readText(stampTools)) !== PINNED.join(" ")) {
    await Deno.remove(VENV, { recursive: true }).catch(() => {});
    console.log(`creating ${VENV} (${PINNED.join(", ")})`);
    const venv = await run("python3", ["-m", "venv", VENV]);
    assert.ok(
      venv.ok,
      `python3 -m venv failed (Debian: apt-get install python3-venv, as test/setup.sh does):\n${venv.text}`,
    );
    const tools = await run(PYTHON, ["-m", "pip", "install", "-q", "--disable-pip-version-check", ...PINNED]);
    assert.ok(tools.ok, `pip install ${PINNED.join(" ")} failed:\n${tools.text}`);
    await Deno.writeTextFile(stampTools, PINNED.join(" "));
  }
  const digest = await packageDigest();
  if ((await readText(stampPackage)) !== digest) {
    const install = await run(PYTHON, [
      "-m",
      "pip",
      "install",
      "-q",
      "--disable-pip-version-check",
      "--no-build-isolation",
      "--no-deps",
      "--force-reinstall",
      PACKAGE,
    ]);
    assert.ok(install.ok, `pip install ./clients/python failed:\n${install.text}`);
    // Its declared dependencies must be what the venv has (numpy, urllib3).
    const check = await run(PYTHON, ["-m", "pip", "check", "--disable-pip-version-check"]);
    assert.ok(check.ok, check.text);
    await Deno.writeTextFile(stampPackage, digest);
  }
}

/** The fixtures the suite reads (`test/fixtures/make.sh`). */
const USED = [
  "h264_bframes_faststart.mp4",
  "h264_audio_moov_end.mp4",
  "h264.mkv",
  "hevc.mp4",
  "vp9.webm",
  "h264_rotate90.mp4",
  "mjpeg.mp4",
  "audio_only.m4a",
  "garbage.mp4",
  "truncated.mp4",
];

/** A scratch copy of those fixtures: the suite adds and replaces files in it. */
async function copyFixtures(): Promise<string> {
  const made = await run("bash", [join(ROOT, "test/fixtures/make.sh")]);
  assert.ok(made.ok, made.text);
  const dir = await Deno.makeTempDir({ prefix: "seekframe-python-" });
  for (const name of USED) await Deno.copyFile(join(FIXTURES, name), join(dir, name));
  return dir;
}

async function hasObjectRoute(base: string): Promise<boolean> {
  const res = await fetch(`${base}/v1/object?key=h264_bframes_faststart.mp4`, { headers: { range: "bytes=0-0" } });
  await res.body?.cancel();
  return res.status === 206;
}

Deno.test("the Python client package passes its pytest suite against real sidecars", async () => {
  await ensureVenv();
  const dir = await copyFixtures();
  const token = crypto.randomUUID();
  const sidecars: Sidecar[] = [];
  try {
    const started = await Promise.allSettled([
      // Revalidating on every request: a file the suite replaces is seen as a new version at once.
      startSidecar({ SEEKFRAME_DIR: dir, SEEKFRAME_REVALIDATE_MS: "0" }),
      // One frame request at a time (503 + Retry-After for the others), 5 frames per batch, a token.
      startSidecar({
        SEEKFRAME_DIR: dir,
        SEEKFRAME_TOKEN: token,
        SEEKFRAME_MAX_BATCH: "5",
        SEEKFRAME_MAX_INFLIGHT: "1",
        SEEKFRAME_WORKERS: "1",
      }),
      // Every frame of a video not indexed yet misses the deadline (504).
      startSidecar({ SEEKFRAME_DIR: dir, SEEKFRAME_DEADLINE_MS: "1", SEEKFRAME_WORKERS: "1" }),
    ]);
    for (const s of started) if (s.status === "fulfilled") sidecars.push(s.value);
    for (const s of started) if (s.status === "rejected") throw s.reason;
    const [main, strict, deadline] = sidecars;
    const objectRoute = await hasObjectRoute(main.base);
    if (!objectRoute) {
      console.log("no /v1/object on the sidecar yet: the object_endpoint tests (Client.open) are deselected");
    }
    const child = new Deno.Command(PYTHON, {
      args: [
        "-m",
        "pytest",
        "-q",
        "-rs",
        "-p",
        "no:cacheprovider",
        ...(objectRoute ? [] : ["-m", "not object_endpoint"]),
        "tests",
      ],
      cwd: PACKAGE,
      env: {
        SEEKFRAME_URL: main.base,
        SEEKFRAME_FIXTURES: dir,
        SEEKFRAME_TOKEN_URL: strict.base,
        SEEKFRAME_TOKEN: token,
        SEEKFRAME_DEADLINE_URL: deadline.base,
        PYTHONDONTWRITEBYTECODE: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // A hung test must not hang the whole run.
    const timer = setTimeout(() => child.kill("SIGKILL"), 240_000);
    const out = await child.output();
    clearTimeout(timer);
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    const summary = text.trim().split("\n").at(-1) ?? "";
    console.log(`pytest: ${summary}`);
    if (!out.success) {
      console.log(text);
      for (const s of sidecars) console.log(`--- sidecar ${s.base}:\n${s.output()}`);
    }
    assert.equal(out.code, 0, `pytest failed: ${summary}`);
    assert.match(summary, /\d+ passed/);
  } finally {
    await Promise.all(sidecars.map((s) => s.stop()));
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the README's Python example runs as written, over the README's ./videos", async () => {
  await ensureVenv();
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  const section = readme.slice(readme.indexOf("\n## Python\n"));
  const example = /```python\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(example, "the README's Python section has a python block");
  const sidecar = await startSidecar({ SEEKFRAME_DIR: join(ROOT, "videos") });
  try {
    assert.ok(example.includes('"http://localhost:8000"'), "the example names the sidecar's default address");
    const code = example.replace('"http://localhost:8000"', JSON.stringify(sidecar.base)) +
      "\nimport hashlib\nprint(frame.shape, frame.dtype, hashlib.sha256(frame.tobytes()).hexdigest())\n";
    const out = await run(PYTHON, ["-c", code]);
    assert.ok(out.ok, out.text);
    const key = /get_frame\("([^"]+)", (\d+)\)/.exec(example)!;
    const rgb = new Uint8Array(
      await (await fetch(`${sidecar.base}/v1/frame?key=${key[1]}&index=${key[2]}&format=rgb`)).arrayBuffer(),
    );
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", rgb));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    // The shape the example's comment promises, and the sidecar's own pixels.
    const promised = /# np\.ndarray (\(\d+, \d+, 3\)) uint8/.exec(example)?.[1];
    assert.equal(out.text.trim(), `${promised} uint8 ${hex}`);
  } finally {
    await sidecar.stop();
  }
});
