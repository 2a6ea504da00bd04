import assert from "node:assert/strict";
import { decode as decodePng } from "npm:fast-png@8.0.0";
import jpeg from "npm:jpeg-js@0.4.4";
import { InvalidArgumentError } from "../errors.ts";
import { formatForFile, formatNamed, FORMATS, type Picture } from "./formats.ts";

/** A 16×8 picture with smooth gradients (JPEG keeps those close). */
function gradient(seed = 0): Picture {
  const width = 16, height = 8;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = 40 + x * 10 + seed;
      data[i + 1] = 60 + y * 20;
      data[i + 2] = 180 - x * 5;
    }
  }
  return { width, height, data };
}

const KNOWN = "png, jpeg, jpg, npy, rgb, yuv, native";
const EXTENSIONS = ".png, .jpg, .jpeg, .npy, .rgb, .yuv";

Deno.test("formatNamed finds each format by its name and jpg as jpeg", () => {
  assert.deepEqual(FORMATS.map((f) => f.name), ["png", "jpeg", "npy", "rgb", "yuv"]);
  assert.equal(formatNamed("native").name, "yuv");
  for (const name of ["png", "jpeg", "npy", "rgb", "yuv"]) assert.equal(formatNamed(name).name, name);
  assert.equal(formatNamed("jpg"), formatNamed("jpeg"));
  assert.deepEqual(FORMATS.map((f) => f.mediaType), [
    "image/png",
    "image/jpeg",
    "application/x-npy",
    "application/octet-stream",
    "application/octet-stream",
  ]);
});

Deno.test("formatNamed refuses an unknown name with InvalidArgumentError listing the known names", () => {
  for (const name of ["gif", "PNG", "", "jpeg "]) {
    assert.throws(
      () => formatNamed(name),
      (err) =>
        err instanceof InvalidArgumentError &&
        err.message === `format must be one of ${KNOWN}, got ${JSON.stringify(name)}`,
    );
  }
});

Deno.test("formatForFile reads the extension, in any case", () => {
  const cases: [string, string][] = [
    ["frame.png", "png"],
    ["out/frame-77.JPG", "jpeg"],
    ["a.Jpeg", "jpeg"],
    ["batch.NPY", "npy"],
    ["raw.rgb", "rgb"],
    ["dir.v2/frame.tar.png", "png"],
  ];
  for (const [path, name] of cases) assert.equal(formatForFile(path).name, name, path);
});

Deno.test("formatForFile refuses an unknown extension or none, listing the known extensions", () => {
  for (const path of ["frame.gif", "frame", "out.d/frame", "frame."]) {
    assert.throws(
      () => formatForFile(path),
      (err) =>
        err instanceof InvalidArgumentError &&
        err.message ===
          `cannot tell the output format of ${JSON.stringify(path)} from its extension; known: ${EXTENSIONS}`,
    );
  }
});

Deno.test("PNG output decodes back to the same RGB pixels", () => {
  const picture = gradient();
  const png = formatNamed("png").encode(picture);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const back = decodePng(png);
  assert.equal(back.width, 16);
  assert.equal(back.height, 8);
  assert.equal(back.channels, 3);
  assert.equal(back.depth, 8);
  assert.deepEqual(new Uint8Array(back.data.buffer, back.data.byteOffset, back.data.byteLength), picture.data);
});

Deno.test("JPEG output decodes to the picture's size and pixels close to it", () => {
  const picture = gradient();
  const body = formatNamed("jpg").encode(picture);
  assert.deepEqual([...body.subarray(0, 2)], [0xff, 0xd8]);
  const back = jpeg.decode(body, { useTArray: true, formatAsRGBA: false });
  assert.equal(back.width, 16);
  assert.equal(back.height, 8);
  assert.equal(back.data.byteLength, picture.data.byteLength);
  let worst = 0, sum = 0;
  for (let i = 0; i < picture.data.byteLength; i++) {
    const d = Math.abs(back.data[i] - picture.data[i]);
    worst = Math.max(worst, d);
    sum += d;
  }
  assert.ok(worst <= 16, `largest difference ${worst}`);
  assert.ok(sum / picture.data.byteLength <= 4, `mean difference ${sum / picture.data.byteLength}`);
});

Deno.test("NPY and RGB of one frame are its (H, W, 3) array and its raw bytes", () => {
  const picture = gradient();
  const npy = formatNamed("npy").encode(picture);
  const headerLength = npy[8] | (npy[9] << 8);
  assert.match(new TextDecoder().decode(npy.subarray(10, 10 + headerLength)), /'shape': \(8, 16, 3\)/);
  assert.deepEqual(npy.subarray(10 + headerLength), picture.data);
  assert.deepEqual(formatNamed("rgb").encode(picture), picture.data);
});

Deno.test("batch encoders give a (K, H, W, 3) NPY and the frames' RGB one after another", () => {
  const frames = [gradient(0), gradient(1), gradient(2)];
  const npy = formatNamed("npy").encodeBatch!(frames);
  const headerLength = npy[8] | (npy[9] << 8);
  assert.match(new TextDecoder().decode(npy.subarray(10, 10 + headerLength)), /'shape': \(3, 8, 16, 3\)/);
  const size = 16 * 8 * 3;
  assert.equal(npy.byteLength, 10 + headerLength + 3 * size);
  const rgb = formatNamed("rgb").encodeBatch!(frames);
  assert.equal(rgb.byteLength, 3 * size);
  frames.forEach((f, k) => {
    assert.deepEqual(npy.subarray(10 + headerLength + k * size, 10 + headerLength + (k + 1) * size), f.data);
    assert.deepEqual(rgb.subarray(k * size, (k + 1) * size), f.data);
  });
});

Deno.test("only NPY, RGB and raw native pictures hold several frames in one body", () => {
  assert.deepEqual(FORMATS.filter((f) => f.encodeBatch).map((f) => f.name), ["npy", "rgb", "yuv"]);
});

Deno.test("only yuv asks for the decoded picture itself", () => {
  assert.deepEqual(FORMATS.filter((f) => f.pixels === "native").map((f) => f.name), ["yuv"]);
});
