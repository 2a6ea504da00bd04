/**
 * Throwaway server processes for the tests (MinIO, denokv): started on a free
 * loopback port with a temporary data folder, polled until ready, and stopped
 * with the folder removed.
 *
 * @module
 */

/** A free TCP port on 127.0.0.1. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** How to run a server and tell when it is ready. */
export interface ServerSpec {
  /** Name for error messages. */
  name: string;
  /** The executable. */
  binary: string;
  /** Its arguments. */
  args: string[];
  /** Its environment (added to this process's). */
  env: Record<string, string>;
  /** Its data folder, removed on stop. */
  dir: string;
  /** Resolves true once the server answers. */
  ready: () => Promise<boolean>;
}

/** Starts the server and waits up to 30 s for it; returns how to stop it. */
export async function startServer(spec: ServerSpec): Promise<() => Promise<void>> {
  const child = new Deno.Command(spec.binary, { args: spec.args, env: spec.env, stdout: "null", stderr: "piped" })
    .spawn();
  // Read the log all along, so a chatty server never blocks on a full pipe.
  const log = new Response(child.stderr).text();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
    await log.catch(() => {});
    await Deno.remove(spec.dir, { recursive: true }).catch(() => {});
  };
  const deadline = Date.now() + 30_000;
  while (!(await spec.ready().catch(() => false))) {
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${spec.name} did not become ready in 30 s:\n${await log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return stop;
}

/** A server that can be stopped and started again with the same port and data (for fault tests). */
export interface RestartableServer {
  /** Starts it and waits until it answers. */
  start(): Promise<void>;
  /** Stops it (SIGTERM, or SIGKILL with `kill`), keeping its data. */
  stop(kill?: boolean): Promise<void>;
  /** Stops it and removes its data folder. */
  dispose(): Promise<void>;
}

/** A server like {@link startServer}'s, that {@link RestartableServer.start} starts. */
export function restartableServer(spec: ServerSpec): RestartableServer {
  let child: Deno.ChildProcess | undefined;
  let log: Promise<string> | undefined;
  const stop = async (kill = false) => {
    if (!child) return;
    try {
      child.kill(kill ? "SIGKILL" : "SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
    await log?.catch(() => {});
    child = undefined;
  };
  return {
    async start() {
      child = new Deno.Command(spec.binary, { args: spec.args, env: spec.env, stdout: "null", stderr: "piped" })
        .spawn();
      log = new Response(child.stderr).text();
      const deadline = Date.now() + 30_000;
      while (!(await spec.ready().catch(() => false))) {
        if (Date.now() > deadline) {
          await stop(true);
          throw new Error(`${spec.name} did not become ready in 30 s:\n${await log}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop,
    async dispose() {
      await stop(true);
      await Deno.remove(spec.dir, { recursive: true }).catch(() => {});
    },
  };
}
