/**
 * Persistent frame indexes in Deno KV, so a video's metadata is read once per
 * object version, by whichever process (or sidecar sharing the KV) sees it
 * first.
 *
 * Layout, under `["seekframe", SCHEMA_VERSION]`:
 * - `["head", location]` → the indexed version of the object at `location`
 *   (ETag, size) and where its index lies: a generation id, chunk count, byte
 *   length and SHA-256.
 * - `["chunk", location, generation, i]` → ≤ 60,000-byte pieces of the
 *   gzip-compressed index.
 *
 * A writer stores its chunks under a fresh generation first (several atomic
 * commits, each within KV's 1,000-mutation / 800 KiB limits), then flips the
 * head with a versionstamp check. Readers only follow heads, so they never
 * see a half-written index; a writer that loses the race deletes its chunks,
 * and a winner deletes chunks that writers who died mid-write left behind.
 * A changed ETag, size or schema version never matches, so it means a rebuild.
 *
 * @module
 */

import { concatBytes, sha256Hex } from "../bytes.ts";
import type { ProbeResult } from "./build.ts";
import type { PacketTable } from "./model.ts";

/** Bumped whenever the stored format or the meaning of an index changes. */
export const SCHEMA_VERSION = 1;
/** KV values are limited to 65,536 bytes. */
export const CHUNK_BYTES = 60_000;
/** 12 chunks = 720,000 bytes: under the 819,200-byte atomic commit limit. */
const CHUNKS_PER_COMMIT = 12;
const NS = ["seekframe", SCHEMA_VERSION] as const;
/** Chunks of a generation no head points to are orphans once this old (writing one takes seconds). */
export const ORPHAN_AGE_MS = 10 * 60_000;

/** When a generation was created (ms since the epoch); 0 for ids without a time (treated as old). */
function generationTime(generation: string): number {
  const time = parseInt(generation.split("-")[0], 36);
  return generation.length > 37 && Number.isFinite(time) ? time : 0;
}

/** The version of an object an index belongs to. */
export interface ObjectVersion {
  /** ETag (or file tag). */
  etag: string;
  /** Size in bytes. */
  size: number;
}

interface Head extends ObjectVersion {
  generation: string;
  chunks: number;
  bytes: number;
  sha256: string;
}

/**
 * Frame indexes in a Deno KV database (a local file, or a KV Connect URL).
 *
 * @example
 * ```ts
 * const indexes = await KvIndexStore.open("./index.kv");
 * const stored = await indexes.latest("s3:…:clips/a.mp4");
 * ```
 */
export class KvIndexStore {
  readonly #kv: Deno.Kv;
  readonly #owned: boolean;

  /** Wraps an open KV database (not closed by {@link close}). */
  constructor(kv: Deno.Kv, owned = false) {
    this.#kv = kv;
    this.#owned = owned;
  }

  /** Opens a KV file path, a `http(s)://` KV Connect URL, or (no argument) Deno's default KV. */
  static async open(path?: string): Promise<KvIndexStore> {
    if (typeof Deno.openKv !== "function") {
      throw new Error("Deno KV is not available: run Deno with --unstable-kv");
    }
    return new KvIndexStore(await Deno.openKv(path), true);
  }

  /** The latest indexed version of `location` and its probe, if any. */
  async latest(location: string): Promise<{ version: ObjectVersion; probe: ProbeResult } | undefined> {
    const head = await this.#kv.get<Head>([...NS, "head", await hash(location)]);
    if (!head.value) return undefined;
    const probe = await this.#readChunks(await hash(location), head.value);
    return probe ? { version: { etag: head.value.etag, size: head.value.size }, probe } : undefined;
  }

  /** The stored probe of `location` at exactly `version`, if any. */
  async get(location: string, version: ObjectVersion): Promise<ProbeResult | undefined> {
    const found = await this.latest(location);
    return found && found.version.etag === version.etag && found.version.size === version.size
      ? found.probe
      : undefined;
  }

  /**
   * Stores the probe of `location` at `version`, replacing older versions. If
   * another writer stored the same version meanwhile, its copy is kept.
   * Returns the probe now stored for that version.
   */
  async put(location: string, version: ObjectVersion, probe: ProbeResult): Promise<ProbeResult> {
    const loc = await hash(location);
    const headKey = [...NS, "head", loc];
    const before = await this.#kv.get<Head>(headKey);
    const payload = await compress(encodeProbe(probe));
    // Generations start with their creation time, so orphans can be told from writes in progress.
    const generation = `${Date.now().toString(36).padStart(9, "0")}-${crypto.randomUUID()}`;
    const chunks: Uint8Array[] = [];
    // slice, not subarray: KV would serialize the whole underlying buffer of a view.
    for (let at = 0; at < payload.byteLength; at += CHUNK_BYTES) chunks.push(payload.slice(at, at + CHUNK_BYTES));
    for (let i = 0; i < chunks.length; i += CHUNKS_PER_COMMIT) {
      const op = this.#kv.atomic();
      chunks.slice(i, i + CHUNKS_PER_COMMIT).forEach((c, j) => op.set([...NS, "chunk", loc, generation, i + j], c));
      const res = await op.commit();
      if (!res.ok) throw new Error("KV chunk write failed");
    }
    const head: Head = {
      etag: version.etag,
      size: version.size,
      generation,
      chunks: chunks.length,
      bytes: payload.byteLength,
      sha256: await sha256Hex(payload),
    };
    const res = await this.#kv.atomic().check(before).set(headKey, head).commit();
    if (!res.ok) {
      // Another writer flipped the head first: keep theirs if it is this version.
      await this.#deleteGeneration(loc, generation);
      return (await this.get(location, version)) ?? probe;
    }
    if (before.value) await this.#deleteGeneration(loc, before.value.generation);
    await this.#deleteOrphans(loc, generation);
    return probe;
  }

  /**
   * Deletes the chunks of generations other than `keep` that are older than
   * {@link ORPHAN_AGE_MS}: left by writers that died before flipping the head.
   * Younger ones may belong to a write in progress, whose writer cleans up.
   */
  async #deleteOrphans(loc: string, keep: string): Promise<void> {
    const orphans = new Set<string>();
    for await (const entry of this.#kv.list({ prefix: [...NS, "chunk", loc] })) {
      const generation = entry.key[NS.length + 2] as string;
      if (generation !== keep && Date.now() - generationTime(generation) > ORPHAN_AGE_MS) orphans.add(generation);
    }
    for (const generation of orphans) await this.#deleteGeneration(loc, generation);
  }

  /** Closes the KV database if this store opened it. */
  close(): void {
    if (this.#owned) this.#kv.close();
  }

  async #readChunks(loc: string, head: Head): Promise<ProbeResult | undefined> {
    const parts: Uint8Array[] = [];
    for await (const entry of this.#kv.list<Uint8Array>({ prefix: [...NS, "chunk", loc, head.generation] })) {
      parts.push(entry.value);
    }
    if (parts.length !== head.chunks) return undefined;
    const payload = concatBytes(parts);
    if (payload.byteLength !== head.bytes || (await sha256Hex(payload)) !== head.sha256) return undefined;
    try {
      return decodeProbe(await decompress(payload));
    } catch {
      return undefined;
    }
  }

  async #deleteGeneration(loc: string, generation: string): Promise<void> {
    let op = this.#kv.atomic(), n = 0;
    for await (const entry of this.#kv.list({ prefix: [...NS, "chunk", loc, generation] })) {
      op.delete(entry.key);
      if (++n % 500 === 0) {
        await op.commit();
        op = this.#kv.atomic();
      }
    }
    await op.commit();
  }
}

// ---------------------------------------------------------------- encoding

const MAGIC = 0x53464958; // "SFIX"

/**
 * Serializes a probe: magic, JSON length, JSON (everything but the packet
 * table, binary fields as base64), then the table column by column (columns
 * compress far better than rows).
 */
export function encodeProbe(probe: ProbeResult): Uint8Array {
  const { packets, ...rest } = probe;
  const json = new TextEncoder().encode(
    JSON.stringify(
      rest,
      (_k, v) =>
        v instanceof Uint8Array
          ? { $b64: b64(v) }
          : v instanceof Uint32Array
          ? { $u32: b64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) }
          : v,
    ),
  );
  const n = packets.pts.length;
  const total = 12 + json.byteLength + n * (8 + 4 + 8 + 8 + 1);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC);
  view.setUint32(4, json.byteLength);
  view.setUint32(8, n);
  out.set(json, 12);
  let at = 12 + json.byteLength;
  for (const column of [packets.offset, packets.size, packets.pts, packets.dts, packets.flags]) {
    const bytes = new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
    out.set(bytes, at);
    at += bytes.byteLength;
  }
  return out;
}

/** Reverses {@link encodeProbe}. Throws on malformed input. */
export function decodeProbe(bytes: Uint8Array): ProbeResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== MAGIC) throw new Error("not a seekframe index");
  const jsonLen = view.getUint32(4), n = view.getUint32(8);
  const rest = JSON.parse(
    new TextDecoder().decode(bytes.subarray(12, 12 + jsonLen)),
    (_k, v) =>
      v && typeof v === "object" && typeof v.$b64 === "string"
        ? unb64(v.$b64)
        : v && typeof v === "object" && typeof v.$u32 === "string"
        ? new Uint32Array(unb64(v.$u32).slice().buffer)
        : v,
  );
  let at = 12 + jsonLen;
  const take = <T>(make: (buf: ArrayBuffer) => T, width: number): T => {
    const slice = bytes.slice(at, at + n * width);
    if (slice.byteLength !== n * width) throw new Error("truncated index");
    at += n * width;
    return make(slice.buffer);
  };
  const packets: PacketTable = {
    offset: take((b) => new Float64Array(b), 8),
    size: take((b) => new Uint32Array(b), 4),
    pts: take((b) => new Float64Array(b), 8),
    dts: take((b) => new Float64Array(b), 8),
    flags: take((b) => new Uint8Array(b), 1),
  };
  if (at !== bytes.byteLength) throw new Error("trailing bytes in index");
  return { ...rest, packets };
}

function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function unb64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function compress(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new CompressionStream("gzip"));
}

function decompress(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new DecompressionStream("gzip"));
}

/** Bounded KV key part for a location (keys are limited to 2 KiB; object keys can be long). */
function hash(location: string): Promise<string> {
  return sha256Hex(location);
}
