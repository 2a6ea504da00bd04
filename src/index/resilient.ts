/**
 * An {@link IndexStore} wrapper that never lets the index store's failures
 * reach frame requests: when it fails (or does not answer within a bound),
 * the frame store builds the index in memory and serves, the outage is logged
 * once and counted, and the index store is asked again after a short pause,
 * so it is used again as soon as it answers.
 *
 * @module
 */

import type { IndexStore, ObjectVersion, StoredIndex } from "./index_store.ts";
import type { ProbeResult } from "./model.ts";

/** Settings of {@link ResilientIndexStore}. */
export interface ResilientOptions {
  /** An operation not answered in this many ms counts as a failure. Default 3000. */
  timeoutMs?: number;
  /** After a failure, the store is not asked again for this many ms. Default 1000. */
  retryMs?: number;
  /** Where outages are reported. Default `console.warn`. */
  log?: (message: string) => void;
}

/** Counters of {@link ResilientIndexStore}. */
export interface IndexStoreStats {
  /** Operations that failed or timed out. */
  failures: number;
  /** Operations skipped because the store was failing. */
  skipped: number;
  /** Whether the store is currently considered down. */
  down: boolean;
}

/** Degrades an index store's failures to "no index stored" (see the module doc). */
export class ResilientIndexStore implements IndexStore {
  /** Live counters. */
  readonly stats: IndexStoreStats = { failures: 0, skipped: 0, down: false };
  readonly #inner: IndexStore;
  readonly #timeoutMs: number;
  readonly #retryMs: number;
  readonly #log: (message: string) => void;
  #retryAt = 0;

  /**
   * @param inner The index store to guard.
   * @param options Timeouts and logging.
   */
  constructor(inner: IndexStore, options: ResilientOptions = {}) {
    this.#inner = inner;
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#retryMs = options.retryMs ?? 1000;
    this.#log = options.log ?? ((m) => console.warn(m));
  }

  /** The inner store's answer, or undefined while it fails. */
  latest(location: string): Promise<StoredIndex | undefined> {
    return this.#call(() => this.#inner.latest(location), undefined);
  }

  /** The inner store's answer, or undefined while it fails. */
  get(location: string, version: ObjectVersion): Promise<ProbeResult | undefined> {
    return this.#call(() => this.#inner.get(location, version), undefined);
  }

  /** Stores through the inner store; while it fails, the index stays in memory only. */
  put(location: string, version: ObjectVersion, probe: ProbeResult): Promise<ProbeResult> {
    return this.#call(() => this.#inner.put(location, version, probe), probe);
  }

  /** Closes the inner store. */
  async close(): Promise<void> {
    await this.#inner.close();
  }

  async #call<T>(op: () => Promise<T>, fallback: T): Promise<T> {
    if (this.stats.down && Date.now() < this.#retryAt) {
      this.stats.skipped++;
      return fallback;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    try {
      const value = await Promise.race([op(), timeout]);
      if (this.stats.down) {
        this.stats.down = false;
        this.#log("seekframe: the index store answers again; indexes persist again");
      }
      return value;
    } catch (err) {
      this.stats.failures++;
      this.#retryAt = Date.now() + this.#retryMs;
      if (!this.stats.down) {
        this.stats.down = true;
        this.#log(
          `seekframe: the index store failed (${err instanceof Error ? err.message : err}); ` +
            "building indexes in memory until it answers",
        );
      }
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }
}
