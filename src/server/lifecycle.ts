/**
 * The sidecar's life: requests in flight are counted so a shutdown can let
 * them finish (within a bound), and SIGINT/SIGTERM start that shutdown (a
 * second signal exits at once). Used by `seekframe serve` and the
 * `deno serve` entry alike.
 *
 * @module
 */

import { whenSent } from "./http.ts";

/** Most time a shutdown waits for requests in flight, in ms. */
export const SHUTDOWN_MS = 10_000;

/** A handler whose requests in flight can be waited for. */
export interface Drainable<A extends unknown[]> {
  /** The wrapped handler. */
  handler: (req: Request, ...rest: A) => Promise<Response>;
  /** Requests being served. */
  readonly inflight: number;
  /** Resolves once no request is in flight, or after `timeoutMs`; true if they all finished. */
  drained(timeoutMs: number): Promise<boolean>;
}

/**
 * Counts the requests of `handler` in flight, each until its response body
 * has been sent.
 *
 * @example
 * ```ts
 * import { drainable } from "./lifecycle.ts";
 *
 * const served = drainable((_req: Request) => Promise.resolve(new Response("ok")));
 * const res = await served.handler(new Request("http://localhost/"));
 * console.log(served.inflight); // 1: its body is not sent yet
 * await res.text();
 * console.log(await served.drained(1000)); // true
 * ```
 */
export function drainable<A extends unknown[]>(
  handler: (req: Request, ...rest: A) => Promise<Response>,
): Drainable<A> {
  let inflight = 0;
  let idle: (() => void)[] = [];
  return {
    get inflight() {
      return inflight;
    },
    async handler(req, ...rest) {
      inflight++;
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        if (--inflight === 0) {
          for (const wake of idle) wake();
          idle = [];
        }
      };
      let res: Response;
      try {
        res = await handler(req, ...rest);
      } catch (err) {
        end();
        throw err;
      }
      if (!res.body) {
        end();
        return res;
      }
      return new Response(whenSent(res.body, end), res);
    },
    drained(timeoutMs) {
      if (inflight === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        idle.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}

/**
 * Runs `stop` on the first SIGINT or SIGTERM; a second one exits at once
 * (code 130). Returns a function that removes the listeners.
 */
export function onStopSignal(stop: (signal: Deno.Signal) => void): () => void {
  let stopping = false;
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const listener = (signal: Deno.Signal) => () => {
    if (stopping) Deno.exit(130);
    stopping = true;
    stop(signal);
  };
  const listeners = signals.map((s) => [s, listener(s)] as const);
  for (const [s, l] of listeners) Deno.addSignalListener(s, l);
  return () => {
    for (const [s, l] of listeners) Deno.removeSignalListener(s, l);
  };
}

/** Whether an address is the loopback interface (127.0.0.0/8 or ::1). */
export function isLoopback(hostname: string): boolean {
  return /^127\./.test(hostname) || hostname === "::1" || hostname === "localhost" ||
    hostname.startsWith("::ffff:127.");
}
