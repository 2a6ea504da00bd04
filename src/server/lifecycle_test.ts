import assert from "node:assert/strict";
import { drainable } from "./lifecycle.ts";

Deno.test("drainable counts a request until its body is sent or cancelled, or its handler failed", async () => {
  const served = drainable((req: Request) =>
    req.url.endsWith("/fail") ? Promise.reject(new Error("no")) : Promise.resolve(new Response("x".repeat(200_000)))
  );
  const a = await served.handler(new Request("http://x/a"));
  const b = await served.handler(new Request("http://x/b"));
  assert.equal(served.inflight, 2);
  assert.equal(await served.drained(20), false, "bodies unsent: not drained");
  assert.equal((await a.text()).length, 200_000);
  assert.equal(served.inflight, 1);
  const waiting = served.drained(5_000);
  await b.body!.cancel();
  assert.equal(await waiting, true, "a cancelled body counts as done");
  await assert.rejects(() => served.handler(new Request("http://x/fail")), /no/);
  assert.equal(served.inflight, 0);
  const empty = drainable(() => Promise.resolve(new Response(null, { status: 304 })));
  await empty.handler(new Request("http://x/"));
  assert.equal(empty.inflight, 0, "no body, nothing to wait for");
});
