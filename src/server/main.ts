/**
 * The sidecar entry for `deno serve`: serves frames from the bucket or folder
 * the environment names (see {@link configFromEnv}). `deno serve` picks the
 * port (`--port`, default 8000); `seekframe serve` (the CLI) reads `PORT`.
 *
 * @module
 */

import { type FrameStore, openFrameStore } from "../store.ts";
import { createHandler } from "./app.ts";
import { configFromEnv } from "./config.ts";

const config = configFromEnv();
const store: FrameStore = await openFrameStore(config.store);
console.log(`seekframe serving ${store.description}${config.server.token ? " (bearer token required)" : ""}`);

/** The `deno serve` handler. */
const server: Deno.ServeDefaultExport = { fetch: createHandler(store, config.server) };
export default server;
