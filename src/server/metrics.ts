/**
 * Prometheus metrics of the sidecar: request counters, a latency histogram,
 * and gauges read from the store at scrape time. Rendered in the text
 * exposition format (version 0.0.4).
 *
 * @module
 */

import type { StoreStats } from "../frame_store.ts";

/** Latency histogram bucket bounds in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Counters the request handler updates.
 *
 * @example
 * ```ts
 * import { openFrameStore } from "@seekframe/seekframe";
 * import { Metrics } from "./metrics.ts";
 *
 * await using store = await openFrameStore({ dir: "./videos" });
 * const metrics = new Metrics();
 * metrics.observe("/v1/frame", 200, 0.012);
 * console.log(metrics.render(store.stats, 0));
 * ```
 */
export class Metrics {
  readonly #requests = new Map<string, number>();
  readonly #frames = new Map<string, number>();
  readonly #latency = new Map<string, { buckets: number[]; sum: number; count: number }>();

  /** Records one finished request. */
  observe(route: string, status: number, seconds: number): void {
    const key = `route="${route}",status="${status}"`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    let h = this.#latency.get(route);
    if (!h) this.#latency.set(route, h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 });
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.buckets[i]++;
    });
    h.sum += seconds;
    h.count++;
  }

  /** Records frames sent in a format. */
  framesServed(format: string, n: number): void {
    this.#frames.set(format, (this.#frames.get(format) ?? 0) + n);
  }

  /** The exposition text. */
  render(stats: StoreStats, inflight: number, heldBytes = 0): string {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, v] of samples) lines.push(`${name}${labels ? `{${labels}}` : ""} ${v}`);
    };
    metric("seekframe_http_requests_total", "counter", "HTTP requests by route and status.", [...this.#requests]);
    metric(
      "seekframe_frames_served_total",
      "counter",
      "Frames sent, by format.",
      [...this.#frames].map(([f, n]) => [`format="${f}"`, n]),
    );
    metric("seekframe_frames_decoded_total", "counter", "Frames the decoders produced.", [["", stats.decodedFrames]]);
    metric(
      "seekframe_packets_skipped_total",
      "counter",
      "Packets on the way to a frame not decoded, as no later picture needed them.",
      [["", stats.skippedPackets]],
    );
    metric("seekframe_storage_requests_total", "counter", "Requests sent to storage.", [["", stats.storage.requests]]);
    metric("seekframe_storage_bytes_total", "counter", "Bytes fetched from storage.", [[
      "",
      stats.storage.bytesFetched,
    ]]);
    metric("seekframe_storage_retries_total", "counter", "Storage requests retried.", [["", stats.storage.retries]]);
    metric("seekframe_cache_hits_total", "counter", "Block cache hits by tier.", [
      ['tier="memory"', stats.cache.hits],
      ['tier="disk"', stats.cache.diskHits],
    ]);
    metric("seekframe_cache_misses_total", "counter", "Block cache misses.", [["", stats.cache.misses]]);
    metric("seekframe_cache_bytes", "gauge", "Bytes held in the memory cache.", [["", stats.cache.bytes]]);
    metric("seekframe_queue_depth", "gauge", "Decoder jobs queued or running.", [["", stats.queueDepth]]);
    metric(
      "seekframe_worker_heap_bytes",
      "gauge",
      "Each decoder worker's wasm memory after its last job.",
      stats.workerHeapBytes.map((bytes, i) => [`worker="${i}"`, bytes]),
    );
    metric("seekframe_workers_recycled_total", "counter", "Workers replaced for their memory.", [[
      "",
      stats.workersRecycled,
    ]]);
    if (stats.indexStore) {
      const { failures, skipped, down } = stats.indexStore;
      metric("seekframe_index_store_up", "gauge", "1 while the index store answers; 0 during an outage.", [[
        "",
        down ? 0 : 1,
      ]]);
      metric("seekframe_index_store_failures_total", "counter", "Index store operations that failed or timed out.", [[
        "",
        failures,
      ]]);
      metric("seekframe_index_store_skipped_total", "counter", "Index store operations skipped during outages.", [[
        "",
        skipped,
      ]]);
    }
    metric("seekframe_inflight_requests", "gauge", "Frame requests being decoded.", [["", inflight]]);
    metric("seekframe_response_bytes_held", "gauge", "Bytes of frame responses not yet taken by their clients.", [[
      "",
      heldBytes,
    ]]);
    lines.push(
      "# HELP seekframe_http_request_duration_seconds Request latency by route.",
      "# TYPE seekframe_http_request_duration_seconds histogram",
    );
    for (const [route, h] of this.#latency) {
      BUCKETS.forEach((b, i) =>
        lines.push(`seekframe_http_request_duration_seconds_bucket{route="${route}",le="${b}"} ${h.buckets[i]}`)
      );
      lines.push(`seekframe_http_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${h.count}`);
      lines.push(`seekframe_http_request_duration_seconds_sum{route="${route}"} ${h.sum}`);
      lines.push(`seekframe_http_request_duration_seconds_count{route="${route}"} ${h.count}`);
    }
    return lines.join("\n") + "\n";
  }
}
