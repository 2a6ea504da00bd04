/**
 * Uploads chosen fixtures under a prefix of the test bucket (creating the
 * bucket if needed), for tests and benches that need a few objects rather
 * than every fixture (`uploadFixtures` in `./env.ts` uploads them all,
 * the 30 MB long videos included).
 *
 * @module
 */

import { CreateBucketCommand, PutObjectCommand } from "npm:@aws-sdk/client-s3@3.1175.0";
import { join } from "node:path";
import { BUCKET, FIXTURES, rawClient } from "./env.ts";

/** Puts each `[key, fixture file name]` at `prefix + key`, straight to the S3 server (no proxy). */
export async function uploadObjects(prefix: string, objects: [key: string, file: string][]): Promise<void> {
  const client = rawClient();
  try {
    await client.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((err) => {
      if (err?.name !== "BucketAlreadyOwnedByYou" && err?.name !== "BucketAlreadyExists") throw err;
    });
    for (const [key, file] of objects) {
      const body = await Deno.readFile(join(FIXTURES, file));
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: prefix + key, Body: body }));
    }
  } finally {
    client.destroy();
  }
}
