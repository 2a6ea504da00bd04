/**
 * The sidecar as a `deno serve` entry: serves frames from the bucket or folder
 * the environment names (see `configFromEnv` in `./config.ts`). `deno serve`
 * picks the port (`--port`, default 8000); `seekframe serve` (the CLI) reads
 * `PORT`. This module opens a store when it is loaded: import `./app.ts`
 * (the `./server` export) to embed the handler instead.
 *
 * ```sh
 * deno serve -A --unstable-kv --port 8000 src/server/serve.ts
 * ```
 *
 * @module
 */

import { openFrameStore } from "../frame_store.ts";
import { createHandler } from "./app.ts";
import { configFromEnv } from "./config.ts";

const config = configFromEnv();
const store = await openFrameStore(config.store);
console.log(`seekframe serving ${store.description}${config.server.token ? " (bearer token required)" : ""}`);

/** The `deno serve` handler. */
const server: Deno.ServeDefaultExport = { fetch: createHandler(store, config.server) };
export default server;
