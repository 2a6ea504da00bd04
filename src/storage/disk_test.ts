import assert from "node:assert/strict";
import { join } from "node:path";
import { DiskCache } from "./disk.ts";

/** The block files of a cache folder. */
function blockFiles(dir: string): string[] {
  return [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".blk")).map((e) => join(dir, e.name));
}

Deno.test("a block file whose data was damaged in place is dropped, never served (checksum)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-disk-" });
  try {
    const data = Uint8Array.from({ length: 5000 }, (_, i) => i & 255);
    const first = await DiskCache.open({ dir });
    first.put("k#0", [{ lo: 0, data }]);
    await first.flush();
    const [file] = blockFiles(dir);
    const bytes = await Deno.readFile(file);
    bytes[bytes.byteLength - 10] ^= 1; // same length, same structure: only the checksum can tell
    await Deno.writeFile(file, bytes);
    const second = await DiskCache.open({ dir });
    assert.equal(await second.get("k#0"), undefined);
    assert.deepEqual(blockFiles(dir), [], "the damaged file is removed");
    assert.equal(second.bytes, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a truncated block file is dropped", async () => {
  const dir = await Deno.makeTempDir({ prefix: "seekframe-disk-" });
  try {
    const cache = await DiskCache.open({ dir });
    cache.put("k#1", [{ lo: 100, data: new Uint8Array(3000).fill(7) }]);
    await cache.flush();
    const [file] = blockFiles(dir);
    const bytes = await Deno.readFile(file);
    await Deno.writeFile(file, bytes.subarray(0, bytes.byteLength - 1));
    const reopened = await DiskCache.open({ dir });
    assert.equal(await reopened.get("k#1"), undefined);
    assert.deepEqual(blockFiles(dir), []);
    // An intact one still reads back.
    reopened.put("k#2", [{ lo: 0, data: new Uint8Array([1, 2, 3]) }]);
    await reopened.flush();
    assert.deepEqual(await reopened.get("k#2"), [{ lo: 0, data: new Uint8Array([1, 2, 3]) }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
