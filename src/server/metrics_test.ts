import assert from "node:assert/strict";
import type { StoreStats } from "../frame_store.ts";
import { Metrics } from "./metrics.ts";

const STATS: StoreStats = {
  storage: { requests: 1, bytesFetched: 2, retries: 3 },
  cache: { hits: 4, diskHits: 5, misses: 6, bytesFromCache: 7, bytes: 8, evictions: 9 },
  frames: 10,
  decodedFrames: 11,
  skippedPackets: 0,
  queueDepth: 12,
  workerHeapBytes: [41_943_040, 0],
  workersRecycled: 1,
};

Deno.test("Metrics counts requests per route and status and renders a latency histogram per route", () => {
  const metrics = new Metrics();
  metrics.observe("/v1/frame", 200, 0.012);
  metrics.observe("/v1/frame", 200, 0.01);
  metrics.observe("/v1/frame", 404, 20);
  const lines = metrics.render(STATS, 2).split("\n");
  assert.ok(lines.includes('seekframe_http_requests_total{route="/v1/frame",status="200"} 2'));
  assert.ok(lines.includes('seekframe_http_requests_total{route="/v1/frame",status="404"} 1'));
  const buckets = lines.filter((l) => l.startsWith("seekframe_http_request_duration_seconds_bucket"));
  assert.deepEqual(
    buckets.map((l) => l.replace('seekframe_http_request_duration_seconds_bucket{route="/v1/frame",', "")),
    [
      'le="0.005"} 0',
      'le="0.01"} 1',
      'le="0.025"} 2',
      'le="0.05"} 2',
      'le="0.1"} 2',
      'le="0.25"} 2',
      'le="0.5"} 2',
      'le="1"} 2',
      'le="2.5"} 2',
      'le="5"} 2',
      'le="10"} 2',
      'le="+Inf"} 3',
    ],
  );
  assert.ok(lines.includes('seekframe_http_request_duration_seconds_sum{route="/v1/frame"} 20.022'));
  assert.ok(lines.includes('seekframe_http_request_duration_seconds_count{route="/v1/frame"} 3'));
});

Deno.test("Metrics adds up frames served per format and shows the store's counters and gauges", () => {
  const metrics = new Metrics();
  metrics.framesServed("png", 1);
  metrics.framesServed("npy", 4);
  metrics.framesServed("png", 2);
  const text = metrics.render(STATS, 2);
  assert.ok(text.endsWith("\n"));
  assert.match(text, /^seekframe_worker_heap_bytes\{worker="0"\} 41943040$/m);
  assert.match(text, /^seekframe_worker_heap_bytes\{worker="1"\} 0$/m);
  assert.match(text, /^seekframe_workers_recycled_total 1$/m);
  const lines = text.split("\n");
  for (
    const line of [
      "# TYPE seekframe_http_requests_total counter",
      'seekframe_frames_served_total{format="png"} 3',
      'seekframe_frames_served_total{format="npy"} 4',
      "seekframe_frames_decoded_total 11",
      "seekframe_storage_requests_total 1",
      "seekframe_storage_bytes_total 2",
      "seekframe_storage_retries_total 3",
      'seekframe_cache_hits_total{tier="memory"} 4',
      'seekframe_cache_hits_total{tier="disk"} 5',
      "seekframe_cache_misses_total 6",
      "# TYPE seekframe_cache_bytes gauge",
      "seekframe_cache_bytes 8",
      "seekframe_queue_depth 12",
      "seekframe_inflight_requests 2",
      "# TYPE seekframe_http_request_duration_seconds histogram",
    ]
  ) {
    assert.ok(lines.includes(line), `missing ${line}`);
  }
});
