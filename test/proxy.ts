/**
 * A small HTTP proxy in front of MinIO for tests and benches: it adds a delay
 * per request (so round trips show in timings) and can fail chosen requests
 * with a status or a connection reset (to test retries). Requests are passed
 * through byte for byte with their Host header, so S3 signatures still verify.
 *
 * @module
 */

import http from "node:http";

/** What the proxy does to requests. */
export interface ProxyBehaviour {
  /** Milliseconds to wait before forwarding each request. Default 0. */
  latencyMs?: number;
  /**
   * Called for each request; return a status to answer with instead of
   * forwarding, `"reset"` to drop the connection, `"truncate"` to forward it
   * but cut the response body off halfway (headers promise all of it),
   * `"stall"` to never answer, or undefined to forward.
   */
  fault?: (
    req: { method: string; url: string; range?: string; n: number },
  ) => number | "reset" | "truncate" | "stall" | undefined;
}

/** One request the proxy saw (the newest {@link LOG_LIMIT} are kept). */
export interface ProxyRequest {
  /** 1 for the first request the proxy saw. */
  n: number;
  /** HTTP method. */
  method: string;
  /** The request target as received (path and query, still percent-encoded). */
  url: string;
  /** The Range header, if any. */
  range?: string;
  /** `Date.now()` when it arrived. */
  at: number;
}

/** How many requests {@link Proxy.log} keeps. */
export const LOG_LIMIT = 50_000;

/** A running proxy. */
export interface Proxy {
  /** `http://127.0.0.1:PORT`. */
  endpoint: string;
  /** Requests seen so far. */
  readonly requests: number;
  /** The requests seen so far, oldest first (at most {@link LOG_LIMIT}; `n` numbers them all). */
  readonly log: readonly ProxyRequest[];
  /** Change behaviour while running. */
  behaviour: ProxyBehaviour;
  /** Stops the proxy. */
  close(): Promise<void>;
}

/** Starts a proxy to `target` (e.g. MinIO's endpoint) on a free loopback port. */
export async function startProxy(target: string, behaviour: ProxyBehaviour = {}): Promise<Proxy> {
  const upstream = new URL(target);
  let n = 0;
  const log: ProxyRequest[] = [];
  const state = { behaviour };
  const stalled = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const count = ++n;
    log.push({ n: count, method: req.method ?? "", url: req.url ?? "", range: req.headers.range, at: Date.now() });
    if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
    const fault = state.behaviour.fault?.({
      method: req.method ?? "",
      url: req.url ?? "",
      range: req.headers.range,
      n: count,
    });
    const forward = () => {
      if (fault === "reset") {
        req.socket.destroy();
        return;
      }
      if (fault === "stall") {
        req.resume();
        stalled.add(res);
        return;
      }
      if (typeof fault === "number") {
        req.resume();
        res.writeHead(fault, { "content-type": "application/xml" });
        res.end(`<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>injected</Message></Error>`);
        return;
      }
      const out = http.request({
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (fault !== "truncate") {
          up.pipe(res);
          return;
        }
        // Half the promised body, then the connection goes.
        const half = Math.floor(Number(up.headers["content-length"] ?? 0) / 2);
        let sent = 0;
        up.on("data", (chunk: Uint8Array) => {
          if (sent >= half) return;
          const part = chunk.subarray(0, Math.min(chunk.byteLength, half - sent));
          sent += part.byteLength;
          res.write(part);
          if (sent >= half) {
            up.destroy();
            res.socket?.destroy();
          }
        });
      });
      out.on("error", () => res.destroy());
      req.pipe(out);
    };
    const delay = state.behaviour.latencyMs ?? 0;
    if (delay > 0) setTimeout(forward, delay);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return n;
    },
    log,
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(b: ProxyBehaviour) {
      state.behaviour = b;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of stalled) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
