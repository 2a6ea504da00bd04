/**
 * The sidecar entry for `deno serve` (`deno task serve`): serves frames from
 * the bucket or folder the environment names (see {@link configFromEnv}).
 *
 * @module
 */

import { type FrameStore, openFrameStore } from "../store.ts";
import { createHandler } from "./app.ts";
import { configFromEnv } from "./config.ts";

const store: FrameStore = await openFrameStore(configFromEnv());
console.log(`seekframe serving ${store.description}`);

/** The `deno serve` handler. */
const server: Deno.ServeDefaultExport = { fetch: createHandler(store) };
export default server;
