/**
 * The layering the README promises, checked on the import statements of
 * every source file: data flows storage → cache → container/index → decoder
 * → encoders → server, and no stage reaches past its neighbours.
 */

import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL(".", import.meta.url));
const ROOT = join(SRC, "..");

/** Every module under src/ (tests excluded) and the repository paths it imports. */
async function imports(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
        const text = await Deno.readTextFile(path);
        // Statements only: `import … from "x"` / `export … from "x"` at the start of a line (not in JSDoc).
        const specs = [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+"([^"]+)";/gms)].map((m) => m[1]);
        const local = specs.filter((s) => s.startsWith(".")).map((s) => relative(ROOT, join(dirname(path), s)));
        out.set(relative(ROOT, path), local);
      }
    }
  };
  await walk(SRC);
  return out;
}

const graph = await imports();

function offenders(from: (file: string) => boolean, to: (target: string) => boolean): string[] {
  return [...graph].flatMap(([file, targets]) =>
    from(file) ? targets.filter(to).map((target) => `${file} imports ${target}`) : []
  );
}

Deno.test("the decoder layer knows nothing of storage", () => {
  assert.deepEqual(offenders((f) => f.startsWith("src/decode/"), (t) => t.startsWith("src/storage/")), []);
});

Deno.test("the server knows nothing of decoding, storage internals or libav", () => {
  assert.deepEqual(
    offenders(
      (f) => f.startsWith("src/server/"),
      (t) => t.startsWith("src/decode/") || t.startsWith("src/storage/") || t.startsWith("vendor/"),
    ),
    [],
  );
});

Deno.test("only the decoder layer loads libav.js", () => {
  assert.deepEqual(offenders((f) => !f.startsWith("src/decode/"), (t) => t.startsWith("vendor/libav")), []);
});

Deno.test("containers and the index are pure: no storage, no decoder, no server", () => {
  const pure = (f: string) => f.startsWith("src/container/") || f.startsWith("src/index/");
  assert.deepEqual(
    offenders(pure, (t) => t.startsWith("src/storage/") || t.startsWith("src/server/") || t.startsWith("vendor/")),
    [],
  );
  // Types shared with the decoder's messages are allowed; its code is not.
  assert.deepEqual(
    offenders(pure, (t) => t.startsWith("src/decode/") && t !== "src/decode/protocol.ts"),
    [],
  );
});

Deno.test("the walk saw the tree", () => {
  assert.ok(graph.has("src/frame_store.ts"));
  assert.ok(graph.get("src/decode/libav.ts")!.some((t) => t.startsWith("vendor/libav/")), "imports are parsed");
});
