/**
 * Shared test setup: where the fixtures are, and an S3 bucket on the MinIO the
 * test task started (or the server `S3_ENDPOINT` names) with the fixtures
 * uploaded.
 *
 * @module
 */

import { CreateBucketCommand, PutObjectCommand, S3Client } from "npm:@aws-sdk/client-s3@3.1175.0";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { S3Options } from "../src/storage/s3.ts";

/** Folder of generated fixtures (`test/fixtures/make.sh`). */
export const FIXTURES = fileURLToPath(new URL("./fixtures/out/", import.meta.url));

/** Every playable fixture, with what it exercises. */
export const VIDEOS: Record<string, string> = {
  "h264_bframes_faststart.mp4": "H.264, B-frames, moov first",
  "h264_audio_moov_end.mp4": "H.264, 3 B-frames, AAC track, moov at end",
  "h264_odd_322x180.mp4": "H.264, 322×180, open GOP",
  "h264_editlist_cut.mp4": "H.264, edit list starting between keyframes",
  "h264.mkv": "H.264 in Matroska (packet scan)",
  "h264_vfr.mp4": "H.264, variable frame rate",
  "h264_fragmented.mp4": "H.264, fragmented MP4 (packet scan)",
  "hevc.mp4": "HEVC, open GOP with leading pictures",
  "vp9.webm": "VP9 in WebM",
  "vp8.webm": "VP8 in WebM",
  "mpeg4.mp4": "MPEG-4 part 2 with B-frames",
  "av1.mp4": "AV1 in MP4",
  "av1.webm": "AV1 in WebM",
  "h264_audio.ts": "H.264, B-frames, AAC track, MPEG-TS (packets demuxed from byte spans)",
  "hevc.ts": "HEVC, open GOP, MPEG-TS",
  "h264_bdav.m2ts": "H.264 in M2TS (192-byte packets)",
  "h264_offset.ts": "MPEG-TS starting 100 bytes before its first transport packet",
  "h264_rotate90.mp4": "H.264 with a display matrix turning it 90°",
  "h264_rotate180.mp4": "H.264 with a display matrix turning it 180°",
  "h264_rotate270.mp4": "H.264 with a display matrix turning it 270°",
  "h264_full_range.mp4": "H.264, full range (decoded as yuvj420p)",
  "vp9_full_range.webm": "VP9, yuv420p tagged full range",
  "h264_bt709.mp4": "H.264 tagged BT.709",
  "vp9_odd_321x180.webm": "VP9, odd width (321×180)",
  "vp9_odd_321x181.webm": "VP9, odd width and height (321×181)",
  "h264_10bit.mp4": "H.264 High 10 (yuv420p10le)",
  "h264_422.mp4": "H.264 High 4:2:2 (yuv422p)",
};

/**
 * Fixtures whose RGB24 may differ from the ffmpeg CLI's, and why; none today.
 * Same-size 8-bit 4:2:0 and 4:2:2 of even height are converted with the
 * CLI's arithmetic (vendor/libav/cli_rgb.h), everything else (scaled, odd
 * heights, 10-bit) by swscale's C scaler with the CLI's colour details and
 * filter sizes, which gives its bytes too (exact_test.ts checks each fixture).
 */
export const RGB_NOT_EXACT: Record<string, string> = {};

/** The bucket the tests use. */
export const BUCKET = Deno.env.get("S3_BUCKET") ?? "seekframe-test";

/** S3 options from the environment the test task sets. */
export function s3Options(overrides: Partial<S3Options> = {}): S3Options {
  const endpoint = Deno.env.get("S3_ENDPOINT");
  if (!endpoint) throw new Error("S3_ENDPOINT is not set: run the tests with `deno task test`");
  return {
    bucket: BUCKET,
    endpoint,
    region: Deno.env.get("AWS_REGION") ?? "us-east-1",
    credentials: {
      accessKeyId: Deno.env.get("AWS_ACCESS_KEY_ID") ?? "",
      secretAccessKey: Deno.env.get("AWS_SECRET_ACCESS_KEY") ?? "",
    },
    forcePathStyle: true,
    ...overrides,
  };
}

/**
 * The environment a sidecar process (`startSidecar`) needs to serve the test
 * bucket under `prefix`, through `endpoint` when given (a fault proxy).
 */
export function sidecarS3Env(prefix: string, endpoint?: string): Record<string, string> {
  const o = s3Options();
  return {
    S3_BUCKET: o.bucket,
    S3_ENDPOINT: endpoint ?? o.endpoint!,
    S3_PREFIX: prefix,
    AWS_ACCESS_KEY_ID: o.credentials!.accessKeyId,
    AWS_SECRET_ACCESS_KEY: o.credentials!.secretAccessKey,
    AWS_REGION: o.region ?? "us-east-1",
  };
}

/** A raw SDK client for test setup (uploads, overwrites). */
export function rawClient(): S3Client {
  const o = s3Options();
  return new S3Client({ region: o.region, endpoint: o.endpoint, credentials: o.credentials, forcePathStyle: true });
}

let uploaded: Promise<void> | undefined;

/** Creates the bucket and uploads every fixture file once per process. */
export function uploadFixtures(): Promise<void> {
  uploaded ??= (async () => {
    const client = rawClient();
    try {
      await client.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((err) => {
        if (err?.name !== "BucketAlreadyOwnedByYou" && err?.name !== "BucketAlreadyExists") throw err;
      });
      for await (const entry of Deno.readDir(FIXTURES)) {
        if (!entry.isFile || entry.name.startsWith(".")) continue;
        const body = await Deno.readFile(join(FIXTURES, entry.name));
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `fixtures/${entry.name}`, Body: body }));
      }
    } finally {
      client.destroy();
    }
  })();
  return uploaded;
}

/** A small deterministic PRNG (mulberry32), so "random" indices are reproducible. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
