import assert from "node:assert/strict";
import { decodeIndex, encodeIndex } from "./codec.ts";
import type { ProbeResult } from "./model.ts";

function mp4Probe(): ProbeResult {
  return {
    container: "mp4",
    indexSource: "sample-table",
    codec: "h264",
    codecpar: { codec_id: 27, profile: 100, level: 31, extradata: Uint8Array.from([1, 100, 0, 31, 255, 225]) },
    width: 320,
    height: 240,
    pixelFormat: "yuv420p",
    rotation: 90,
    timeBase: [1, 12800],
    frameRate: [25, 1],
    packets: {
      offset: Float64Array.from([48, 1000, 5_000_000_000]),
      size: Uint32Array.from([952, 10, 4_000_000_000]),
      pts: Float64Array.from([0, 1024, NaN]),
      dts: Float64Array.from([-1024, 0, 1024]),
      flags: Uint8Array.from([1, 0, 4]),
    },
  };
}

function tsProbe(): ProbeResult {
  return {
    ...mp4Probe(),
    container: "mpegts",
    indexSource: "packet-scan",
    pixelFormat: null,
    rotation: 0,
    codecpar: { codec_id: 173 },
    spans: { head: Uint8Array.from([0x47, 0x40, 0x00, 0x10, 0x00]), dataSizes: Uint32Array.from([500, 7, 70_000]) },
  };
}

/** An index's bytes from its parts: magic, JSON length, packet count, JSON, columns. */
function raw(json: string, n: number, columns = new Uint8Array(n * 29), magic = 0x53464958): Uint8Array {
  const text = new TextEncoder().encode(json);
  const out = new Uint8Array(12 + text.byteLength + columns.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  view.setUint32(4, text.byteLength);
  view.setUint32(8, n);
  out.set(text, 12);
  out.set(columns, 12 + text.byteLength);
  return out;
}

Deno.test("an encoded index starts with SFIX, the JSON length and the packet count, then 29 bytes a packet", () => {
  const bytes = encodeIndex(mp4Probe());
  assert.deepEqual([...bytes.subarray(0, 4)], [0x53, 0x46, 0x49, 0x58]);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const jsonLength = view.getUint32(4);
  assert.equal(view.getUint32(8), 3);
  assert.equal(bytes.byteLength, 12 + jsonLength + 3 * 29);
  const facts = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength)));
  assert.deepEqual(facts.codecpar.extradata, { $b64: "AWQAH//h" });
  assert.equal(facts.packets, undefined);
});

Deno.test("decodeIndex gives back exactly what encodeIndex was given", () => {
  const back = decodeIndex(encodeIndex(mp4Probe()));
  assert.deepEqual(back, mp4Probe());
  assert.ok(back.codecpar.extradata instanceof Uint8Array);
  assert.ok(Number.isNaN(back.packets.pts[2]));
  assert.equal(back.packets.size[2], 4_000_000_000);
});

Deno.test("a span layout round-trips with its head bytes and its Uint32Array of data sizes", () => {
  const back = decodeIndex(encodeIndex(tsProbe()));
  assert.deepEqual(back, tsProbe());
  assert.ok(back.spans?.head instanceof Uint8Array);
  assert.ok(back.spans?.dataSizes instanceof Uint32Array);
  assert.deepEqual([...back.spans.dataSizes], [500, 7, 70_000]);
});

Deno.test("an index of no packets and an index read from a subarray both round-trip", () => {
  const empty: ProbeResult = {
    ...mp4Probe(),
    packets: {
      offset: new Float64Array(),
      size: new Uint32Array(),
      pts: new Float64Array(),
      dts: new Float64Array(),
      flags: new Uint8Array(),
    },
  };
  assert.deepEqual(decodeIndex(encodeIndex(empty)), empty);
  const bytes = encodeIndex(tsProbe());
  const shifted = new Uint8Array(bytes.byteLength + 3);
  shifted.set(bytes, 3);
  assert.deepEqual(decodeIndex(shifted.subarray(3)), tsProbe());
});

Deno.test("decodeIndex refuses a wrong magic number with a RangeError", () => {
  const bytes = encodeIndex(mp4Probe());
  bytes[0] ^= 0xff;
  assert.throws(() => decodeIndex(bytes), RangeError);
  assert.throws(() => decodeIndex(raw("{}", 0, new Uint8Array(), 0x53464959)), RangeError);
});

Deno.test("decodeIndex refuses every truncation of an index with a RangeError", () => {
  const bytes = encodeIndex(tsProbe());
  for (let n = 0; n < bytes.byteLength; n++) {
    assert.throws(() => decodeIndex(bytes.slice(0, n)), RangeError, `cut to ${n} bytes`);
  }
});

Deno.test("decodeIndex refuses trailing bytes with a RangeError", () => {
  const bytes = encodeIndex(mp4Probe());
  assert.throws(() => decodeIndex(Uint8Array.from([...bytes, 0])), RangeError);
  assert.throws(() => decodeIndex(raw("{}", 1, new Uint8Array(30))), /trailing/);
});

Deno.test("decodeIndex refuses lengths and counts that do not fit the bytes with a RangeError", () => {
  const bytes = encodeIndex(mp4Probe());
  const view = new DataView(bytes.buffer);
  const longer = bytes.slice();
  new DataView(longer.buffer).setUint32(4, view.getUint32(4) + 1000);
  assert.throws(() => decodeIndex(longer), RangeError);
  const more = bytes.slice();
  new DataView(more.buffer).setUint32(8, 0xffffffff);
  assert.throws(() => decodeIndex(more), RangeError);
  const fewer = bytes.slice();
  new DataView(fewer.buffer).setUint32(8, 2);
  assert.throws(() => decodeIndex(fewer), RangeError);
});

Deno.test("decodeIndex refuses damaged JSON facts with a RangeError", () => {
  const damaged = [
    '{"container":"mp4",', // cut short
    '{"container":"mp4"}}',
    "",
    "5",
    "null",
    '"mp4"',
    '{"codecpar":{"codec_id":27,"extradata":{"$b64":"***"}}}', // not base64
    '{"spans":{"head":{"$b64":""},"dataSizes":{"$u32":"AAA="}}}', // 2 bytes: not a Uint32Array
  ];
  for (const json of damaged) {
    assert.throws(() => decodeIndex(raw(json, 0, new Uint8Array())), RangeError, JSON.stringify(json));
  }
  // A flipped byte in the JSON text.
  const bytes = encodeIndex(mp4Probe());
  bytes[12] = 0x7e; // "{" → "~"
  assert.throws(() => decodeIndex(bytes), RangeError);
});

Deno.test("decodeIndex refuses JSON facts that are an array rather than an object", () => {
  assert.throws(() => decodeIndex(raw("[]", 0, new Uint8Array())), RangeError);
});
