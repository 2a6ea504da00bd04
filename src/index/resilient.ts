/**
 * An {@link IndexStore} wrapper that never lets the index store's failures
 * reach frame requests. When an operation fails (or does not answer within
 * a bound), the outage is logged once and counted, and until the store
 * answers again every operation is skipped at once: the frame store builds
 * indexes in memory and serves. Meanwhile one probe at a time asks the store
 * whether it is back (Deno's KV Connect client retries a dead server without
 * end, so a probe may simply stay pending until it returns); when it
 * answers, the store is used again.
 *
 * @module
 */

import type { IndexStore, ObjectVersion, StoredIndex } from "./index_store.ts";
import type { ProbeResult } from "./model.ts";

/** Settings of {@link ResilientIndexStore}. */
export interface ResilientOptions {
  /** An operation not answered in this many ms counts as a failure. Default 3000. */
  timeoutMs?: number;
  /** Pause between probes of a store that fails fast (ms). Default 1000. */
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

/** A location no index is stored under: probes ask for it. */
const PROBE_LOCATION = "seekframe:probe";

/** Degrades an index store's failures to "no index stored" (see the module doc). */
export class ResilientIndexStore implements IndexStore {
  /** Live counters. */
  readonly stats: IndexStoreStats = { failures: 0, skipped: 0, down: false };
  readonly #inner: IndexStore;
  readonly #timeoutMs: number;
  readonly #retryMs: number;
  readonly #log: (message: string) => void;
  #probing = false;
  #closed = false;
  #timer?: ReturnType<typeof setTimeout>;

  /**
   * Wraps an index store.
   *
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

  /** The inner store's description. */
  get description(): string | undefined {
    return this.#inner.description;
  }

  /** Stops probing and closes the inner store. */

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#inner.close();
  }

  async #call<T>(op: () => Promise<T>, fallback: T): Promise<T> {
    if (this.stats.down) {
      this.stats.skipped++;
      return fallback;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    try {
      return await Promise.race([op(), timeout]);
    } catch (err) {
      this.stats.failures++;
      if (!this.stats.down) {
        this.stats.down = true;
        this.#log(
          `seekframe: the index store failed (${err instanceof Error ? err.message : err}); ` +
            "building indexes in memory until it answers",
        );
        this.#probe();
      }
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Asks the store whether it is back: once now, then every `retryMs` while it fails fast. */
  #probe(): void {
    if (this.#probing || this.#closed) return;
    this.#probing = true;
    Promise.resolve().then(() => this.#inner.latest(PROBE_LOCATION)).then(
      () => {
        this.#probing = false;
        if (this.#closed || !this.stats.down) return;
        this.stats.down = false;
        this.#log("seekframe: the index store answers again; indexes persist again");
      },
      () => {
        this.#probing = false;
        if (this.#closed) return;
        this.#timer = setTimeout(() => this.#probe(), this.#retryMs);
        Deno.unrefTimer(this.#timer);
      },
    );
  }
}
