/**
 * Where frame indexes persist between processes: the {@link IndexStore}
 * interface, and {@link MemoryIndexStore}, which keeps them for the life of
 * the process. `KvIndexStore` (Deno KV, `./kv.ts`) is the persistent one;
 * users can plug in their own (Redis, SQL, an object per index) with
 * `openFrameStore({ indexStore })`.
 *
 * An index belongs to one version of one object: `location` names the object
 * independent of its version, and {@link ObjectVersion} the version.
 *
 * @module
 */

import type { ProbeResult } from "./model.ts";

/** The version of an object an index belongs to. */
export interface ObjectVersion {
  /** ETag (or file tag). */
  etag: string;
  /** Size in bytes. */
  size: number;
}

/** A stored index and the object version it belongs to. */
export interface StoredIndex {
  /** The version indexed. */
  version: ObjectVersion;
  /** The index. */
  probe: ProbeResult;
}

/**
 * Persistent frame indexes, one current entry per object location. Methods
 * throw `IndexStoreError` when the store itself fails; a frame store then
 * builds indexes in memory until the index store answers again.
 */
export interface IndexStore {
  /** The latest indexed version of the object at `location` and its index, if any. */
  latest(location: string): Promise<StoredIndex | undefined>;
  /** The stored index of `location` at exactly `version`, if any. */
  get(location: string, version: ObjectVersion): Promise<ProbeResult | undefined>;
  /**
   * Stores the index of `location` at `version`, replacing older versions.
   * If another writer stored the same version meanwhile, its copy may be
   * kept. Returns the index now stored for that version.
   */
  put(location: string, version: ObjectVersion, probe: ProbeResult): Promise<ProbeResult>;
  /** Releases the store. */
  close(): void | Promise<void>;
  /** Where the indexes are kept, for people (e.g. `Deno KV file ./index.kv`). */
  readonly description?: string;
}

/**
 * Indexes in memory, for the life of the process (a bounded number of
 * locations, least recently used dropped first).
 *
 * @example
 * ```ts
 * import { MemoryIndexStore, openFrameStore } from "@seekframe/seekframe";
 *
 * const store = await openFrameStore({ dir: "./videos", indexStore: new MemoryIndexStore() });
 * await store.close();
 * ```
 */
export class MemoryIndexStore implements IndexStore {
  readonly #entries = new Map<string, StoredIndex>();
  readonly #max: number;
  /** Where the indexes are kept. */
  readonly description = "memory (each process builds its own)";

  /**
   * Creates an empty store.
   *
   * @param maxEntries Locations kept. Default 10,000.
   */
  constructor(maxEntries = 10_000) {
    this.#max = maxEntries;
  }

  /** The latest index stored for `location`. */
  latest(location: string): Promise<StoredIndex | undefined> {
    const entry = this.#entries.get(location);
    if (entry) {
      this.#entries.delete(location);
      this.#entries.set(location, entry);
    }
    return Promise.resolve(entry);
  }

  /** The index of `location` at `version`. */
  async get(location: string, version: ObjectVersion): Promise<ProbeResult | undefined> {
    const entry = await this.latest(location);
    return entry && sameVersion(entry.version, version) ? entry.probe : undefined;
  }

  /** Stores the index, replacing older versions of `location`. */
  put(location: string, version: ObjectVersion, probe: ProbeResult): Promise<ProbeResult> {
    this.#entries.delete(location);
    this.#entries.set(location, { version: { etag: version.etag, size: version.size }, probe });
    while (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    return Promise.resolve(probe);
  }

  /** Drops every entry. */
  close(): void {
    this.#entries.clear();
  }
}

/** Whether two object versions are the same. */
export function sameVersion(a: ObjectVersion, b: ObjectVersion): boolean {
  return a.etag === b.etag && a.size === b.size;
}
