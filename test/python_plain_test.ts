/**
 * A real client against a real sidecar process: plain Python (requests +
 * numpy, no seekframe package). The viewer has its own test
 * (`viewer_test.ts`), the Python package too (`python_test.ts`).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
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
    assert.equal(psnr(rgb, ref.frames[42]), Infinity, "byte for byte ffmpeg's frame 42");
  } finally {
    await sidecar.stop();
  }
});
