/**
 * The viewer page served at `/`: pick a video from the sidecar's listing, step
 * through its exact frames (scrubber with keyframe ticks, buttons, arrow keys),
 * and see what each frame request cost (storage requests, bytes from storage
 * and from the cache against the frame's lower bound, decode time), with the
 * browser's own playback beside it if wanted.
 *
 * One self-contained HTML document (style and script inline, no build step, no
 * library, nothing fetched from elsewhere); it uses only the public routes:
 * `/v1/list`, `/v1/info`, `/v1/frame` and `/v1/object`. The open video, frame,
 * format and width live in the URL's fragment (`#key=…&n=…`), so a reload or a
 * shared link restores them; a token, if the sidecar needs one, stays in the
 * tab's sessionStorage. `/?limit=N` sets the listing's page size.
 *
 * @module
 */

// The page's own script is plain JavaScript in this raw string: no backticks or
// dollar-brace sequences in it, since those would end or interpolate the literal.

/** The page. */
export const VIEWER_HTML: string = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>seekframe viewer</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<style>
  :root {
    --bg: #f3f4f7; --panel: #ffffff; --panel-2: #f5f6f9; --border: #dfe3e9; --text: #1a2030; --muted: #5d6879;
    --faint: #8b95a4; --accent: #2f62e9; --accent-ink: #ffffff; --accent-soft: rgba(47, 98, 233, .10);
    --cache: #0e9a82; --lower: #9aa3b1; --time: #d77a1f; --key: #e0a321; --danger: #c4321f;
    --danger-soft: #fdeeeb; --stage: #101318; --stage-ink: #c7ced8; --radius: 10px;
    --mono: ui-monospace, "SF Mono", "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  }
  @media (prefers-color-scheme: dark) {
    :root {
      --bg: #0d0f13; --panel: #161a21; --panel-2: #1d222b; --border: #2b313c; --text: #e6e9ef; --muted: #a1aab8;
      --faint: #6f7886; --accent: #7096ff; --accent-ink: #0a1024; --accent-soft: rgba(112, 150, 255, .15);
      --cache: #3cc4a8; --lower: #7c8594; --time: #f1a356; --key: #f2c14e; --danger: #ff806f;
      --danger-soft: rgba(255, 128, 111, .10); --stage: #07080b;
    }
  }
  * { box-sizing: border-box; }
  html { -webkit-text-size-adjust: 100%; }
  body {
    margin: 0; background: var(--bg); color: var(--text);
    font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  }
  h1, h2, h3, p { margin: 0; }
  [hidden] { display: none !important; }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  :focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }

  input[type=text], input[type=password], input[type=number], select {
    font: inherit; color: inherit; background: var(--panel-2); border: 1px solid var(--border);
    border-radius: 7px; height: 32px; padding: 0 10px; min-width: 0;
  }
  input::placeholder { color: var(--faint); }
  button, .button {
    font: inherit; font-weight: 500; height: 32px; padding: 0 12px; border-radius: 7px; border: 1px solid var(--border);
    background: var(--panel); color: var(--text); cursor: pointer; display: inline-flex; align-items: center;
    justify-content: center; gap: 6px; text-decoration: none; white-space: nowrap; user-select: none;
  }
  button:hover:not(:disabled), .button[href]:hover { background: var(--panel-2); border-color: var(--faint); }
  button:disabled, .button:not([href]) { opacity: .45; cursor: default; }
  .primary { background: var(--accent); color: var(--accent-ink); border-color: transparent; }
  .primary:hover:not(:disabled) { background: var(--accent); border-color: transparent; filter: brightness(1.08); }
  .check { display: inline-flex; align-items: center; gap: 6px; cursor: pointer; color: var(--muted); }
  .check input { margin: 0; accent-color: var(--accent); width: 15px; height: 15px; }
  kbd {
    font: 11px/1 var(--mono); padding: 2px 5px; border-radius: 4px; border: 1px solid rgba(160, 170, 185, .45);
    background: rgba(160, 170, 185, .12);
  }

  /* header */
  .top {
    display: flex; flex-wrap: wrap; align-items: center; gap: 8px 18px; padding: 10px 20px;
    background: var(--panel); border-bottom: 1px solid var(--border);
  }
  .brand { display: flex; align-items: center; gap: 10px; margin-right: auto; font-size: 16px; font-weight: 650; }
  .brand small { font-size: 13px; font-weight: 400; color: var(--muted); }
  .brand svg { color: var(--accent); flex: none; }
  .token { display: flex; align-items: center; gap: 8px; flex: 0 1 330px; min-width: 0; color: var(--muted); }
  .token input { flex: 1 1 auto; width: 100%; }
  .token.attention input { border-color: var(--danger); box-shadow: 0 0 0 3px var(--danger-soft); }

  /* layout */
  .layout {
    display: grid; gap: 16px; padding: 16px 20px 24px; max-width: 1720px; margin: 0 auto; align-items: start;
    grid-template-columns: 272px minmax(0, 1fr) 300px;
  }
  .panel { background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius); padding: 14px; min-width: 0; }
  .panel h2 { font-size: 12px; font-weight: 650; letter-spacing: .07em; text-transform: uppercase; color: var(--muted); }

  /* picker */
  .picker { position: sticky; top: 16px; display: flex; flex-direction: column; gap: 10px; max-height: calc(100vh - 88px); }
  .picker form { display: flex; flex-direction: column; gap: 6px; }
  .picker label[for=key] { font-size: 13px; color: var(--muted); }
  .inline { display: flex; gap: 6px; }
  .inline input { flex: 1 1 auto; width: 100%; }
  .list-head { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; }
  #list-status { font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
  #list-status.bad { color: var(--danger); }
  .list { list-style: none; margin: 0 -6px; padding: 0; overflow-y: auto; min-height: 0; flex: 1 1 auto; }
  .item {
    width: 100%; height: auto; min-height: 32px; padding: 5px 8px 5px 10px; border: 0; border-radius: 6px;
    background: transparent; display: flex; justify-content: space-between; gap: 10px; text-align: left; font-weight: 400;
    border-left: 3px solid transparent;
  }
  .item:hover:not(:disabled) { background: var(--panel-2); border-color: transparent; }
  .item[aria-current=true] { background: var(--accent-soft); border-left-color: var(--accent); font-weight: 600; }
  .item .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
  .item .dir { color: var(--faint); font-weight: 400; }
  .item .size { color: var(--faint); font-size: 12px; font-variant-numeric: tabular-nums; flex: none; font-weight: 400; }
  #more { width: 100%; flex: none; }

  /* viewer */
  .viewer { display: flex; flex-direction: column; gap: 12px; }
  .titlebar { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
  #title { font-size: 17px; font-weight: 650; overflow-wrap: anywhere; }
  #info { color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }
  .stage {
    position: relative; background: var(--stage); border-radius: 8px; min-height: min(300px, 56vh); padding: 14px;
    display: flex; flex-wrap: wrap; align-items: center; justify-content: center; gap: 14px; overflow: hidden;
  }
  .stage.actual { overflow: auto; align-items: flex-start; }
  .stage::before {
    content: ""; position: absolute; left: 0; top: 0; height: 2px; width: 30%; background: var(--accent);
    opacity: 0; pointer-events: none;
  }
  .stage[aria-busy=true]::before { animation: busy 1s .15s linear infinite; }
  @keyframes busy { from { left: -30%; opacity: 1; } to { left: 100%; opacity: 1; } }
  figure { margin: 0; display: flex; flex-direction: column; align-items: center; gap: 6px; min-width: 0; max-width: 100%; }
  figcaption { color: var(--stage-ink); font-size: 12px; text-align: center; font-variant-numeric: tabular-nums; }
  #frame { display: block; max-width: 100%; max-height: max(200px, calc(100vh - 380px)); width: auto; height: auto; }
  .stage.actual #frame { max-width: none; max-height: none; }
  .stage.both figure { flex: 1 1 280px; }
  #video { display: block; max-width: 100%; max-height: max(200px, calc(100vh - 380px)); background: #000; }
  .empty { color: var(--stage-ink); text-align: center; max-width: 430px; padding: 18px; }
  .empty h2 { color: #fff; font-size: 17px; font-weight: 600; margin-bottom: 6px; text-transform: none; letter-spacing: 0; }
  .keys { display: grid; grid-template-columns: auto auto; justify-content: center; gap: 6px 12px; margin: 16px 0 0; font-size: 13px; }
  .keys dt { text-align: right; white-space: nowrap; }
  .keys dd { margin: 0; text-align: left; color: #98a2b1; }
  body[data-state=error] #video-pane { display: none !important; }
  .empty svg { color: #5b6575; margin-bottom: 10px; }
  .error {
    background: var(--panel); color: var(--text); border-left: 4px solid var(--danger); border-radius: 8px;
    padding: 14px 16px; max-width: 540px; width: 100%; overflow-wrap: anywhere;
  }
  .error strong { display: block; color: var(--danger); margin-bottom: 4px; }
  .error .meta { margin-top: 6px; color: var(--muted); font-size: 12px; font-family: var(--mono); }

  .timeline { display: flex; flex-direction: column; gap: 8px; }
  .scrub-wrap { position: relative; padding-bottom: 9px; }
  #scrub { display: block; width: 100%; margin: 0; height: 22px; background: transparent; -webkit-appearance: none; appearance: none; --p: 0%; }
  #scrub::-webkit-slider-runnable-track {
    height: 6px; border-radius: 3px; background: linear-gradient(to right, var(--accent) var(--p), var(--border) var(--p));
  }
  #scrub::-webkit-slider-thumb {
    -webkit-appearance: none; width: 16px; height: 16px; margin-top: -5px; border-radius: 50%; background: var(--accent);
    border: 2px solid var(--panel); box-shadow: 0 0 0 1px var(--accent);
  }
  #scrub::-moz-range-track { height: 6px; border-radius: 3px; background: var(--border); }
  #scrub::-moz-range-progress { height: 6px; border-radius: 3px; background: var(--accent); }
  #scrub::-moz-range-thumb { width: 12px; height: 12px; border-radius: 50%; background: var(--accent); border: 2px solid var(--panel); }
  #scrub:disabled { opacity: .4; }
  #ticks { position: absolute; left: 0; right: 0; bottom: 0; height: 8px; pointer-events: none; }
  .tick { position: absolute; top: 0; width: 2px; height: 8px; margin-left: -1px; border-radius: 1px; background: var(--key); }
  .readout { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 20px; font-variant-numeric: tabular-nums; }
  .readout .label { color: var(--muted); font-size: 11px; font-weight: 600; letter-spacing: .06em; text-transform: uppercase; margin-right: 6px; }
  .readout .big { font-size: 20px; font-weight: 650; }
  .readout .of { color: var(--muted); }
  .readout .keyhint { color: var(--muted); font-size: 12px; margin-left: auto; }
  .controls { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 16px; }
  .group { display: inline-flex; }
  .group button { border-radius: 0; margin-left: -1px; min-width: 44px; }
  .group button:first-child { border-radius: 7px 0 0 7px; margin-left: 0; }
  .group button:last-child { border-radius: 0 7px 7px 0; }
  .group button:focus-visible { position: relative; z-index: 1; }
  .field { display: inline-flex; align-items: center; gap: 7px; color: var(--muted); }
  #goto { width: 86px; }
  .seg { display: inline-flex; align-items: center; gap: 7px; color: var(--muted); }
  .seg .opts { display: inline-flex; }
  .seg label { position: relative; }
  .seg input { position: absolute; opacity: 0; inset: 0; margin: 0; cursor: pointer; }
  .seg label span {
    display: inline-flex; align-items: center; height: 32px; padding: 0 11px; border: 1px solid var(--border);
    background: var(--panel); color: var(--text); margin-left: -1px; font-weight: 500;
  }
  .seg label:first-child span { border-radius: 7px 0 0 7px; margin-left: 0; }
  .seg label:last-child span { border-radius: 0 7px 7px 0; }
  .seg input:checked + span { background: var(--accent); border-color: var(--accent); color: var(--accent-ink); position: relative; }
  .seg input:focus-visible + span { outline: 2px solid var(--accent); outline-offset: 2px; position: relative; z-index: 1; }
  .push { margin-left: auto; }

  /* cost */
  .cost { display: flex; flex-direction: column; gap: 12px; }
  #stats { font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
  .cards { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; margin: 0; }
  .card { background: var(--panel-2); border-radius: 8px; padding: 8px 10px; min-width: 0; }
  .card dt { font-size: 12px; color: var(--muted); }
  .card dd { margin: 0; font-size: 18px; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .bytes { display: grid; gap: 7px; margin: 0; }
  .brow { display: grid; grid-template-columns: 86px minmax(0, 1fr) auto; align-items: center; gap: 8px; font-size: 13px; }
  .brow dt { color: var(--muted); }
  .brow dd { margin: 0; font-variant-numeric: tabular-nums; text-align: right; min-width: 62px; font-weight: 600; }
  .bar { height: 8px; border-radius: 4px; background: var(--panel-2); overflow: hidden; }
  .bar i { display: block; height: 100%; width: 0; border-radius: 4px; transition: width .2s; }
  .amp { font-size: 12px; color: var(--muted); }
  .cost h3 { font-size: 12px; font-weight: 600; color: var(--muted); }
  #chart { display: block; width: 100%; height: 118px; overflow: visible; }
  #chart text { font: 10px system-ui, sans-serif; fill: var(--faint); }
  .legend { display: flex; flex-wrap: wrap; gap: 3px 12px; font-size: 12px; color: var(--muted); }
  .sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
  .sw.line { height: 2px; vertical-align: 3px; border-radius: 1px; }
  .sw.dot { border-radius: 50%; }
  #totals { font-size: 12px; color: var(--muted); border-top: 1px solid var(--border); padding-top: 10px; }
  .s-storage { background: var(--accent); } .s-cache { background: var(--cache); }
  .s-lower { background: var(--lower); } .s-time { background: var(--time); }

  @media (max-width: 1180px) {
    .layout { grid-template-columns: 240px minmax(0, 1fr); }
    .cost { grid-column: 2; }
  }
  @media (max-width: 760px) {
    .top { padding: 10px 12px; }
    .layout { grid-template-columns: minmax(0, 1fr); padding: 12px; gap: 12px; }
    .cost { grid-column: auto; }
    .picker { position: static; max-height: none; }
    .list { max-height: 164px; flex: none; }
    .stage { padding: 10px; min-height: 190px; }
    .readout .keyhint { display: none; }
    .push { margin-left: 0; }
  }
</style>
</head>
<body data-state="empty">
<header class="top">
  <div class="brand">
    <svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true">
      <rect x="3" y="5" width="18" height="14" rx="2.5"/><path d="M7 5v14M17 5v14M3 9.5h4M3 14.5h4M17 9.5h4M17 14.5h4"/>
      <path d="M10.5 10l3 2-3 2z" fill="currentColor" stroke="none"/>
    </svg>
    <span>seekframe <small>exact frames</small></span>
  </div>
  <form class="token" id="token-box">
    <label for="token">Token</label>
    <input id="token" type="password" autocomplete="off" spellcheck="false" placeholder="only if the sidecar needs one"
      aria-describedby="token-help">
    <span id="token-help" class="sr">Sent as a bearer token; kept in this tab only.</span>
  </form>
</header>

<main class="layout">
  <aside class="panel picker" aria-labelledby="picker-title">
    <h2 id="picker-title">Videos</h2>
    <form id="open" role="search">
      <label for="key">Key or prefix</label>
      <div class="inline">
        <input id="key" type="text" autocomplete="off" spellcheck="false" placeholder="folder/video.mp4"
          aria-describedby="key-help">
        <button class="primary" id="open-button" type="submit">Open</button>
      </div>
      <span id="key-help" class="sr">Typing filters the list by prefix; Open opens the typed key.</span>
    </form>
    <div class="list-head">
      <label class="check"><input id="videos-only" type="checkbox" checked> Videos only</label>
      <span id="list-status" role="status"></span>
    </div>
    <ul id="list" class="list" aria-label="Objects"></ul>
    <button id="more" type="button" hidden>Load more</button>
  </aside>

  <section class="viewer panel" aria-labelledby="title">
    <div class="titlebar">
      <h1 id="title">No video open</h1>
      <p id="info">Pick a video to see its frames.</p>
    </div>
    <div class="stage" id="stage" aria-busy="false">
      <div class="empty" id="empty">
        <svg width="44" height="44" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.4" aria-hidden="true">
          <rect x="3" y="5" width="18" height="14" rx="2.5"/><path d="M7 5v14M17 5v14"/>
        </svg>
        <h2>Pick a video</h2>
        <p>Choose one from the list, or type its key and press <strong>Open</strong>.
          Every frame shown is decoded exactly, by number.</p>
        <dl class="keys">
          <dt><kbd>←</kbd> <kbd>→</kbd></dt><dd>previous / next frame</dd>
          <dt><kbd>Shift</kbd> + <kbd>←</kbd> <kbd>→</kbd></dt><dd>previous / next keyframe</dd>
          <dt><kbd>PgDn</kbd> <kbd>PgUp</kbd></dt><dd>previous / next keyframe</dd>
          <dt><kbd>Home</kbd> <kbd>End</kbd></dt><dd>first / last frame</dd>
        </dl>
      </div>
      <div class="error" id="error" role="alert" hidden>
        <strong id="error-title"></strong>
        <p id="error-message"></p>
        <p class="meta" id="error-meta"></p>
      </div>
      <figure id="frame-pane" hidden>
        <img id="frame" alt="">
        <figcaption id="frame-caption"></figcaption>
      </figure>
      <figure id="video-pane" hidden>
        <video id="video" muted controls playsinline preload="metadata"></video>
        <figcaption id="video-caption">Browser playback; pause it to fetch the exact frame there.</figcaption>
      </figure>
    </div>

    <div class="timeline">
      <div class="scrub-wrap">
        <label for="scrub" class="sr">Frame number</label>
        <input id="scrub" type="range" min="0" max="0" value="0" step="1" disabled aria-describedby="keys-help">
        <div id="ticks" aria-hidden="true"></div>
      </div>
      <div class="readout" aria-live="off">
        <span><span class="label">Frame</span><output id="index" class="big">–</output><span class="of"> / <span id="last">–</span></span></span>
        <span><span class="label">Time</span><output id="time">–</output></span>
        <span><span class="label">PTS</span><output id="pts">–</output></span>
        <span class="keyhint" id="keys-help">←/→ frame · Shift or PgUp/PgDn keyframe</span>
      </div>
    </div>

    <div class="controls">
      <div class="group" role="group" aria-label="Step">
        <button id="prev-key" type="button" title="Previous keyframe (Shift+←, PgDn)" aria-label="Previous keyframe" disabled>
          <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M3 3v10M13 3 5.5 8 13 13z" fill="currentColor" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/></svg>
        </button>
        <button id="prev" type="button" title="Previous frame (←)" aria-label="Previous frame" disabled>−1</button>
        <button id="next" type="button" title="Next frame (→)" aria-label="Next frame" disabled>+1</button>
        <button id="next-key" type="button" title="Next keyframe (Shift+→, PgUp)" aria-label="Next keyframe" disabled>
          <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M13 3v10M3 3l7.5 5L3 13z" fill="currentColor" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/></svg>
        </button>
      </div>
      <form id="goto-form" class="field">
        <label for="goto">Go to</label>
        <input id="goto" type="number" min="0" step="1" inputmode="numeric" placeholder="frame" disabled>
      </form>
      <div class="seg" role="radiogroup" aria-labelledby="format-label">
        <span id="format-label">Format</span>
        <span class="opts">
          <label><input type="radio" name="format" value="png" checked><span>PNG</span></label>
          <label><input type="radio" name="format" value="jpeg"><span>JPEG</span></label>
        </span>
      </div>
      <label class="field">Width
        <select id="width"><option value="">Original</option></select>
      </label>
      <label class="check" title="Show the frame at its actual size (scroll to pan)"><input id="actual" type="checkbox"> 1:1</label>
      <label class="check" title="Play the video in the browser beside the exact frame"><input id="show-video" type="checkbox"> Playback</label>
      <a id="download" class="button push" aria-disabled="true">
        <svg width="15" height="15" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.7" aria-hidden="true"><path d="M8 2v8M4.5 6.8 8 10.3l3.5-3.5M2.5 13.5h11" stroke-linecap="round" stroke-linejoin="round"/></svg>
        <span id="download-label">Download PNG</span>
      </a>
    </div>
  </section>

  <aside class="panel cost" aria-labelledby="cost-title">
    <h2 id="cost-title">Request cost</h2>
    <p id="stats" role="status">Each frame request's cost shows here.</p>
    <dl class="cards">
      <div class="card"><dt>Storage requests</dt><dd id="cost-requests">–</dd></div>
      <div class="card"><dt>Decode</dt><dd id="cost-decode">–</dd></div>
      <div class="card"><dt>Encode</dt><dd id="cost-encode">–</dd></div>
      <div class="card"><dt>Round trip</dt><dd id="cost-total">–</dd></div>
    </dl>
    <dl class="bytes">
      <div class="brow"><dt>From storage</dt><div class="bar"><i id="bar-storage" class="s-storage"></i></div><dd id="cost-storage">–</dd></div>
      <div class="brow"><dt>From cache</dt><div class="bar"><i id="bar-cache" class="s-cache"></i></div><dd id="cost-cache">–</dd></div>
      <div class="brow"><dt>Lower bound</dt><div class="bar"><i id="bar-lower" class="s-lower"></i></div><dd id="cost-lower">–</dd></div>
    </dl>
    <p class="amp" id="amp">Lower bound: the least bytes any reader must fetch for the frame.</p>
    <h3 id="chart-title">Last requests</h3>
    <svg id="chart" role="img" aria-labelledby="chart-title chart-desc" preserveAspectRatio="none">
      <desc id="chart-desc">No requests yet.</desc>
    </svg>
    <div class="legend" aria-hidden="true">
      <span><i class="sw s-storage"></i>storage</span><span><i class="sw s-cache"></i>cache</span>
      <span><i class="sw line s-lower"></i>lower bound</span><span><i class="sw dot s-time"></i>round trip ms</span>
    </div>
    <p id="totals">No frames fetched yet.</p>
  </aside>
</main>

<noscript><p style="padding: 0 20px">The viewer needs JavaScript.</p></noscript>

<script type="module">
const $ = (id) => document.getElementById(id);
const VIDEO_EXT = /\.(mp4|m4v|mov|mkv|webm|ts|m2ts|mts|mpg|mpeg|avi|3gp|3g2|ogv|flv|mxf|wmv|y4m)$/i;
const WIDTHS = [3840, 2560, 1920, 1280, 960, 640, 480, 320, 240, 160, 80];
const PAGE = Math.min(1000, Math.max(1, parseInt(new URLSearchParams(location.search).get("limit") ?? "", 10) || 100));
const HISTORY = 40;
const TOKEN_KEY = "seekframe.token";
const BLOB_PLAYBACK_LIMIT = 256e6;

const state = {
  key: "",          // the open video's key ("" when none)
  info: null,       // its VideoInfo once loaded
  index: 0,         // the frame asked for last
  format: "png",
  width: "",        // "" = the video's own width
  gen: 0,           // bumps on every open; answers for older generations are dropped
  shown: null,      // { index, format, width, url, time, pts, blob } of the frame on screen
};
const costs = [];   // the last HISTORY frame requests' costs
const totals = { frames: 0, requests: 0, storage: 0, cache: 0 };

// ---------- small helpers ----------

const nf = new Intl.NumberFormat("en-US");
function bytes(n) {
  if (!Number.isFinite(n)) return "–";
  if (n < 1000) return n + " B";
  const units = ["kB", "MB", "GB", "TB"];
  let v = n, i = -1;
  do { v /= 1000; i++; } while (v >= 1000 && i < units.length - 1);
  return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + " " + units[i];
}
function millis(v) {
  if (!Number.isFinite(v)) return "–";
  return (v < 10 ? v.toFixed(1) : String(Math.round(v))) + " ms";
}
function seconds(s) {
  if (!Number.isFinite(s)) return "–";
  const sign = s < 0 ? "−" : "";
  s = Math.abs(s);
  const m = Math.floor(s / 60);
  const rest = (s - m * 60).toFixed(3).padStart(6, "0");
  return sign + (m > 0 ? m + ":" + rest : (s).toFixed(3) + " s");
}
const clamp = (n, lo, hi) => Math.min(hi, Math.max(lo, n));
const token = () => $("token").value.trim();
const authHeaders = () => (token() ? { authorization: "Bearer " + token() } : {});
const encodeKey = (key) => encodeURIComponent(key).replace(/%2F/g, "/");

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(path, signal) {
  let res;
  try {
    res = await fetch(path, { headers: authHeaders(), signal });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, "network", "The sidecar did not answer: " + err.message);
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new ApiError(res.status, body.code || "http_" + res.status, body.error || res.statusText || "request failed");
  }
  return res;
}

function needsToken(err) {
  const box = $("token-box");
  box.classList.toggle("attention", err?.status === 401);
}

// ---------- token ----------

$("token").value = sessionStorage.getItem(TOKEN_KEY) ?? "";
let tokenTimer = 0;
function applyToken() {
  clearTimeout(tokenTimer);
  const value = token();
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
  $("token-box").classList.remove("attention");
  loadList(true);
  if (state.key && (!state.info || document.body.dataset.state === "error")) openVideo(state.key, state.index, false);
  if (state.info && $("show-video").checked) setupVideo();
}
$("token").addEventListener("input", () => {
  clearTimeout(tokenTimer);
  tokenTimer = setTimeout(applyToken, 400);
});
$("token-box").addEventListener("submit", (e) => {
  e.preventDefault();
  applyToken();
});

// ---------- picker ----------

const list = { gen: 0, prefix: "", cursor: undefined, objects: [], busy: false };

async function loadList(reset) {
  if (reset) {
    list.gen++;
    list.prefix = $("key").value.trim();
    list.cursor = undefined;
    list.objects = [];
    $("list").textContent = "";
  } else if (list.busy || list.cursor === undefined) return;
  const gen = list.gen;
  list.busy = true;
  $("more").disabled = true;
  setListStatus("Loading…");
  try {
    // Pages of other files only: fetch on (a few pages at most) until something shows.
    for (let pages = 0; pages < 5; pages++) {
      let path = "/v1/list?limit=" + PAGE + "&prefix=" + encodeURIComponent(list.prefix);
      if (list.cursor !== undefined) path += "&cursor=" + encodeURIComponent(list.cursor);
      const page = await (await api(path)).json();
      if (gen !== list.gen) return;
      list.objects.push(...page.objects);
      list.cursor = page.cursor;
      if (renderList() > 0 || list.cursor === undefined) break;
    }
    needsToken(null);
  } catch (err) {
    if (gen !== list.gen) return;
    needsToken(err);
    setListStatus(err.status === 401 ? "This sidecar needs a token: enter it at the top." : describe(err), true);
    $("more").hidden = true;
    return;
  } finally {
    if (gen === list.gen) list.busy = false;
  }
  $("more").disabled = false;
}

/** Draws the loaded objects; returns how many show. */
function renderList() {
  const only = $("videos-only").checked;
  const shown = list.objects.filter((o) => !only || VIDEO_EXT.test(o.key));
  const ul = $("list");
  ul.textContent = "";
  const frag = document.createDocumentFragment();
  for (const o of shown) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.className = "item";
    b.dataset.key = o.key;
    b.title = o.key + " (" + nf.format(o.size) + " bytes)";
    if (o.key === state.key) b.setAttribute("aria-current", "true");
    const name = document.createElement("span");
    name.className = "name";
    const slash = o.key.lastIndexOf("/");
    if (slash >= 0) {
      const dir = document.createElement("span");
      dir.className = "dir";
      dir.textContent = o.key.slice(0, slash + 1);
      name.append(dir);
    }
    name.append(o.key.slice(slash + 1));
    const size = document.createElement("span");
    size.className = "size";
    size.textContent = bytes(o.size);
    b.append(name, size);
    li.append(b);
    frag.append(li);
  }
  ul.append(frag);
  const hidden = list.objects.length - shown.length;
  const more = list.cursor !== undefined;
  $("more").hidden = !more;
  let text = shown.length === 0
    ? (list.prefix ? "Nothing starts with “" + list.prefix + "”" : "No videos here")
    : shown.length + (more ? "+" : "") + (only ? " video" : " object") + (shown.length === 1 && !more ? "" : "s");
  if (hidden > 0) text += " · " + hidden + " other hidden";
  setListStatus(text);
  return shown.length;
}

function setListStatus(text, bad = false) {
  $("list-status").textContent = text;
  $("list-status").classList.toggle("bad", bad);
}

function markCurrent() {
  for (const b of $("list").querySelectorAll(".item")) {
    if (b.dataset.key === state.key) b.setAttribute("aria-current", "true");
    else b.removeAttribute("aria-current");
  }
}

$("list").addEventListener("click", (e) => {
  const b = e.target.closest(".item");
  if (b) openVideo(b.dataset.key, 0, true);
});
$("more").addEventListener("click", () => loadList(false));
$("videos-only").addEventListener("change", () => renderList());
let searchTimer = 0;
$("key").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => loadList(true), 250);
});
$("open").addEventListener("submit", (e) => {
  e.preventDefault();
  const key = $("key").value.trim();
  if (!key) {
    $("key").focus();
    return;
  }
  openVideo(key, 0, true);
});

// ---------- opening a video ----------

let infoAbort = null;

/** Forgets the open video (its requests, frame, error, controls and timeline); key names the next one. */
function forgetVideo(key) {
  infoAbort?.abort();
  frameAbort?.abort();
  state.key = key;
  state.info = null;
  wanted = null;
  markCurrent();
  clearFrame();
  hideError();
  setControls(false);
  setupVideo();
  resetTimeline();
}

async function openVideo(key, index, push) {
  const gen = ++state.gen;
  forgetVideo(key);
  infoAbort = new AbortController();
  state.index = index;
  $("title").textContent = key;
  $("info").textContent = "Opening…";
  setState("loading");
  setBusy(true);
  writeHash(push, index);
  try {
    const info = await (await api("/v1/info?key=" + encodeURIComponent(key), infoAbort.signal)).json();
    if (gen !== state.gen) return;
    info.keyframes = [...(info.keyframes ?? [])].sort((a, b) => a - b);
    state.info = info;
    needsToken(null);
    $("info").textContent = describeInfo(info);
    $("info").title = "time base " + info.timeBase.join("/") + ", etag " + info.etag;
    const last = info.frameCount - 1;
    $("scrub").max = String(last);
    $("goto").max = String(last);
    $("last").textContent = String(last);
    drawTicks(info);
    fillWidths(info);
    setControls(true);
    setupVideo();
    go(index);
  } catch (err) {
    if (err.name === "AbortError" || gen !== state.gen) return;
    needsToken(err);
    $("info").textContent = "";
    setBusy(false);
    showError("Couldn’t open “" + key + "”", err);
  }
}

function closeVideo() {
  state.gen++;
  forgetVideo("");
  $("title").textContent = "No video open";
  $("info").textContent = "Pick a video to see its frames.";
  setState("empty");
  setBusy(false);
}

function resetTimeline() {
  $("ticks").textContent = "";
  $("scrub").max = "0";
  $("scrub").value = "0";
  $("scrub").style.setProperty("--p", "0%");
  $("index").textContent = "–";
  $("last").textContent = "–";
  $("goto").value = "";
}

function describeInfo(info) {
  const fps = Number(info.fps.toFixed(3));
  const parts = [
    info.codec + " " + info.width + "×" + info.height,
    nf.format(info.frameCount) + " frames",
    fps + " fps",
    seconds(info.duration),
    info.keyframes.length + " keyframe" + (info.keyframes.length === 1 ? "" : "s"),
    info.container,
    bytes(info.size),
  ];
  if (info.rotation) parts.push("rotated " + info.rotation + "°");
  return parts.join(", ");
}

function drawTicks(info) {
  const box = $("ticks");
  box.textContent = "";
  const last = Math.max(1, info.frameCount - 1);
  const frag = document.createDocumentFragment();
  for (const f of info.keyframes) {
    const tick = document.createElement("span");
    tick.className = "tick";
    tick.dataset.frame = String(f);
    // The thumb is 16 px wide: its centre runs from 8 px to (width − 8 px).
    tick.style.left = "calc(8px + (100% - 16px) * " + (f / last) + ")";
    frag.append(tick);
  }
  box.append(frag);
}

function fillWidths(info) {
  const select = $("width");
  const keep = state.width;
  select.textContent = "";
  select.append(new Option("Original (" + info.width + " px)", ""));
  for (const w of WIDTHS) if (w < info.width) select.append(new Option(w + " px", String(w)));
  const ok = [...select.options].some((o) => o.value === keep);
  state.width = ok ? keep : "";
  select.value = state.width;
}

function setControls(on) {
  for (const id of ["scrub", "goto", "prev", "next", "prev-key", "next-key"]) $(id).disabled = !on;
  if (on) updateSteps();
}

function updateSteps() {
  const info = state.info;
  if (!info) return;
  const n = state.index, last = info.frameCount - 1;
  $("prev").disabled = n <= 0;
  $("next").disabled = n >= last;
  $("prev-key").disabled = prevKeyframe(n) < 0;
  $("next-key").disabled = nextKeyframe(n) < 0;
  $("scrub").style.setProperty("--p", (last > 0 ? (n / last) * 100 : 0) + "%");
}

function prevKeyframe(n) {
  let found = -1;
  for (const k of state.info?.keyframes ?? []) {
    if (k < n) found = k;
    else break;
  }
  return found;
}
function nextKeyframe(n) {
  for (const k of state.info?.keyframes ?? []) if (k > n) return k;
  return -1;
}

// ---------- moving ----------

function go(n) {
  const info = state.info;
  if (!info) return;
  n = clamp(Math.round(Number(n) || 0), 0, info.frameCount - 1);
  state.index = n;
  $("scrub").value = String(n);
  $("index").textContent = String(n);
  if (document.activeElement !== $("goto")) $("goto").value = String(n);
  updateSteps();
  const s = state.shown;
  if (!running && s && s.index === n && s.format === state.format && s.width === state.width) return;
  request({ index: n });
}

$("scrub").addEventListener("input", () => go($("scrub").value));
$("prev").addEventListener("click", () => go(state.index - 1));
$("next").addEventListener("click", () => go(state.index + 1));
$("prev-key").addEventListener("click", () => {
  const k = prevKeyframe(state.index);
  if (k >= 0) go(k);
});
$("next-key").addEventListener("click", () => {
  const k = nextKeyframe(state.index);
  if (k >= 0) go(k);
});
$("goto-form").addEventListener("submit", (e) => {
  e.preventDefault();
  if ($("goto").value !== "") go($("goto").value);
});
$("goto").addEventListener("change", () => {
  if ($("goto").value !== "") go($("goto").value);
});

document.addEventListener("keydown", (e) => {
  if (!state.info || e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
  const t = e.target;
  const onRange = t === $("scrub");
  const typing = (t instanceof HTMLInputElement && !onRange && t.type !== "checkbox" && t.type !== "button") ||
    t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement || t instanceof HTMLVideoElement ||
    t.isContentEditable;
  if (typing) return;
  const n = state.index, last = state.info.frameCount - 1;
  let to;
  switch (e.key) {
    case "ArrowLeft": to = e.shiftKey ? prevKeyframe(n) : n - 1; break;
    case "ArrowRight": to = e.shiftKey ? nextKeyframe(n) : n + 1; break;
    case "ArrowDown": if (!onRange) return; to = n - 1; break;
    case "ArrowUp": if (!onRange) return; to = n + 1; break;
    // As on any slider (ARIA): Page Up goes up the scale, to the next keyframe.
    case "PageUp": to = nextKeyframe(n); break;
    case "PageDown": to = prevKeyframe(n); break;
    case "Home": to = 0; break;
    case "End": to = last; break;
    default: return;
  }
  e.preventDefault();
  if (to >= 0 && to <= last) go(to);
});

// ---------- fetching frames (only the latest ask matters) ----------

let wanted = null, running = false, frameAbort = null;

function request(ask) {
  wanted = { gen: state.gen, key: state.key, format: state.format, width: state.width, ...ask };
  pump();
}

async function pump() {
  if (running) return;
  running = true;
  setBusy(true);
  try {
    while (wanted) {
      const ask = wanted;
      wanted = null;
      if (ask.gen !== state.gen) continue;
      await fetchFrame(ask);
    }
  } finally {
    running = false;
    setBusy(false);
  }
}

async function fetchFrame(ask) {
  let path = "/v1/frame?key=" + encodeURIComponent(ask.key) + "&format=" + ask.format;
  path += ask.t !== undefined ? "&t=" + ask.t : "&index=" + ask.index;
  if (ask.width) path += "&width=" + ask.width;
  frameAbort = new AbortController();
  const started = performance.now();
  try {
    const res = await api(path, frameAbort.signal);
    const blob = await res.blob();
    const elapsed = performance.now() - started;
    if (ask.gen !== state.gen) return;
    const url = URL.createObjectURL(blob);
    const img = $("frame");
    img.src = url;
    await img.decode();
    if (ask.gen !== state.gen) {
      URL.revokeObjectURL(url);
      return;
    }
    showFrame(ask, res.headers, blob, url, elapsed);
  } catch (err) {
    if (err.name === "AbortError" || ask.gen !== state.gen) return;
    needsToken(err);
    const what = ask.t !== undefined ? "the frame at " + seconds(ask.t) : "frame " + ask.index;
    showError("Couldn’t get " + what + " of “" + ask.key + "”", err);
  }
}

function showFrame(ask, h, blob, url, elapsed) {
  const index = Number(h.get("x-frame-index"));
  const time = Number(h.get("x-frame-time"));
  const pts = h.get("x-frame-pts");
  const w = Number(h.get("x-frame-width")), ht = Number(h.get("x-frame-height"));
  const timing = serverTiming(h.get("server-timing"));
  const cost = {
    index,
    requests: Number(h.get("x-storage-requests")),
    storage: Number(h.get("x-storage-bytes")),
    cache: Number(h.get("x-cache-bytes")),
    lower: Number(h.get("x-frame-lower-bound")),
    decode: timing.decode,
    encode: timing.encode,
    total: elapsed,
    body: blob.size,
  };
  if (state.shown && state.shown.url !== url) URL.revokeObjectURL(state.shown.url);
  state.shown = { index, format: ask.format, width: ask.width, url, time, pts, blob };
  hideError();
  const img = $("frame");
  img.dataset.index = String(index);
  img.dataset.format = ask.format;
  img.dataset.width = String(w);
  img.alt = "Frame " + index + " of " + ask.key;
  $("frame-pane").hidden = false;
  $("empty").hidden = true;
  $("frame-caption").textContent = w + "×" + ht + " · " + ask.format.toUpperCase() + " · " + bytes(blob.size);
  setState("ready");
  // An ask by time lands on a frame the page did not know: follow it.
  if (ask.t !== undefined || index !== state.index) {
    if (!wanted) {
      state.index = index;
      $("scrub").value = String(index);
      $("index").textContent = String(index);
      if (document.activeElement !== $("goto")) $("goto").value = String(index);
      updateSteps();
    }
  }
  $("time").textContent = seconds(time);
  $("time").title = time + " s";
  $("pts").textContent = pts ?? "–";
  $("pts").title = state.info ? "in time base " + state.info.timeBase.join("/") : "";
  const a = $("download");
  a.href = url;
  a.download = downloadName(ask.key, index, w, ask.format);
  a.removeAttribute("aria-disabled");
  if (!wanted) writeHash(false, index);
  showCost(cost);
  if (!wanted && ask.t === undefined) syncVideo(time);
}

function downloadName(key, index, width, format) {
  const base = key.slice(key.lastIndexOf("/") + 1).replace(/\.[^.]*$/, "") || "frame";
  return base + "-frame" + String(index).padStart(5, "0") + (state.width ? "-w" + width : "") + "." +
    (format === "jpeg" ? "jpg" : format);
}

function serverTiming(header) {
  const out = { decode: NaN, encode: NaN };
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().split(";");
    for (const p of params) {
      const [k, v] = p.trim().split("=");
      if (k === "dur" && (name === "decode" || name === "encode")) out[name] = Number(v);
    }
  }
  return out;
}

function clearFrame() {
  const img = $("frame");
  img.removeAttribute("src");
  delete img.dataset.index;
  delete img.dataset.format;
  delete img.dataset.width;
  img.alt = "";
  $("frame-pane").hidden = true;
  $("frame-caption").textContent = "";
  if (state.shown) URL.revokeObjectURL(state.shown.url);
  state.shown = null;
  const a = $("download");
  a.removeAttribute("href");
  a.removeAttribute("download");
  a.setAttribute("aria-disabled", "true");
  $("time").textContent = "–";
  $("pts").textContent = "–";
  clearCost();
}

function describe(err) {
  return err.status ? "HTTP " + err.status + " " + err.code + ": " + err.message : err.message;
}

function showError(title, err) {
  wanted = null;
  clearFrame();
  $("empty").hidden = true;
  $("error-title").textContent = title;
  let message = err.message || String(err);
  if (err.status === 401) message += ". Enter the sidecar’s token in the Token field at the top.";
  $("error-message").textContent = message;
  $("error-meta").textContent = err.status ? "HTTP " + err.status + " · " + err.code : (err.code ?? "");
  $("error").hidden = false;
  $("error").dataset.status = String(err.status ?? 0);
  $("error").dataset.code = err.code ?? "";
  $("stats").textContent = "No frame: " + describe(err);
  setState("error");
}

function hideError() {
  $("error").hidden = true;
  $("error-title").textContent = "";
  $("error-message").textContent = "";
  $("error-meta").textContent = "";
}

function setState(s) {
  document.body.dataset.state = s;
  $("empty").hidden = s !== "empty";
}
function setBusy(on) {
  $("stage").setAttribute("aria-busy", on ? "true" : "false");
}

// ---------- options ----------

for (const radio of document.querySelectorAll("input[name=format]")) {
  radio.addEventListener("change", () => setFormat(radio.value, true));
}
function setFormat(format, refetch) {
  state.format = format === "jpeg" ? "jpeg" : "png";
  for (const r of document.querySelectorAll("input[name=format]")) r.checked = r.value === state.format;
  $("download-label").textContent = "Download " + state.format.toUpperCase();
  if (refetch && state.info) request({ index: state.index });
}
$("width").addEventListener("change", () => {
  state.width = $("width").value;
  if (state.info) request({ index: state.index });
});
$("actual").addEventListener("change", () => $("stage").classList.toggle("actual", $("actual").checked));

// ---------- cost panel ----------

function put(id, value, text) {
  const el = $(id);
  el.textContent = text;
  if (value === undefined || Number.isNaN(value)) delete el.dataset.value;
  else el.dataset.value = String(value);
}

function showCost(c) {
  costs.push(c);
  if (costs.length > HISTORY) costs.shift();
  totals.frames++;
  totals.requests += c.requests;
  totals.storage += c.storage;
  totals.cache += c.cache;
  $("stats").textContent = "frame " + c.index + ": " + c.requests + " storage request" + (c.requests === 1 ? "" : "s") +
    " · " + bytes(c.storage) + " from storage · " + bytes(c.cache) + " from cache · " + millis(c.total);
  put("cost-requests", c.requests, nf.format(c.requests));
  put("cost-decode", c.decode, millis(c.decode));
  put("cost-encode", c.encode, millis(c.encode));
  put("cost-total", Math.round(c.total), millis(c.total));
  put("cost-storage", c.storage, bytes(c.storage));
  put("cost-cache", c.cache, bytes(c.cache));
  put("cost-lower", c.lower, bytes(c.lower));
  for (const id of ["cost-storage", "cost-cache", "cost-lower"]) $(id).title = nf.format(Number($(id).dataset.value)) + " bytes";
  const top = Math.max(c.storage, c.cache, c.lower, 1);
  $("bar-storage").style.width = (c.storage / top) * 100 + "%";
  $("bar-cache").style.width = (c.cache / top) * 100 + "%";
  $("bar-lower").style.width = (c.lower / top) * 100 + "%";
  const read = c.storage + c.cache;
  $("amp").textContent = c.lower <= 0
    ? "Read " + bytes(read) + " for this frame."
    : read >= c.lower
    ? "Read " + bytes(read) + ", " + (read / c.lower).toFixed(2) + "× the lower bound: the least a reader starting at the keyframe must fetch."
    : "Read " + bytes(read) + ", under the lower bound: a warm decoder went on from an earlier request instead of starting at the keyframe.";
  $("totals").textContent = "This session: " + nf.format(totals.frames) + " frame" + (totals.frames === 1 ? "" : "s") +
    ", " + nf.format(totals.requests) + " storage requests, " + bytes(totals.storage) + " from storage, " +
    bytes(totals.cache) + " from cache.";
  drawChart();
}

function clearCost() {
  for (const id of ["cost-requests", "cost-decode", "cost-encode", "cost-total", "cost-storage", "cost-cache", "cost-lower"]) {
    put(id, undefined, "–");
    $(id).removeAttribute("title");
  }
  for (const id of ["bar-storage", "bar-cache", "bar-lower"]) $(id).style.width = "0";
  $("stats").textContent = "";
  $("amp").textContent = "Lower bound: the least bytes any reader must fetch for the frame.";
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, parent) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  parent?.append(el);
  return el;
}

function drawChart() {
  const chart = $("chart");
  const W = Math.max(120, Math.round(chart.getBoundingClientRect().width) || 260), H = 118;
  chart.setAttribute("viewBox", "0 0 " + W + " " + H);
  for (const el of [...chart.children]) if (el.tagName !== "desc") el.remove();
  const top = 14, bottom = H - 2, plot = bottom - top;
  svg("line", { x1: 0, x2: W, y1: bottom + 0.5, y2: bottom + 0.5, stroke: "var(--border)" }, chart);
  if (costs.length === 0) {
    $("chart-desc").textContent = "No requests yet.";
    const t = svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, chart);
    t.textContent = "No requests yet";
    return;
  }
  const maxBytes = Math.max(1, ...costs.map((c) => Math.max(c.storage + c.cache, c.lower)));
  const maxMs = Math.max(1, ...costs.map((c) => c.total));
  const slot = W / HISTORY, bar = Math.max(2, slot - 2);
  const x0 = W - costs.length * slot;
  const y = (v, max) => bottom - (v / max) * plot;
  const points = [];
  costs.forEach((c, i) => {
    const g = svg("g", { class: "req", "data-index": c.index }, chart);
    const x = x0 + i * slot + (slot - bar) / 2;
    const ys = y(c.storage, maxBytes), yc = y(c.storage + c.cache, maxBytes);
    svg("rect", { x, y: ys, width: bar, height: bottom - ys, fill: "var(--accent)", rx: 1 }, g);
    svg("rect", { x, y: yc, width: bar, height: ys - yc, fill: "var(--cache)", rx: 1 }, g);
    const yl = y(c.lower, maxBytes);
    svg("line", { x1: x - 1, x2: x + bar + 1, y1: yl, y2: yl, stroke: "var(--lower)", "stroke-width": 1.5 }, g);
    points.push([x + bar / 2, y(c.total, maxMs)]);
    const title = svg("title", {}, g);
    title.textContent = "frame " + c.index + ": " + bytes(c.storage) + " from storage, " + bytes(c.cache) +
      " from cache, lower bound " + bytes(c.lower) + ", " + millis(c.total);
  });
  svg("polyline", {
    points: points.map((p) => p.join(",")).join(" "), fill: "none", stroke: "var(--time)", "stroke-width": 1.5,
    "stroke-linejoin": "round", opacity: 0.9,
  }, chart);
  for (const [px, py] of points) svg("circle", { cx: px, cy: py, r: 2.2, fill: "var(--time)" }, chart);
  const label = (x, anchor, text) => {
    const t = svg("text", { x, y: 9, "text-anchor": anchor }, chart);
    t.textContent = text;
  };
  label(0, "start", "bytes ≤ " + bytes(maxBytes));
  label(W, "end", "≤ " + millis(maxMs));
  const c = costs[costs.length - 1];
  $("chart-desc").textContent = "The last " + costs.length + " requests; the latest, frame " + c.index + ", read " +
    bytes(c.storage) + " from storage and " + bytes(c.cache) + " from cache in " + millis(c.total) + ".";
}
new ResizeObserver(() => drawChart()).observe($("chart"));

// ---------- playback beside the frame ----------

let videoBlobUrl = "", videoFor = "", userSeek = true;

async function setupVideo() {
  const show = $("show-video").checked && !!state.info;
  const video = $("video");
  $("video-pane").hidden = !show;
  $("stage").classList.toggle("both", show);
  const key = show ? state.key + "\n" + token() : "";
  if (key === videoFor) return;
  videoFor = key;
  if (videoBlobUrl) URL.revokeObjectURL(videoBlobUrl);
  videoBlobUrl = "";
  video.removeAttribute("src");
  video.load();
  if (!show) return;
  const src = "/v1/object?key=" + encodeURIComponent(state.key);
  $("video-caption").textContent = "Browser playback; pause it to fetch the exact frame there.";
  if (!token()) {
    video.src = src;
  } else if (state.info.size <= BLOB_PLAYBACK_LIMIT) {
    // A video element cannot send the token: fetch the object whole instead.
    $("video-caption").textContent = "Loading the video (" + bytes(state.info.size) + ")…";
    try {
      const blob = await (await api(src)).blob();
      if (videoFor !== key) return;
      videoBlobUrl = URL.createObjectURL(blob);
      video.src = videoBlobUrl;
      $("video-caption").textContent = "Browser playback; pause it to fetch the exact frame there.";
    } catch (err) {
      if (videoFor === key) $("video-caption").textContent = "Playback unavailable: " + describe(err);
    }
  } else {
    $("video-caption").textContent = "Playback needs an open sidecar for videos this large (a video element cannot send the token).";
  }
  if (state.shown) syncVideo(state.shown.time);
}

function syncVideo(time) {
  const video = $("video");
  if ($("video-pane").hidden || !state.info || !video.paused || !Number.isFinite(time)) return;
  // A quarter frame past the frame's start, so the browser shows that frame, not the one before.
  const t = Math.max(0, time - (state.info.startTime || 0) + 0.25 / (state.info.fps || 25));
  video.dataset.target = String(t);
  if (video.readyState === 0) return; // loadedmetadata applies it
  userSeek = false;
  video.currentTime = t;
}

$("video").addEventListener("loadedmetadata", () => {
  const t = Number($("video").dataset.target);
  if (Number.isFinite(t)) {
    userSeek = false;
    $("video").currentTime = t;
  }
});
$("video").addEventListener("seeked", () => { userSeek = true; });
$("video").addEventListener("pause", () => {
  if (!userSeek || !state.info) return;
  request({ t: ($("video").currentTime + (state.info.startTime || 0)).toFixed(6) });
});
$("video").addEventListener("error", () => {
  if ($("video").getAttribute("src")) {
    $("video-caption").textContent = "This browser cannot play " + (state.info?.codec ?? "this video") + " in " +
      (state.info?.container ?? "this container") + "; the exact frame is unaffected.";
  }
});
$("show-video").addEventListener("change", () => setupVideo());

// ---------- the URL fragment ----------

function writeHash(push, index) {
  if (!state.key) return;
  let h = "#key=" + encodeKey(state.key) + "&n=" + index;
  if (state.format !== "png") h += "&format=" + state.format;
  if (state.width) h += "&width=" + state.width;
  if (location.hash === h) return;
  history[push ? "pushState" : "replaceState"](null, "", h);
}

function applyHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  const key = p.get("key") ?? "";
  const n = Math.max(0, parseInt(p.get("n") ?? "0", 10) || 0);
  const format = p.get("format") === "jpeg" || p.get("format") === "jpg" ? "jpeg" : "png";
  const width = /^\d+$/.test(p.get("width") ?? "") ? p.get("width") : "";
  const changed = format !== state.format || width !== state.width;
  setFormat(format, false);
  state.width = width;
  if (!key) {
    if (state.key) closeVideo();
    return;
  }
  // Back and forward fire both popstate and hashchange: the second finds this video opening already.
  if (key === state.key && !state.info && document.body.dataset.state === "loading" && n === state.index) return;
  if (key === state.key && state.info) {
    fillWidths(state.info);
    if (changed) request({ index: clamp(n, 0, state.info.frameCount - 1) });
    go(n);
  } else {
    openVideo(key, n, false);
  }
}
window.addEventListener("hashchange", applyHash);
window.addEventListener("popstate", applyHash);

applyHash();
loadList(true);
drawChart();
</script>
</body>
</html>
`;
