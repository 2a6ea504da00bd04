/**
 * Real clients against a real sidecar process: plain Python (requests +
 * numpy, no seekframe package), and the viewer page driven in headless
 * Chromium.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "npm:playwright-core@1.65.1";
import { sha256Hex } from "../src/bytes.ts";
import { FIXTURES } from "./env.ts";
import { psnr, referenceFrames } from "./reference.ts";
import { startSidecar } from "./sidecar.ts";

const FILE = "h264_bframes_faststart.mp4";

/** Frames over plain HTTP from Python, as any language can. */
const PYTHON = `
import hashlib, io, sys
import numpy as np, requests

base, key = sys.argv[1], sys.argv[2]
r = requests.get(f"{base}/v1/frame", params={"key": key, "index": 42, "format": "npy"})
frame = np.load(io.BytesIO(r.content))
batch = np.load(io.BytesIO(requests.get(f"{base}/v1/frames", params={"key": key, "indices": "1,2,3"}).content))
print(frame.shape, frame.dtype, batch.shape, hashlib.sha256(frame.tobytes()).hexdigest())
`;

Deno.test("plain Python (requests + numpy) gets frames as numpy arrays", async () => {
  const sidecar = await startSidecar({ SEEKFRAME_DIR: FIXTURES });
  try {
    const out = await new Deno.Command("python3", {
      args: ["-c", PYTHON, sidecar.base, FILE],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const line = new TextDecoder().decode(out.stdout).trim();
    const rgb = new Uint8Array(
      await (await fetch(`${sidecar.base}/v1/frame?key=${FILE}&index=42&format=rgb`)).arrayBuffer(),
    );
    const hex = await sha256Hex(rgb);
    assert.equal(line, `(240, 320, 3) uint8 (3, 240, 320, 3) ${hex}`);
    const ref = await referenceFrames(join(FIXTURES, FILE));
    assert.ok(psnr(rgb, ref.frames[42]) >= 45);
  } finally {
    await sidecar.stop();
  }
});

Deno.test("the viewer shows the frame the slider points at (headless Chromium)", async () => {
  const sidecar = await startSidecar({ SEEKFRAME_DIR: FIXTURES });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  try {
    const ref = await referenceFrames(join(FIXTURES, FILE));
    const page = await browser.newPage();
    await page.goto(sidecar.base + "/");
    await page.fill("#key", FILE);
    await page.click("button");
    // Page-side code is given as strings: it runs in the browser, not in Deno.
    const shownIs = (n: number) => `document.getElementById("frame").dataset.index === "${n}"`;
    await page.waitForFunction(shownIs(0));
    for (const n of [57, 13]) {
      // Move the slider as a user would: set its value and fire "input".
      await page.evaluate(`{
        const scrub = document.getElementById("scrub");
        scrub.value = "${n}";
        scrub.dispatchEvent(new Event("input"));
      }`);
      await page.waitForFunction(shownIs(n));
      const pixels = await page.evaluate<{ width: number; height: number; rgb: number[] }>(`(() => {
        const img = document.getElementById("frame");
        const canvas = document.createElement("canvas");
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const ctx = canvas.getContext("2d");
        ctx.drawImage(img, 0, 0);
        const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        const rgb = [];
        for (let i = 0; i < rgba.length; i += 4) rgb.push(rgba[i], rgba[i + 1], rgba[i + 2]);
        return { width: canvas.width, height: canvas.height, rgb };
      })()`);
      assert.equal(pixels.width, 320);
      assert.equal(pixels.height, 240);
      const shown = Uint8Array.from(pixels.rgb);
      assert.ok(psnr(shown, ref.frames[n]) >= 45, `the page shows frame ${n}`);
      assert.ok(psnr(shown, ref.frames[n]) > psnr(shown, ref.frames[n + 1]));
      assert.match(await page.textContent("#stats") ?? "", new RegExp(`^frame ${n}: \\d+ storage requests?`));
      assert.equal(await page.textContent("#index"), String(n));
    }
    assert.match(await page.textContent("#info") ?? "", /h264 320×240, 72 frames/);
  } finally {
    await browser.close();
    await sidecar.stop();
  }
});
