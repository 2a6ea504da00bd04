/**
 * The sidecar as a `deno serve` entry: serves frames from the bucket or folder
 * the environment names (see `configFromEnv` in `./config.ts`). `deno serve`
 * picks the address and port (`--host`, `--port`; it listens on all
 * interfaces by default), so this entry answers only clients on this machine
 * unless `HOST` names another address to serve (e.g. `HOST=0.0.0.0` in a
 * container). SIGINT/SIGTERM let requests in flight finish (at most 10 s),
 * close the store and exit.
 *
 * This module opens a store when it is loaded: import `./app.ts` (the
 * `./server` export) to embed the handler instead.
 *
 * ```sh
 * deno serve -A --unstable-kv --host 127.0.0.1 --port 8000 src/server/serve.ts
 * ```
 *
 * @module
 */

import { openFrameStore } from "../frame_store.ts";
import { createHandler } from "./app.ts";
import { configFromEnv } from "./config.ts";
import { errorResponse, HttpError } from "./http.ts";
import { drainable, isLoopback, onStopSignal, SHUTDOWN_MS } from "./lifecycle.ts";

const config = configFromEnv();
const store = await openFrameStore(config.store);
const handler = createHandler(store, config.server);
const localOnly = isLoopback(config.host);
console.log(
  `seekframe serving ${store.description}${config.server.token ? " (bearer token required)" : ""}` +
    (localOnly ? "; answering clients on this machine only (set HOST to serve others)" : "") +
    `; indexes in ${store.indexDescription}`,
);

const served = drainable((req: Request, info: Deno.ServeHandlerInfo) => {
  const remote = info.remoteAddr as Deno.NetAddr;
  if (localOnly && remote.transport === "tcp" && !isLoopback(remote.hostname)) {
    return Promise.resolve(
      errorResponse(new HttpError(403, "this sidecar answers local clients only (HOST)", "forbidden")),
    );
  }
  return handler(req);
});

onStopSignal(async () => {
  // deno serve has stopped accepting; let what is in flight finish.
  await served.drained(SHUTDOWN_MS);
  await store.close();
  Deno.exit(0);
});

/** The `deno serve` handler. */
const server: Deno.ServeDefaultExport = { fetch: served.handler };
export default server;
