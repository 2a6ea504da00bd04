import assert from "node:assert/strict";
import { CorruptMediaError, UnsupportedMediaError } from "../errors.ts";
import type { FrameIndex, PacketTable, SpanLayout } from "../index/model.ts";
import type { ScannedPacket } from "./container.ts";
import { MATROSKA } from "./matroska.ts";
import { findMoov, MP4 } from "./mp4.ts";
import { MPEG_TS, transportPackets } from "./mpegts.ts";
import { CONTAINER_LABELS, containerNamed, detectContainer } from "./registry.ts";

// ---- MP4 boxes ----

function header(type: string, size: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setUint32(0, size);
  out.set(new TextEncoder().encode(type), 4);
  return out;
}

function largeHeader(type: string, size: number): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setUint32(0, 1);
  out.set(new TextEncoder().encode(type), 4);
  view.setBigUint64(8, BigInt(size));
  return out;
}

/** A 24-byte ftyp box. */
const FTYP = Uint8Array.from([...header("ftyp", 24), ...new TextEncoder().encode("isom\0\0\0\x01isomavc1")]);

/** Parts laid out at the given offsets, zeros between them, `length` bytes in all. */
function layout(length: number, parts: [at: number, bytes: Uint8Array][]): Uint8Array {
  const out = new Uint8Array(length);
  for (const [at, bytes] of parts) out.set(bytes, at);
  return out;
}

// ---- MPEG-TS ----

/** `count` transport packets of `stride` bytes after `junk` bytes, sync bytes set (after M2TS's 4-byte timestamp). */
function transport(stride: number, count: number, junk = 0, fill = 0): Uint8Array {
  const lead = stride === 192 ? 4 : 0;
  const out = new Uint8Array(junk + stride * count).fill(fill);
  for (let i = 0; i < count; i++) out[junk + i * stride + lead] = 0x47;
  return out;
}

function table(rows: [offset: number, size: number, pts: number][]): PacketTable {
  return {
    offset: Float64Array.from(rows.map((r) => r[0])),
    size: Uint32Array.from(rows.map((r) => r[1])),
    pts: Float64Array.from(rows.map((r) => r[2])),
    dts: Float64Array.from(rows.map((r) => r[2] - 1)),
    flags: Uint8Array.from(rows.map((_, i) => (i === 0 ? 1 : 0))),
  };
}

function frameIndex(packets: PacketTable, spans?: SpanLayout): FrameIndex {
  return {
    info: {
      key: "clip.ts",
      size: 10_000,
      etag: "e1",
      container: spans ? "mpegts" : "mp4",
      indexSource: spans ? "packet-scan" : "sample-table",
      codec: "h264",
      width: 16,
      height: 16,
      frameCount: packets.pts.length,
      fps: 25,
      nominalFps: 25,
      pixelFormat: "yuv420p",
      rotation: 0,
      duration: packets.pts.length / 25,
      startTime: 0,
      timeBase: [1, 25],
      keyframes: [0],
    },
    codecpar: { codec_id: 27 },
    packets,
    frames: Uint32Array.from(packets.pts, (_, i) => i),
    spans,
  };
}

function scanned(rows: [offset: number, size: number][]): ScannedPacket[] {
  return rows.map(([offset, size], i) => ({ offset, size, pts: 10 * i, dts: 10 * i - 10, flags: i === 0 ? 1 : 0 }));
}

// ---- detection ----

Deno.test("detectContainer tells MP4 by its ftyp box and Matroska by its EBML magic", () => {
  assert.equal(detectContainer(layout(64, [[0, FTYP]]))?.name, "mp4");
  assert.equal(
    detectContainer(Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0x01, 0, 0, 0, 0, 0, 0, 0x1f]))?.name,
    "matroska",
  );
  // QuickTime files may start with other top-level boxes.
  assert.equal(detectContainer(layout(64, [[0, header("wide", 8)]]))?.name, "mp4");
  assert.equal(detectContainer(layout(64, [[0, header("moov", 64)]]))?.name, "mp4");
});

Deno.test("detectContainer finds MPEG-TS at the 188, 192 (M2TS) and 204-byte strides", () => {
  for (const stride of [188, 192, 204]) {
    assert.equal(detectContainer(transport(stride, 6))?.name, "mpegts", `stride ${stride}`);
  }
});

Deno.test("detectContainer gives undefined for bytes of no known container", () => {
  const text = new TextEncoder().encode("this is not a video, just some lowercase words. ".repeat(40));
  assert.equal(detectContainer(text), undefined);
  assert.equal(detectContainer(new Uint8Array(4096)), undefined);
  assert.equal(detectContainer(new Uint8Array()), undefined);
  assert.equal(detectContainer(Uint8Array.from([0x1a, 0x45])), undefined);
  // Four sync bytes in a row are not enough.
  assert.equal(detectContainer(transport(188, 4)), undefined);
});

Deno.test("transportPackets gives the stride and the first whole packet, after leading junk", () => {
  assert.deepEqual(transportPackets(transport(188, 6)), { size: 188, first: 0 });
  assert.deepEqual(transportPackets(transport(192, 6)), { size: 192, first: 0 });
  assert.deepEqual(transportPackets(transport(204, 6)), { size: 204, first: 0 });
  const junk = transport(188, 6, 100);
  junk[50] = 0x47; // a stray sync byte in the junk
  assert.deepEqual(transportPackets(junk), { size: 188, first: 100 });
  assert.deepEqual(transportPackets(transport(204, 6, 37)), { size: 204, first: 37 });
  assert.equal(detectContainer(junk)?.name, "mpegts");
});

Deno.test("transportPackets starts an M2TS packet at its timestamp, also when the head cuts one", () => {
  const m2ts = transport(192, 8);
  // A head from 2 bytes before packet 1 (at 192): its sync byte is at 6, the packet (timestamp first) at 2.
  assert.deepEqual(transportPackets(m2ts.subarray(190)), { size: 192, first: 2 });
  // A head from 2 bytes into packet 1's timestamp: the sync byte at 2 belongs to a packet begun before
  // the head, so the first whole one is packet 2 (at 384), 190 bytes in.
  assert.deepEqual(transportPackets(m2ts.subarray(194)), { size: 192, first: 190 });
});

Deno.test("transportPackets gives undefined without five sync bytes in a row at one stride", () => {
  assert.equal(transportPackets(transport(188, 4)), undefined);
  const gap = transport(188, 8);
  gap[4 * 188] = 0;
  gap[5 * 188] = 0;
  assert.equal(transportPackets(gap), undefined);
  assert.equal(transportPackets(new Uint8Array(2000)), undefined);
});

// ---- MP4 moov ----

Deno.test("findMoov gives the exact range of a moov stored before the media data", () => {
  const head = layout(132, [[0, FTYP], [24, header("moov", 100)], [124, header("mdat", 1000)]]);
  assert.deepEqual(findMoov(head, 1124), { offset: 24, length: 100, exact: true });
  // The moov header alone in the head is enough.
  assert.deepEqual(findMoov(head.subarray(0, 32), 1124), { offset: 24, length: 100, exact: true });
});

Deno.test("findMoov guesses a range to the end when the moov comes after the media data", () => {
  const size = 24 + 8 + 5000 + 300;
  const head = layout(64, [[0, FTYP], [24, header("free", 8)], [32, header("mdat", 5000)]]);
  assert.deepEqual(findMoov(head, size), { offset: 5032, length: 300, exact: false });
  // With the whole object as head, the moov box is seen.
  const whole = layout(size, [[0, FTYP], [24, header("free", 8)], [32, header("mdat", 5000)], [
    5032,
    header("moov", 300),
  ]]);
  assert.deepEqual(findMoov(whole, size), { offset: 5032, length: 300, exact: true });
});

Deno.test("findMoov reads 64-bit box sizes", () => {
  const mdat = 5_000_000_016;
  const size = 24 + mdat + 1000;
  const head = layout(64, [[0, FTYP], [24, largeHeader("mdat", mdat)]]);
  assert.deepEqual(findMoov(head, size), { offset: 5_000_000_040, length: 1000, exact: false });
  const moov = layout(64, [[0, FTYP], [24, largeHeader("moov", 200)]]);
  assert.deepEqual(findMoov(moov, 1000), { offset: 24, length: 200, exact: true });
});

Deno.test("findMoov takes a size-0 box to run to the end of the object", () => {
  assert.deepEqual(findMoov(layout(64, [[0, FTYP], [24, header("moov", 0)]]), 10_000), {
    offset: 24,
    length: 9976,
    exact: true,
  });
  // A size-0 mdat is the last box: no moov after it.
  assert.equal(findMoov(layout(64, [[0, FTYP], [24, header("mdat", 0)]]), 10_000), undefined);
});

Deno.test("findMoov gives undefined for malformed box sizes", () => {
  assert.equal(findMoov(layout(64, [[0, FTYP], [24, header("free", 4)]]), 1000), undefined, "size below 8");
  assert.equal(findMoov(layout(64, [[0, FTYP], [24, header("mdat", 999_999)]]), 1000), undefined, "past the end");
  assert.equal(findMoov(layout(64, [[0, header("ftyp", 7)]]), 1000), undefined, "ftyp below 8");
  const cut = layout(36, [[0, FTYP], [24, largeHeader("moov", 200).subarray(0, 12)]]);
  assert.equal(findMoov(cut, 1000), undefined, "64-bit size cut off by the head");
});

Deno.test("findMoov gives undefined for what is not an MP4 starting with ftyp", () => {
  assert.equal(findMoov(layout(64, [[0, header("moov", 64)]]), 1000), undefined);
  assert.equal(findMoov(Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0, 0, 0]), 1000), undefined);
  assert.equal(findMoov(new Uint8Array(), 1000), undefined);
  // An ftyp and nothing after it.
  assert.equal(findMoov(FTYP, 24), undefined);
});

Deno.test("MP4.prefetch asks for the moov and the 16 bytes after it, within the object", () => {
  const head = layout(132, [[0, FTYP], [24, header("moov", 100)], [124, header("mdat", 1000)]]);
  assert.deepEqual(MP4.prefetch(head, 1124), { offset: 24, length: 116 });
  const last = layout(1032, [[0, FTYP], [24, header("mdat", 1000)], [1024, header("moov", 100)]]);
  assert.deepEqual(MP4.prefetch(last, 1124), { offset: 1024, length: 100 });
  const guessed = layout(64, [[0, FTYP], [24, header("free", 8)], [32, header("mdat", 5000)]]);
  assert.deepEqual(MP4.prefetch(guessed, 5332), { offset: 5032, length: 300 });
  assert.equal(MP4.prefetch(layout(64, [[0, header("moov", 64)]]), 1000), undefined);
});

Deno.test("MP4.prefetch leaves a moov over 64 MiB to the demuxer", () => {
  const max = 64 << 20;
  const size = 24 + max + 1000;
  assert.deepEqual(MP4.prefetch(layout(32, [[0, FTYP], [24, header("moov", max)]]), size), {
    offset: 24,
    length: max + 16,
  });
  assert.equal(MP4.prefetch(layout(32, [[0, FTYP], [24, header("moov", max + 1)]]), size), undefined);
  // A guessed range over the bound too.
  assert.equal(MP4.prefetch(layout(32, [[0, FTYP], [24, header("mdat", 1000)]]), 1024 + max + 1), undefined);
});

Deno.test("only MP4 prefetches; only a fragmented MP4 is scanned among MP4s", () => {
  assert.equal(MATROSKA.prefetch(new Uint8Array(64), 1000), undefined);
  assert.equal(MPEG_TS.prefetch(transport(188, 6), 10_000), undefined);
  assert.equal(MP4.indexSource({ fragmented: false }), "sample-table");
  assert.equal(MP4.indexSource({ fragmented: true }), "packet-scan");
  assert.equal(MATROSKA.indexSource({ fragmented: false }), "packet-scan");
  assert.equal(MPEG_TS.indexSource({ fragmented: false }), "packet-scan");
});

Deno.test("containerNamed finds each container and refuses an unknown name with the list", () => {
  assert.equal(containerNamed("mp4"), MP4);
  assert.equal(containerNamed("matroska"), MATROSKA);
  assert.equal(containerNamed("mpegts"), MPEG_TS);
  assert.equal(CONTAINER_LABELS, "MP4/MOV, Matroska/WebM, MPEG-TS/M2TS");
  assert.throws(
    () => containerNamed("avi" as "mp4"),
    (err) => err instanceof UnsupportedMediaError && err.message.includes('"avi"') && err.message.includes("Matroska"),
  );
});

// ---- MPEG-TS packet table ----

/** Six 188-byte transport packets with distinguishable bytes; video starts in the third. */
function tsHead(junk = 0): Uint8Array {
  const head = transport(188, 6, junk);
  for (let i = 0; i < head.byteLength; i++) if (head[i] !== 0x47) head[i] = (i * 7) % 64;
  return head;
}

Deno.test("MPEG_TS.tableFromScan makes each span reach through the transport packet that starts the next one", () => {
  const head = tsHead();
  const { packets, spans } = MPEG_TS.tableFromScan(scanned([[376, 500], [940, 300], [1316, 100]]), head, 2000, "a.ts");
  assert.deepEqual(packets.offset, Float64Array.from([376, 940, 1316]));
  // 940 + 188 - 376, 1316 + 188 - 940, and the last runs to the end: 2000 - 1316.
  assert.deepEqual(packets.size, Uint32Array.from([752, 564, 684]));
  assert.deepEqual(packets.pts, Float64Array.from([0, 10, 20]));
  assert.deepEqual(packets.dts, Float64Array.from([-10, 0, 10]));
  // 2000 bytes end inside a transport packet: the file was cut, and the last packet may be (FLAG_DAMAGED).
  assert.deepEqual(packets.flags, Uint8Array.from([1, 0, 32]));
  assert.deepEqual(spans?.dataSizes, Uint32Array.from([500, 300, 100]));
  // The head: the two whole transport packets before the first video packet.
  assert.deepEqual(spans?.head, head.slice(0, 376));
});

Deno.test("MPEG_TS.tableFromScan marks the last packet damaged only when the file ends inside a transport packet", () => {
  const whole = MPEG_TS.tableFromScan(scanned([[376, 500], [940, 300]]), tsHead(), 11 * 188, "a.ts");
  assert.deepEqual(whole.packets.flags, Uint8Array.from([1, 0]));
  const cut = MPEG_TS.tableFromScan(scanned([[376, 500], [940, 300]]), tsHead(), 11 * 188 - 14, "a.ts");
  assert.deepEqual(cut.packets.flags, Uint8Array.from([1, 32]));
  const offset = MPEG_TS.tableFromScan(scanned([[10 + 376, 50]]), tsHead(10), 10 + 9 * 188, "j.ts");
  assert.deepEqual(offset.packets.flags, Uint8Array.from([1]), "whole packets after junk before the first sync byte");
});

Deno.test("MPEG_TS.tableFromScan clamps a span to the object and uses the stream's stride", () => {
  const near = MPEG_TS.tableFromScan(scanned([[376, 500], [1316, 10]]), tsHead(), 1400, "a.ts");
  assert.deepEqual(near.packets.size, Uint32Array.from([1024, 84]));
  const fec = transport(204, 6);
  const wide = MPEG_TS.tableFromScan(scanned([[408, 500], [1020, 300]]), fec, 3000, "b.ts");
  assert.deepEqual(wide.packets.size, Uint32Array.from([1020 + 204 - 408, 3000 - 1020]));
  assert.deepEqual(wide.spans?.head, fec.slice(0, 408));
});

Deno.test("MPEG_TS.tableFromScan keeps only whole transport packets in the head, from the first one", () => {
  const junk = tsHead(10);
  const { spans } = MPEG_TS.tableFromScan(scanned([[10 + 2 * 188, 50]]), junk, 5000, "j.ts");
  assert.deepEqual(spans?.head, junk.slice(10, 386));
  // A video packet reported inside a transport packet: the head stops at the last whole one before it.
  const inside = MPEG_TS.tableFromScan(scanned([[400, 50]]), tsHead(), 5000, "k.ts");
  assert.deepEqual(inside.spans?.head, tsHead().slice(0, 376));
});

Deno.test("MPEG_TS.tableFromScan refuses packets out of file order and two packets in one transport packet", () => {
  assert.throws(
    () => MPEG_TS.tableFromScan(scanned([[376, 10], [300, 10]]), tsHead(), 2000, "x.ts"),
    (err) => err instanceof CorruptMediaError && err.message.includes('"x.ts"') && /file order/.test(err.message),
  );
  assert.throws(
    () => MPEG_TS.tableFromScan(scanned([[-1, 10]]), tsHead(), 2000, "x.ts"),
    CorruptMediaError,
  );
  assert.throws(
    () => MPEG_TS.tableFromScan(scanned([[376, 10], [376, 10]]), tsHead(), 2000, "x.ts"),
    (err) => err instanceof UnsupportedMediaError && /one transport packet/.test(err.message),
  );
});

Deno.test("MPEG_TS.tableFromScan refuses a stream with no header before its first video packet", () => {
  assert.throws(
    () => MPEG_TS.tableFromScan(scanned([[0, 10], [376, 10]]), tsHead(), 2000, "h.ts"),
    (err) => err instanceof CorruptMediaError && err.message.includes('"h.ts"') && /PAT, PMT/.test(err.message),
  );
  assert.throws(() => MPEG_TS.tableFromScan(scanned([[100, 10]]), tsHead(), 2000, "h.ts"), CorruptMediaError);
});

Deno.test("Matroska and MP4 tables are the scanned rows as they are", () => {
  for (const container of [MATROSKA, MP4]) {
    const { packets, spans } = container.tableFromScan(scanned([[48, 900], [948, 40]]), new Uint8Array(), 2000, "m");
    assert.deepEqual(packets.offset, Float64Array.from([48, 948]));
    assert.deepEqual(packets.size, Uint32Array.from([900, 40]));
    assert.deepEqual(packets.dts, Float64Array.from([-10, 0]));
    assert.equal(spans, undefined);
  }
});

// ---- decoder input ----

/** Decode-order numbers `first..last`. */
function span(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

Deno.test("decoderInput of packets stored whole slices each packet out of the range holding it, as a copy", () => {
  const index = frameIndex(table([[10, 5, 0], [30, 10, 1], [100, 20, 2], [200, 0, 3]]));
  const ranges = [{ offset: 0, length: 50 }, { offset: 90, length: 40 }];
  const bytes = [Uint8Array.from({ length: 50 }, (_, i) => i), Uint8Array.from({ length: 40 }, (_, i) => 90 + i)];
  const input = MP4.decoderInput(index, span(0, 3), ranges, bytes);
  assert.equal(input.kind, "packets");
  if (input.kind !== "packets") return;
  assert.deepEqual(input.packets.map((p) => [...p.data]), [
    [10, 11, 12, 13, 14],
    [30, 31, 32, 33, 34, 35, 36, 37, 38, 39],
    [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119],
    [],
  ]);
  assert.deepEqual(input.packets.map((p) => [p.pts, p.dts, p.flags]), [[0, -1, 1], [1, 0, 0], [2, 1, 0], [3, 2, 0]]);
  // Copies with buffers of their own (transferable to the worker).
  assert.equal(input.packets[1].data.buffer.byteLength, 10);
  bytes[0][30] = 0;
  assert.equal(input.packets[1].data[0], 30);
  // A sub-run of packets.
  const one = MATROSKA.decoderInput(index, span(1, 1), ranges, bytes);
  assert.equal(one.kind === "packets" && one.packets.length, 1);
});

Deno.test("decoderInput of packets stored whole refuses a packet outside the bytes fetched", () => {
  const index = frameIndex(table([[10, 5, 0], [45, 10, 1]]));
  assert.throws(
    () => MP4.decoderInput(index, span(0, 1), [{ offset: 0, length: 50 }], [new Uint8Array(50)]),
    (err) => err instanceof CorruptMediaError && /packet 1 /.test(err.message) && err.message.includes('"clip.ts"'),
  );
});

Deno.test("decoderInput of MPEG-TS gives one span with the head and each packet's data size", () => {
  const head = tsHead().slice(0, 376);
  const spans = { head, dataSizes: Uint32Array.from([500, 300, 100]) };
  const index = frameIndex(table([[376, 752, 0], [940, 564, 1], [1316, 684, 2]]), spans);
  const data = new Uint8Array(1316 + 188 - 940);
  const input = MPEG_TS.decoderInput(index, span(1, 1), [{ offset: 940, length: data.byteLength }], [data]);
  assert.deepEqual(input, {
    kind: "span",
    head,
    offset: 940,
    data,
    packets: [{ offset: 940, length: 300, pts: 1, dts: 0, flags: 0 }],
  });
  const all = MPEG_TS.decoderInput(index, span(0, 2), [{ offset: 376, length: 1624 }], [new Uint8Array(1624)]);
  assert.equal(all.kind, "span");
  if (all.kind !== "span") return;
  assert.deepEqual(all.packets.map((p) => [p.offset, p.length]), [[376, 500], [940, 300], [1316, 100]]);
});

Deno.test("decoderInput of MPEG-TS refuses non-contiguous ranges and an index without its span layout", () => {
  const spans = { head: new Uint8Array(188), dataSizes: Uint32Array.from([10, 10]) };
  const index = frameIndex(table([[376, 752, 0], [940, 564, 1]]), spans);
  const two = [{ offset: 376, length: 188 }, { offset: 940, length: 188 }];
  assert.throws(
    () => MPEG_TS.decoderInput(index, span(0, 1), two, [new Uint8Array(188), new Uint8Array(188)]),
    (err) => err instanceof CorruptMediaError && /not contiguous/.test(err.message),
  );
  assert.throws(
    () => MPEG_TS.decoderInput(frameIndex(index.packets), span(0, 1), [two[0]], [new Uint8Array(188)]),
    (err) => err instanceof CorruptMediaError && /span layout/.test(err.message),
  );
});
