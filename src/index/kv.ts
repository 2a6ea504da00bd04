/**
 * Persistent frame indexes in Deno KV, so a video's metadata is read once per
 * object version, by whichever process (or sidecar sharing the KV) sees it
 * first.
 *
 * Layout, under `["seekframe", SCHEMA_VERSION]`:
 * - `["head", hash(location)]` → the indexed version of the object at
 *   `location` (ETag, size) and where its index lies: a generation id, chunk
 *   count, byte length and SHA-256.
 * - `["chunk", hash(location), generation, i]` → ≤ 60,000-byte pieces of the
 *   gzip-compressed index ({@link encodeIndex}).
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

import { dirname } from "node:path";
import { concatBytes, sha256Hex } from "../bytes.ts";
import { IndexStoreError } from "../errors.ts";
import { decodeIndex, encodeIndex, SCHEMA_VERSION } from "./codec.ts";
import { type IndexStore, type ObjectVersion, sameVersion, type StoredIndex } from "./index_store.ts";
import type { ProbeResult } from "./model.ts";

/** KV values are limited to 65,536 bytes. */
export const CHUNK_BYTES = 60_000;
/** Reads of an entry that writers keep replacing meanwhile, before it counts as none. */
const READ_ATTEMPTS = 5;

/** 12 chunks = 720,000 bytes: under the 819,200-byte atomic commit limit. */
const CHUNKS_PER_COMMIT = 12;
const NS = ["seekframe", SCHEMA_VERSION] as const;
/** Attempts of an operation that finds a local KV file locked by another process. */
const LOCKED_ATTEMPTS = 5;
/** Chunks of a generation no head points to are orphans once this old (writing one takes seconds). */
export const ORPHAN_AGE_MS = 10 * 60_000;

/** When a generation was created (ms since the epoch); 0 for ids without a time (treated as old). */
function generationTime(generation: string): number {
  const time = parseInt(generation.split("-")[0], 36);
  return generation.length > 37 && Number.isFinite(time) ? time : 0;
}

interface Head extends ObjectVersion {
  generation: string;
  chunks: number;
  bytes: number;
  sha256: string;
}

/**
 * Frame indexes in a Deno KV database (a local file, or a KV Connect URL).
 * KV failures are thrown as {@link IndexStoreError}.
 *
 * @example Share indexes through a KV file
 * ```ts
 * import { KvIndexStore, openFrameStore } from "@seekframe/seekframe";
 *
 * const indexStore = await KvIndexStore.open("./index.kv");
 * const store = await openFrameStore({ dir: "./videos", indexStore });
 * ```
 */
export class KvIndexStore implements IndexStore {
  readonly #kv: Deno.Kv;
  readonly #owned: boolean;
  /** Where the indexes are kept. */
  readonly description: string;

  /**
   * Wraps an open KV database.
   *
   * @param kv The database.
   * @param owned Whether {@link close} closes it. Default false.
   * @param description Where it is, for people. Default "Deno KV".
   */
  constructor(kv: Deno.Kv, owned = false, description = "Deno KV") {
    this.#kv = kv;
    this.#owned = owned;
    this.description = description;
  }

  /**
   * Opens a KV file path, a `http(s)://` KV Connect URL, or (no argument)
   * Deno's default KV (a file Deno keeps per program under
   * `$DENO_DIR/location_data/`, keyed by `--location`, the deno.json or the
   * main module). A file's folder is made if missing.
   */
  static async open(path?: string): Promise<KvIndexStore> {
    if (typeof Deno.openKv !== "function") {
      throw new IndexStoreError("Deno KV is not available: run Deno with --unstable-kv");
    }
    const remote = path !== undefined && /^https?:\/\//.test(path);
    if (path !== undefined && !remote && path !== ":memory:") {
      await Deno.mkdir(dirname(path), { recursive: true }).catch(() => {}); // openKv says what is wrong
    }
    const kv = await Deno.openKv(path).catch((err) => {
      throw new IndexStoreError(`cannot open the KV database ${JSON.stringify(path ?? "(default)")}: ${text(err)}`, {
        cause: err,
      });
    });
    const where = path === undefined
      ? "Deno KV, Deno's default database for this program (in $DENO_DIR/location_data/)"
      : remote
      ? `KV Connect ${path}`
      : `Deno KV file ${path}`;
    return new KvIndexStore(kv, true, where);
  }

  /**
   * The latest indexed version of `location` and its index, if any (a
   * damaged entry counts as none). A writer that replaces the entry between
   * reading its head and its chunks deletes those chunks: the head is read
   * again then, and the new entry read.
   */
  async latest(location: string): Promise<StoredIndex | undefined> {
    const loc = await hash(location);
    return await this.#guard("read", async () => {
      const headKey = [...NS, "head", loc];
      let head = await this.#kv.get<Head>(headKey);
      for (let attempt = 1;; attempt++) {
        if (!validHead(head.value)) return undefined;
        const probe = await this.#readChunks(loc, head.value);
        if (probe) return { version: { etag: head.value.etag, size: head.value.size }, probe };
        const now = await this.#kv.get<Head>(headKey);
        // The same head: the entry itself is damaged.
        if (now.versionstamp === head.versionstamp || attempt >= READ_ATTEMPTS) return undefined;
        head = now;
      }
    });
  }

  /** The stored index of `location` at exactly `version`, if any. */
  async get(location: string, version: ObjectVersion): Promise<ProbeResult | undefined> {
    const found = await this.latest(location);
    return found && sameVersion(found.version, version) ? found.probe : undefined;
  }

  /**
   * Stores the index of `location` at `version`, replacing older versions. If
   * another writer stored the same version meanwhile, its copy is kept.
   * Returns the index now stored for that version.
   */
  async put(location: string, version: ObjectVersion, probe: ProbeResult): Promise<ProbeResult> {
    const loc = await hash(location);
    const payload = await compress(encodeIndex(probe));
    const sha256 = await sha256Hex(payload);
    return await this.#guard("write", async () => {
      const headKey = [...NS, "head", loc];
      const before = await this.#kv.get<Head>(headKey);
      // Generations start with their creation time, so orphans can be told from writes in progress.
      const generation = `${Date.now().toString(36).padStart(9, "0")}-${crypto.randomUUID()}`;
      const chunks: Uint8Array[] = [];
      // slice, not subarray: KV would serialize the whole underlying buffer of a view.
      for (let at = 0; at < payload.byteLength; at += CHUNK_BYTES) chunks.push(payload.slice(at, at + CHUNK_BYTES));
      try {
        for (let i = 0; i < chunks.length; i += CHUNKS_PER_COMMIT) {
          const op = this.#kv.atomic();
          chunks.slice(i, i + CHUNKS_PER_COMMIT).forEach((c, j) => op.set([...NS, "chunk", loc, generation, i + j], c));
          const res = await op.commit();
          if (!res.ok) throw new IndexStoreError("KV chunk write failed");
        }
      } catch (err) {
        // Leave no orphans behind when KV can still be written to.
        await this.#deleteGeneration(loc, generation).catch(() => {});
        throw err;
      }
      const head: Head = {
        etag: version.etag,
        size: version.size,
        generation,
        chunks: chunks.length,
        bytes: payload.byteLength,
        sha256,
      };
      const res = await this.#kv.atomic().check(before).set(headKey, head).commit();
      if (!res.ok) {
        // Another writer flipped the head first: keep theirs if it is this version.
        await this.#deleteGeneration(loc, generation);
        return (await this.get(location, version)) ?? probe;
      }
      if (validHead(before.value)) await this.#deleteGeneration(loc, before.value.generation);
      await this.#deleteOrphans(loc, generation);
      return probe;
    });
  }

  /** Closes the KV database if this store opened it. */
  close(): void {
    if (this.#owned) this.#kv.close();
  }

  /**
   * Runs a KV operation, turning KV's own failures into {@link IndexStoreError}.
   * A local KV file busy with another process ("database is locked") is
   * retried a few times: several processes may build indexes at once.
   */
  async #guard<T>(what: string, f: () => Promise<T>): Promise<T> {
    for (let attempt = 1;; attempt++) {
      try {
        return await f();
      } catch (err) {
        if (err instanceof IndexStoreError) throw err;
        if (attempt < LOCKED_ATTEMPTS && /database is locked/i.test(text(err))) {
          await new Promise((r) => setTimeout(r, 20 * 2 ** attempt * (0.5 + Math.random())));
          continue;
        }
        throw new IndexStoreError(`KV ${what} failed: ${text(err)}`, { cause: err });
      }
    }
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

  async #readChunks(loc: string, head: Head): Promise<ProbeResult | undefined> {
    const parts: Uint8Array[] = [];
    for await (const entry of this.#kv.list<Uint8Array>({ prefix: [...NS, "chunk", loc, head.generation] })) {
      if (!(entry.value instanceof Uint8Array)) return undefined;
      parts.push(entry.value);
    }
    if (parts.length !== head.chunks) return undefined;
    const payload = concatBytes(parts);
    if (payload.byteLength !== head.bytes || (await sha256Hex(payload)) !== head.sha256) return undefined;
    try {
      return decodeIndex(await decompress(payload));
    } catch {
      // Damaged despite its checksum (or written by a broken writer): rebuilt, never trusted.
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

/** Whether a stored head has the shape this schema writes (anything else is ignored). */
function validHead(head: unknown): head is Head {
  if (typeof head !== "object" || head === null) return false;
  const h = head as Record<string, unknown>;
  return typeof h.etag === "string" && typeof h.size === "number" && typeof h.generation === "string" &&
    typeof h.chunks === "number" && typeof h.bytes === "number" && typeof h.sha256 === "string";
}

function text(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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
