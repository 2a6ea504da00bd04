/**
 * Fills in the nginx template (`deploy/nginx.conf`): `{{LISTEN}}` becomes the
 * listening address and each line holding `{{SERVER}}` is repeated once per
 * sidecar.
 *
 * ```sh
 * deno run --allow-read deploy/render.ts --listen 8080 10.0.0.11:8000 10.0.0.12:8000 > /srv/seekframe-lb/nginx.conf
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";

/** What the template needs. */
export interface NginxSettings {
  /** Where nginx listens: a port or `address:port`. */
  listen: string;
  /** The sidecars, as `host:port`. */
  servers: string[];
}

/** The template with `settings` filled in; throws on a missing value or an unfilled placeholder. */
export function renderNginxConf(template: string, { listen, servers }: NginxSettings): string {
  if (!listen.trim()) throw new Error("give the address nginx listens on (--listen)");
  if (!servers.length) throw new Error("give at least one sidecar (host:port)");
  for (const s of servers) {
    if (!/^[^\s;{}]+:\d+$/.test(s)) throw new Error(`${JSON.stringify(s)} is not host:port`);
  }
  const lines = template.split("\n").flatMap((line) =>
    line.includes("{{SERVER}}") && !line.trimStart().startsWith("#")
      ? servers.map((s) => line.replaceAll("{{SERVER}}", s))
      : [line]
  );
  const out = lines.map((line) => line.trimStart().startsWith("#") ? line : line.replaceAll("{{LISTEN}}", listen))
    .join("\n");
  const left = out.split("\n").find((line) => !line.trimStart().startsWith("#") && /\{\{\w+\}\}/.test(line));
  if (left) throw new Error(`unfilled placeholder in: ${left.trim()}`);
  return out;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { listen: { type: "string" }, template: { type: "string" } },
    allowPositionals: true,
  });
  try {
    const template = await Deno.readTextFile(values.template ?? new URL("./nginx.conf", import.meta.url));
    console.log(renderNginxConf(template, { listen: values.listen ?? "", servers: positionals }));
  } catch (err) {
    console.error(`render: ${err instanceof Error ? err.message : err}`);
    console.error("usage: deno run --allow-read deploy/render.ts --listen PORT HOST:PORT... [--template nginx.conf]");
    Deno.exit(1);
  }
}
