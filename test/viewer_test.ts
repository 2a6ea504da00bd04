/**
 * The viewer page (`/`) in headless Chromium against real sidecar processes
 * over the fixtures. What the page shows is checked on screenshots: the frame
 * area's pixels against ffmpeg's frame, the layout at 1280 and 420 px wide.
 * The two screenshots are also written to `test/fixtures/out/viewer-1280.png`
 * and `viewer-420.png` for a human to look at.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type Browser, chromium, type Page, type Response } from "npm:playwright-core@1.65.1";
import { decode } from "npm:fast-png@8.0.0";
import { FIXTURES, VIDEOS } from "./env.ts";
import { psnr, type Reference, referenceFrames } from "./reference.ts";
import { startSidecar } from "./sidecar.ts";

/** 320×240, 72 frames at 24 fps, keyframes 0, 24, 48. */
const FILE = "h264_bframes_faststart.mp4";
const TOKEN = "viewer-test-token";
const VIDEO_EXT = /\.(mp4|m4v|mov|mkv|webm|ts|m2ts|mts|mpg|mpeg|avi|3gp|3g2|ogv|flv|mxf|wmv|y4m)$/i;

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A decoded screenshot as 8-bit RGB. */
interface Shot {
  width: number;
  height: number;
  rgb: Uint8Array;
}

function toRgb(png: Uint8Array): Shot {
  const img = decode(png);
  assert.equal(img.depth, 8, "8-bit screenshot");
  assert.ok(img.channels === 3 || img.channels === 4, `screenshot with ${img.channels} channels`);
  const src = img.data as Uint8Array;
  const rgb = new Uint8Array(img.width * img.height * 3);
  for (let i = 0, o = 0; o < rgb.length; i += img.channels, o += 3) {
    rgb[o] = src[i];
    rgb[o + 1] = src[i + 1];
    rgb[o + 2] = src[i + 2];
  }
  return { width: img.width, height: img.height, rgb };
}

/** The screenshot pixels where `#frame` is (it must be shown at its natural size). */
async function framePixels(page: Page): Promise<Shot> {
  const box = await page.locator("#frame").boundingBox();
  assert.ok(box, "the frame is shown");
  const natural = await page.evaluate<{ w: number; h: number }>(
    `({ w: document.getElementById("frame").naturalWidth, h: document.getElementById("frame").naturalHeight })`,
  );
  assert.deepEqual([box.width, box.height], [natural.w, natural.h], "the frame is shown at its natural size");
  return toRgb(await page.screenshot({ clip: box }));
}

/** Waits until the page shows frame `n` and has nothing more in flight. */
async function waitShown(page: Page, n: number): Promise<void> {
  await page.waitForFunction(`(() => {
    const img = document.getElementById("frame");
    return img.dataset.index === "${n}" && document.getElementById("index").textContent === "${n}" &&
      document.getElementById("stage").getAttribute("aria-busy") === "false" && img.complete;
  })()`);
}

/** Frame `n` is shown, and its pixels on screen are ffmpeg's frame `n` (not a neighbour). */
async function assertShows(page: Page, ref: Reference, n: number): Promise<void> {
  await waitShown(page, n);
  const shot = await framePixels(page);
  assert.deepEqual([shot.width, shot.height], [ref.width, ref.height]);
  const db = psnr(shot.rgb, ref.frames[n]);
  assert.ok(db >= 45, `frame ${n} on screen: ${db.toFixed(1)} dB against ffmpeg's`);
  for (const other of [n - 1, n + 1]) {
    if (other < 0 || other >= ref.frames.length) continue;
    const near = psnr(shot.rgb, ref.frames[other]);
    assert.ok(
      db > near,
      `frame ${n} on screen is closer to ffmpeg's ${n} (${db.toFixed(1)}) than ${other} (${near.toFixed(1)})`,
    );
  }
}

/** Does `action` and returns the `/v1/frame` response it caused (the last, when a few are in flight). */
async function frameResponse(page: Page, action: () => Promise<unknown>): Promise<Response> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/v1/frame"),
    action(),
  ]);
  return res;
}

const text = async (page: Page, selector: string) => (await page.textContent(selector))?.trim() ?? "";
const dataValue = (page: Page, id: string) => page.getAttribute("#" + id, "data-value");
const shownKeys = (page: Page) =>
  page.evaluate<string[]>(`[...document.querySelectorAll("#list .item")].map((b) => b.dataset.key)`);

/** Every file the sidecar lists (dot files left out), in key order. */
async function fixtureKeys(): Promise<string[]> {
  const keys: string[] = [];
  const walk = async (dir: string, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name.startsWith(".") || entry.isSymlink) continue;
      if (entry.isDirectory) await walk(join(dir, entry.name), prefix + entry.name + "/");
      else if (entry.isFile) keys.push(prefix + entry.name);
    }
  };
  await walk(FIXTURES, "");
  return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Fraction of pixels in `shot` that are strongly coloured (the fixtures' colour bars are). */
function saturated(shot: Shot): number {
  let count = 0;
  for (let i = 0; i < shot.rgb.length; i += 3) {
    const [r, g, b] = [shot.rgb[i], shot.rgb[i + 1], shot.rgb[i + 2]];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 150) count++;
  }
  return count / (shot.width * shot.height);
}

/** Asserts the page has no horizontal overflow and the elements are visible within the viewport's width (and height). */
async function assertLayout(page: Page, width: number, height: number | undefined, selectors: string[]) {
  const scrollWidth = await page.evaluate<number>("document.documentElement.scrollWidth");
  assert.ok(scrollWidth <= width, `no horizontal scrolling at ${width} px (scrollWidth ${scrollWidth})`);
  for (const selector of selectors) {
    const el = page.locator(selector);
    assert.ok(await el.isVisible(), `${selector} is visible at ${width} px`);
    if (height === undefined) await el.scrollIntoViewIfNeeded();
    const box = await el.boundingBox();
    assert.ok(box && box.width > 0 && box.height > 0, `${selector} has a size`);
    assert.ok(
      box.x >= 0 && box.x + box.width <= width + 0.5,
      `${selector} lies within ${width} px: ${JSON.stringify(box)}`,
    );
    if (height !== undefined) {
      assert.ok(
        box.y >= 0 && box.y + box.height <= height + 0.5,
        `${selector} lies above the fold: ${JSON.stringify(box)}`,
      );
    }
  }
}

/** A screenshot is not blank: many colours, and both dark and light areas. */
function assertNotBlank(shot: Shot) {
  const colours = new Set<number>();
  let dark = 0, light = 0;
  for (let i = 0; i < shot.rgb.length; i += 3) {
    const [r, g, b] = [shot.rgb[i], shot.rgb[i + 1], shot.rgb[i + 2]];
    colours.add((r << 16) | (g << 8) | b);
    const y = 0.3 * r + 0.59 * g + 0.11 * b;
    if (y < 60) dark++;
    else if (y > 200) light++;
  }
  const n = shot.width * shot.height;
  assert.ok(colours.size > 200, `the screenshot has ${colours.size} colours`);
  assert.ok(dark / n > 0.02 && light / n > 0.2, `the screenshot has dark (${dark / n}) and light (${light / n}) areas`);
}

Deno.test("the viewer page: picker, scrubbing, keys, costs, formats, download, errors, layout, token (headless Chromium)", async (t) => {
  const [open, locked, browser, ref] = await Promise.all([
    startSidecar({ SEEKFRAME_DIR: FIXTURES }),
    startSidecar({ SEEKFRAME_DIR: FIXTURES, SEEKFRAME_TOKEN: TOKEN }),
    launch(),
    referenceFrames(join(FIXTURES, FILE)),
  ]);
  const errors: string[] = [];
  const newPage = async (viewport = { width: 1280, height: 800 }) => {
    const page = await browser.newPage({ viewport, acceptDownloads: true });
    page.on("pageerror", (err) => errors.push(err.message));
    return page;
  };
  try {
    const info = await (await fetch(`${open.base}/v1/info?key=${FILE}`)).json();
    const page = await newPage();

    await t.step("the picker lists the fixtures' videos, a page at a time, and searches by prefix", async () => {
      const all = await fixtureKeys();
      const videos = all.filter((k) => VIDEO_EXT.test(k));
      await page.goto(open.base + "/?limit=8");
      // No frame and no broken image before anything is picked: an empty state that says what to do.
      assert.equal(await page.getAttribute("body", "data-state"), "empty");
      assert.ok(await page.isVisible("#empty"));
      assert.match(await text(page, "#empty"), /Pick a video/);
      assert.equal(await page.isVisible("#frame"), false);
      await page.waitForFunction(`document.querySelectorAll("#list .item").length > 0`);
      assert.deepEqual(await shownKeys(page), all.slice(0, 8).filter((k) => VIDEO_EXT.test(k)));
      while (await page.isVisible("#more")) {
        const before = (await shownKeys(page)).length;
        await page.click("#more");
        await page.waitForFunction(`document.querySelectorAll("#list .item").length > ${before}`);
      }
      assert.deepEqual(await shownKeys(page), videos);
      for (const key of Object.keys(VIDEOS)) assert.ok(videos.includes(key), `${key} is listed`);
      assert.ok(!videos.includes("audio_only.m4a"));
      await page.uncheck("#videos-only");
      assert.deepEqual(await shownKeys(page), all);
      await page.check("#videos-only");
      await page.fill("#key", "h264_rot");
      await page.waitForFunction(`document.querySelectorAll("#list .item").length === 3`);
      assert.deepEqual(await shownKeys(page), ["h264_rotate180.mp4", "h264_rotate270.mp4", "h264_rotate90.mp4"]);
    });

    await t.step("opening a listed video shows frame 0 as ffmpeg decodes it, its info and keyframe ticks", async () => {
      await page.goto(open.base + "/");
      await page.click(`#list .item[data-key="${FILE}"]`);
      await assertShows(page, ref, 0);
      assert.equal(await page.getAttribute(`#list .item[data-key="${FILE}"]`, "aria-current"), "true");
      assert.equal(new URL(page.url()).hash, `#key=${FILE}&n=0`);
      assert.equal(await text(page, "#title"), FILE);
      assert.match(await text(page, "#info"), /^h264 320×240, 72 frames, 24 fps, 3\.000 s, 3 keyframes, mp4, /);
      assert.equal(await text(page, "#last"), "71");
      const ticks = await page.evaluate<number[]>(
        `[...document.querySelectorAll("#ticks .tick")].map((t) => Number(t.dataset.frame))`,
      );
      assert.deepEqual(ticks, info.keyframes);
      assert.deepEqual(info.keyframes, [0, 24, 48]);
      // Each tick sits under the slider's thumb position for its frame.
      const track = (await page.locator("#scrub").boundingBox())!;
      for (const f of info.keyframes) {
        const tick = (await page.locator(`#ticks .tick[data-frame="${f}"]`).boundingBox())!;
        const expected = track.x + 8 + (track.width - 16) * f / 71;
        assert.ok(Math.abs(tick.x + tick.width / 2 - expected) < 1.5, `tick ${f} at ${tick.x}, expected ${expected}`);
      }
    });

    await t.step("the scrubber, step buttons, arrow keys and go-to land on the right frames", async () => {
      await page.evaluate(`{
        const scrub = document.getElementById("scrub");
        scrub.value = "57";
        scrub.dispatchEvent(new Event("input"));
      }`);
      await assertShows(page, ref, 57);
      await page.click("#next");
      await assertShows(page, ref, 58);
      await page.click("#prev");
      await assertShows(page, ref, 57);
      await page.click("#prev-key");
      await assertShows(page, ref, 48);
      assert.ok(await page.isDisabled("#next-key"), "no keyframe after 48");
      await page.click("#prev-key");
      await assertShows(page, ref, 24);
      await page.click("#next-key");
      await assertShows(page, ref, 48);
      await page.click("#prev-key");
      await assertShows(page, ref, 24);
      await page.focus("#scrub");
      const keys: [string, number][] = [
        ["ArrowRight", 25],
        ["Shift+ArrowRight", 48],
        ["PageDown", 24],
        ["PageUp", 48],
        ["ArrowLeft", 47],
        ["Shift+ArrowLeft", 24],
        ["Home", 0],
        ["End", 71],
      ];
      for (const [key, n] of keys) {
        await page.keyboard.press(key);
        await assertShows(page, ref, n);
        assert.equal(await page.inputValue("#scrub"), String(n), `the slider follows ${key}`);
      }
      assert.ok(await page.isDisabled("#next"), "no frame after the last");
      // The keys work without the slider focused too (here: the step buttons).
      await page.focus("#prev");
      await page.keyboard.press("ArrowLeft");
      await assertShows(page, ref, 70);
      await page.fill("#goto", "13");
      await page.press("#goto", "Enter");
      await assertShows(page, ref, 13);
      // Typing in a text field does not move the frame.
      await page.focus("#key");
      await page.keyboard.press("ArrowRight");
      await page.waitForTimeout(150);
      await assertShows(page, ref, 13);
      assert.equal(new URL(page.url()).hash, `#key=${FILE}&n=13`);
    });

    await t.step("the cost panel shows the response's headers, and the chart one bar per request", async () => {
      const bars = await page.locator("#chart g.req").count();
      const res = await frameResponse(page, () => page.click("#next"));
      await assertShows(page, ref, 14);
      const h = res.headers();
      assert.equal(h["x-frame-index"], "14");
      assert.equal(await dataValue(page, "cost-requests"), h["x-storage-requests"]);
      assert.equal(await dataValue(page, "cost-storage"), h["x-storage-bytes"]);
      assert.equal(await dataValue(page, "cost-cache"), h["x-cache-bytes"]);
      assert.equal(await dataValue(page, "cost-lower"), h["x-frame-lower-bound"]);
      const timing = Object.fromEntries(
        h["server-timing"].split(",").map((p) => p.trim().split(";dur=")).map(([k, v]) => [k, Number(v)]),
      );
      assert.equal(Number(await dataValue(page, "cost-decode")), timing.decode);
      assert.equal(Number(await dataValue(page, "cost-encode")), timing.encode);
      assert.equal(await text(page, "#cost-requests"), h["x-storage-requests"]);
      assert.equal(await text(page, "#pts"), h["x-frame-pts"]);
      assert.equal(await page.getAttribute("#time", "title"), `${h["x-frame-time"]} s`);
      assert.match(await text(page, "#time"), /^0\.583 s$/);
      assert.match(
        await text(page, "#stats"),
        new RegExp(`^frame 14: ${h["x-storage-requests"]} storage requests? · [\\d.]+ [kMG]?B from storage · `),
      );
      assert.equal(await page.locator("#chart g.req").count(), Math.min(40, bars + 1));
      assert.equal(await page.getAttribute("#chart g.req:last-of-type", "data-index"), "14");
    });

    await t.step("format and width take effect, and the download is the frame's bytes", async () => {
      let res = await frameResponse(page, () => page.check("input[name=format][value=jpeg]"));
      await waitShown(page, 14);
      assert.equal(new URL(res.url()).searchParams.get("format"), "jpeg");
      assert.equal(res.headers()["content-type"], "image/jpeg");
      assert.equal(await page.getAttribute("#frame", "data-format"), "jpeg");
      res = await frameResponse(page, () => page.selectOption("#width", "160"));
      await page.waitForFunction(`document.getElementById("frame").naturalWidth === 160`);
      await waitShown(page, 14);
      assert.equal(new URL(res.url()).searchParams.get("width"), "160");
      assert.equal(await page.evaluate(`document.getElementById("frame").naturalHeight`), 120);
      assert.equal(new URL(page.url()).hash, `#key=${FILE}&n=14&format=jpeg&width=160`);
      assert.match(await text(page, "#download"), /Download JPEG/);
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
      assert.equal(download.suggestedFilename(), "h264_bframes_faststart-frame00014-w160.jpg");
      const got = await Deno.readFile((await download.path())!);
      const want = new Uint8Array(
        await (await fetch(`${open.base}/v1/frame?key=${FILE}&index=14&format=jpeg&width=160`)).arrayBuffer(),
      );
      assert.deepEqual(got, want, "the download is the frame the sidecar serves");
      // Back to PNG at full size: the download is the PNG, whose pixels are ffmpeg's frame.
      await frameResponse(page, () => page.check("input[name=format][value=png]"));
      await frameResponse(page, () => page.selectOption("#width", ""));
      await assertShows(page, ref, 14);
      const [png] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
      assert.equal(png.suggestedFilename(), "h264_bframes_faststart-frame00014.png");
      const file = toRgb(await Deno.readFile((await png.path())!));
      assert.ok(psnr(file.rgb, ref.frames[14]) >= 45);
    });

    await t.step("a link restores the video and frame, and playback seeks to the frame's time", async () => {
      await page.goto(open.base + `/#key=${FILE}&n=33`);
      await assertShows(page, ref, 33);
      assert.equal(await page.inputValue("#scrub"), "33");
      await page.reload();
      await assertShows(page, ref, 33);
      await page.check("#show-video");
      assert.match(await page.getAttribute("#video", "src") ?? "", new RegExp(`^/v1/object\\?key=${FILE}$`));
      await page.click("#prev-key");
      await waitShown(page, 24);
      // A quarter frame past frame 24's start (1 s), so the browser shows frame 24.
      await page.waitForFunction(
        `document.getElementById("video").readyState >= 1 && Math.abs(document.getElementById("video").currentTime - (1 + 0.25 / 24)) < 0.002`,
      );
      await page.uncheck("#show-video");
      assert.equal(await page.isVisible("#video"), false);
    });

    await t.step("errors are shown and the stale frame is cleared (404, 415, 422)", async () => {
      const stage = async () => toRgb(await page.screenshot({ clip: (await page.locator("#stage").boundingBox())! }));
      assert.ok(saturated(await stage()) > 0.2, "the frame's colour bars show before the error");
      await page.fill("#key", "missing/nope.mp4");
      await page.click("#open-button");
      await page.waitForSelector("#error", { state: "visible" });
      assert.equal(await page.getAttribute("#error", "data-status"), "404");
      assert.match(await text(page, "#error"), /not found/);
      assert.match(await text(page, "#error"), /missing\/nope\.mp4/);
      const cleared = async () => {
        assert.equal(await page.getAttribute("body", "data-state"), "error");
        assert.equal(await page.isVisible("#frame"), false, "no frame beside the error");
        assert.equal(await page.getAttribute("#frame", "src"), null);
        assert.equal(await page.getAttribute("#frame", "data-index"), null);
        assert.equal(await page.getAttribute("#download", "href"), null, "nothing to download");
        assert.equal(await text(page, "#cost-storage"), "–");
        assert.ok(saturated(await stage()) < 0.02, "the stage shows no frame");
      };
      await cleared();
      await page.fill("#key", "garbage.mp4");
      await page.click("#open-button");
      await page.waitForFunction(`document.getElementById("error").dataset.status === "415"`);
      assert.match(await text(page, "#error"), /not a video container/);
      await cleared();
      // A frame that fails after one that worked, in the same video.
      await page.goto(open.base + "/#key=truncated.mp4&n=1");
      await waitShown(page, 1);
      assert.ok(saturated(await stage()) > 0.2);
      await page.fill("#goto", "60");
      await page.press("#goto", "Enter");
      await page.waitForFunction(`document.getElementById("error").dataset.status === "422"`);
      assert.match(await text(page, "#error"), /truncated/);
      await cleared();
      assert.equal(await text(page, "#index"), "60");
      // And the next good frame replaces the error.
      await page.fill("#goto", "2");
      await page.press("#goto", "Enter");
      await waitShown(page, 2);
      assert.equal(await page.isVisible("#error"), false);
    });

    await t.step("the layout fits 1280×800 and 420 px wide (screenshots in test/fixtures/out/)", async () => {
      // A fresh page (a goto that changes only the fragment would keep this page's state).
      const page = await newPage();
      await page.goto(open.base + `/#key=${FILE}&n=30`);
      await assertShows(page, ref, 30);
      await page.waitForSelector(`#list .item[data-key="${FILE}"]`);
      const keyElements = [
        "#token",
        "#key",
        "#open-button",
        `#list .item[data-key="${FILE}"]`,
        "#frame",
        "#scrub",
        "#prev-key",
        "#prev",
        "#next",
        "#next-key",
        "#goto",
        "#width",
        "#download",
        "#cost-requests",
        "#cost-storage",
        "#chart",
      ];
      await assertLayout(page, 1280, 800, keyElements);
      const wide = await page.screenshot();
      await Deno.writeFile(join(FIXTURES, "viewer-1280.png"), wide);
      assertNotBlank(toRgb(wide));
      await page.setViewportSize({ width: 420, height: 800 });
      await page.waitForTimeout(100);
      await assertLayout(page, 420, undefined, keyElements);
      await page.evaluate("window.scrollTo(0, 0)");
      await assertShows(page, ref, 30);
      // The controls wrap instead of overflowing.
      const [prev, download] = [
        await page.locator("#prev-key").boundingBox(),
        await page.locator("#download").boundingBox(),
      ];
      assert.ok(download!.y > prev!.y, "the controls wrap onto more rows");
      const narrow = await page.screenshot({ fullPage: true });
      await Deno.writeFile(join(FIXTURES, "viewer-420.png"), narrow);
      const shot = toRgb(narrow);
      assert.equal(shot.width, 420);
      assertNotBlank(shot);
      await page.close();
    });

    await t.step("with a token sidecar the page asks for the token, then works", async () => {
      const tokenPage = await newPage();
      await tokenPage.goto(locked.base + `/#key=${FILE}&n=5`);
      await tokenPage.waitForFunction(`document.getElementById("error").dataset.status === "401"`);
      assert.match(await text(tokenPage, "#list-status"), /token/);
      assert.match(await text(tokenPage, "#error"), /token/i);
      assert.equal(await tokenPage.isVisible("#frame"), false);
      assert.equal(await tokenPage.getAttribute("#token-box", "class"), "token attention");
      await tokenPage.fill("#token", TOKEN);
      await tokenPage.press("#token", "Enter");
      await assertShows(tokenPage, ref, 5);
      await tokenPage.waitForSelector(`#list .item[data-key="${FILE}"]`);
      assert.ok(!tokenPage.url().includes(TOKEN), "the token is not in the URL");
      assert.equal(await tokenPage.evaluate(`sessionStorage.getItem("seekframe.token")`), TOKEN);
      await tokenPage.click(`#list .item[data-key="h264_odd_322x180.mp4"]`);
      await tokenPage.waitForFunction(`document.getElementById("frame").dataset.index === "0"`);
      assert.equal(await tokenPage.evaluate(`document.getElementById("frame").naturalWidth`), 322);
      // A reload keeps the token (this tab's sessionStorage) and the link.
      await tokenPage.goto(locked.base + `/#key=${FILE}&n=6`);
      await assertShows(tokenPage, ref, 6);
      assert.equal(await tokenPage.inputValue("#token"), TOKEN);
      await tokenPage.close();
    });

    assert.deepEqual(errors, [], "no script errors on the page");
  } finally {
    await browser.close();
    await Promise.all([open.stop(), locked.stop()]);
  }
});
