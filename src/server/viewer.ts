/**
 * The viewer page served at `/`: pick a video key, scrub through its frames,
 * and see what each request cost (storage bytes, cache bytes, latency).
 * Plain HTML and script, no build step; it uses only the public routes.
 *
 * @module
 */

/** The page. */
export const VIEWER_HTML: string = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>seekframe viewer</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #222; }
  form, .row { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin-bottom: .75rem; }
  input[type=text], input[type=password] { width: 22rem; padding: .3rem; }
  input[type=range] { width: min(60rem, 90vw); }
  #frame { display: block; max-width: 90vw; background: #eee; min-height: 4rem; image-rendering: pixelated; }
  #stats, #info { color: #555; font-family: ui-monospace, monospace; }
  #error { color: #b00; }
</style>
</head>
<body>
<h1>seekframe</h1>
<form id="open">
  <label>video key <input id="key" type="text" required placeholder="sample.mp4" value="sample.mp4"></label>
  <label>token <input id="token" type="password" placeholder="(if the sidecar needs one)"></label>
  <button>open</button>
</form>
<div id="info"></div>
<div class="row">
  <input id="scrub" type="range" min="0" max="0" value="0" disabled>
  <span>frame <output id="index">–</output></span>
</div>
<img id="frame" alt="the selected frame">
<p id="stats"></p>
<p id="error"></p>
<script type="module">
const $ = (id) => document.getElementById(id);
let key = "", wanted = -1, busy = false;

function headers() {
  const token = $("token").value;
  return token ? { authorization: "Bearer " + token } : {};
}

async function call(path) {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) {
    const body = await res.json().catch(() => ({ error: res.statusText }));
    throw new Error(res.status + ": " + body.error);
  }
  return res;
}

$("open").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("error").textContent = "";
  try {
    key = $("key").value.trim();
    const info = await (await call("/v1/info?key=" + encodeURIComponent(key))).json();
    $("info").textContent = info.codec + " " + info.width + "×" + info.height + ", " + info.frameCount +
      " frames, " + info.fps.toFixed(3) + " fps, " + info.duration.toFixed(2) + " s, " + info.size + " bytes";
    $("scrub").max = String(info.frameCount - 1);
    $("scrub").value = "0";
    $("scrub").disabled = false;
    show(0);
  } catch (err) {
    $("error").textContent = err.message;
  }
});

$("scrub").addEventListener("input", () => show(Number($("scrub").value)));

// Only the latest position matters: while a frame loads, later moves replace each other.
async function show(n) {
  wanted = n;
  $("index").textContent = String(n);
  if (busy) return;
  busy = true;
  try {
    while (true) {
      const n = wanted;
      const started = performance.now();
      const res = await call("/v1/frame?format=png&key=" + encodeURIComponent(key) + "&index=" + n);
      const blob = await res.blob();
      const ms = performance.now() - started;
      const img = $("frame");
      const url = URL.createObjectURL(blob);
      await new Promise((ok, fail) => { img.onload = ok; img.onerror = fail; img.src = url; });
      img.dataset.index = String(n);
      $("stats").textContent = "frame " + n + ": " + res.headers.get("x-storage-requests") + " storage requests, " +
        res.headers.get("x-storage-bytes") + " bytes from storage, " + res.headers.get("x-cache-bytes") +
        " bytes from cache, " + ms.toFixed(0) + " ms";
      if (wanted === n) break;
    }
    $("error").textContent = "";
  } catch (err) {
    $("error").textContent = err.message;
  } finally {
    busy = false;
  }
}
</script>
</body>
</html>
`;
