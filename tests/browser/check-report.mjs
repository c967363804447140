#!/usr/bin/env node
// Opens detente's self-contained HTML report in headless Chromium, as a reader would, and checks:
//   1. the page makes no network request (anything but the report's own file:// URL or a data: URL);
//   2. a full-page PNG screenshot is taken and is not blank;
//   3. every plot promised by <nav id="contents"> (links <a href="#plot-…">) is a <figure class="plot">
//      with that id holding an inline <svg> that renders at >= 100x60 CSS px with >= 5 drawing elements;
//      at least --min-plots such links exist, and every --expect id is among them;
//   4. no console errors and no uncaught page errors.
//
// Usage: node check-report.mjs --html FILE --screenshot OUT.png [--min-plots N] [--expect id1,id2]
// Exit status: 0 when every check passes, 1 when any fails (each failure is printed), 2 on bad usage.
// The browser is Debian's Chromium ($CHROMIUM or /usr/bin/chromium); none is ever downloaded.

import { launch } from './launch.mjs';
import { PNG } from 'pngjs';
import { existsSync, statSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const USAGE = 'usage: node check-report.mjs --html FILE --screenshot OUT.png [--min-plots N] [--expect id1,id2]';
const MIN_SVG_WIDTH = 100;
const MIN_SVG_HEIGHT = 60;
const MIN_DRAWING_ELEMENTS = 5;
const DRAWING_SELECTOR = 'path, line, rect, circle, polygon, polyline, text';
const MIN_NON_BACKGROUND = 0.02; // of the full-page screenshot's pixels
const TIMEOUT_MS = 60_000;

function usage(message) {
  console.error(`check-report: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { html: null, screenshot: null, minPlots: 1, expect: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) usage(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '--html': opts.html = value(); break;
      case '--screenshot': opts.screenshot = value(); break;
      case '--min-plots': {
        const v = value();
        if (!/^\d+$/.test(v)) usage(`--min-plots must be a non-negative integer, not ${JSON.stringify(v)}`);
        opts.minPlots = Number(v);
        break;
      }
      case '--expect': opts.expect.push(...value().split(',').map((s) => s.trim().replace(/^#/, '')).filter(Boolean)); break;
      case '-h': case '--help': console.log(USAGE); process.exit(0); break;
      default: usage(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  if (!opts.html) usage('--html is required');
  if (!opts.screenshot) usage('--screenshot is required');
  return opts;
}

/** Colour statistics of a PNG: size, distinct colours, share of pixels that differ from the most common one. */
function pngStats(buffer) {
  const png = PNG.sync.read(buffer);
  const counts = new Map();
  const { data } = png;
  for (let p = 0; p < data.length; p += 4) {
    const key = ((data[p] << 24) | (data[p + 1] << 16) | (data[p + 2] << 8) | data[p + 3]) >>> 0;
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  let background = 0;
  let backgroundCount = 0;
  for (const [key, n] of counts) if (n > backgroundCount) [background, backgroundCount] = [key, n];
  const pixels = png.width * png.height;
  const hex = (background >>> 8).toString(16).padStart(6, '0');
  return {
    width: png.width,
    height: png.height,
    colours: counts.size,
    background: `#${hex}`,
    nonBackground: pixels === 0 ? 0 : (pixels - backgroundCount) / pixels,
  };
}

/** Runs in the page: what the contents promise and what each promised plot looks like. */
function inspectPlots({ drawingSelector }) {
  const nav = document.querySelector('nav#contents');
  if (!nav) return { nav: false, links: [], plots: [], unlinkedFigures: [] };
  const links = [...nav.querySelectorAll('a[href^="#plot-"]')].map((a) => {
    const raw = a.getAttribute('href').slice(1);
    let id = raw;
    try { id = decodeURIComponent(raw); } catch { /* keep raw */ }
    return id;
  });
  const unique = [...new Set(links)];
  const plots = unique.map((id) => {
    const matches = document.querySelectorAll(`[id="${CSS.escape(id)}"]`);
    const el = document.getElementById(id);
    const result = { id, exists: !!el, count: matches.length, tag: el ? el.tagName.toLowerCase() : null, isFigurePlot: false, svg: false };
    if (!el) return result;
    result.isFigurePlot = el.matches('figure.plot');
    const svg = el.querySelector('svg');
    if (!svg) return result;
    const box = svg.getBoundingClientRect();
    const style = getComputedStyle(svg);
    result.svg = true;
    result.width = box.width;
    result.height = box.height;
    result.visible = style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0;
    result.drawing = svg.querySelectorAll(drawingSelector).length;
    return result;
  });
  const linked = new Set(unique);
  const unlinkedFigures = [...document.querySelectorAll('figure.plot')].map((f) => f.id || '(no id)').filter((id) => !linked.has(id));
  return { nav: true, links, plots, unlinkedFigures };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const htmlPath = resolve(opts.html);
  const shotPath = resolve(opts.screenshot);
  if (!existsSync(htmlPath) || !statSync(htmlPath).isFile()) usage(`no such file: ${htmlPath}`);
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(`check-report: Chromium not found at ${executablePath} (install it: apt-get install chromium, or set CHROMIUM)`);
    process.exit(1);
  }

  const reportUrl = pathToFileURL(htmlPath).href;
  const stripHash = (u) => u.split('#')[0];
  const allowed = (u) => u.startsWith('data:') || stripHash(u) === reportUrl;

  const failures = [];
  const requests = [];
  const blocked = [];
  const consoleErrors = [];
  const pageErrors = [];

  const browser = await launch(TIMEOUT_MS, executablePath);
  let summary;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, serviceWorkers: 'block' });
    // Record every request; let none leave the machine (a blocked request still counts as a failure).
    context.on('request', (req) => {
      requests.push(req.url());
      if (!allowed(req.url())) blocked.push(`${req.method()} ${req.url()} (${req.resourceType()})`);
    });
    await context.route((url) => !allowed(url.href), (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    page.on('websocket', (ws) => blocked.push(`WebSocket ${ws.url()}`));
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const where = msg.location()?.url || '';
      consoleErrors.push({ text: msg.text(), where });
    });
    page.on('pageerror', (err) => pageErrors.push(err.stack || String(err)));
    page.on('crash', () => failures.push('the page crashed'));

    const response = await page.goto(reportUrl, { waitUntil: 'load' });
    if (response && !response.ok()) failures.push(`loading ${reportUrl} gave status ${response.status()}`);
    // Let fonts, scripts and a couple of frames settle; scroll through so that lazy content loads.
    await page.evaluate(async () => {
      await document.fonts.ready;
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      const step = Math.max(200, window.innerHeight);
      for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
        window.scrollTo(0, y);
        await frame();
      }
      window.scrollTo(0, 0);
      await frame();
      await frame();
    });
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});

    // 3. plots
    const info = await page.evaluate(inspectPlots, { drawingSelector: DRAWING_SELECTOR });
    if (!info.nav) {
      failures.push('no <nav id="contents"> in the report: nothing says which plots it promises');
    } else {
      const ids = info.plots.map((p) => p.id);
      if (ids.length < opts.minPlots) {
        failures.push(`<nav id="contents"> links ${ids.length} plot(s) (<a href="#plot-…">), fewer than --min-plots ${opts.minPlots}`);
      }
      for (const id of opts.expect) {
        if (!ids.includes(id)) failures.push(`expected plot "${id}" is not linked from <nav id="contents"> (no <a href="#${id}">)`);
      }
      for (const p of info.plots) {
        const what = `plot "${p.id}"`;
        if (!p.exists) { failures.push(`${what} is linked from the contents but no element has id="${p.id}"`); continue; }
        if (p.count > 1) failures.push(`${what}: ${p.count} elements share id="${p.id}"`);
        if (!p.isFigurePlot) failures.push(`${what}: the element with that id is <${p.tag}>, not <figure class="plot">`);
        if (!p.svg) { failures.push(`${what}: no inline <svg> inside it`); continue; }
        if (!p.visible) failures.push(`${what}: its <svg> is hidden (display/visibility/opacity)`);
        if (p.width < MIN_SVG_WIDTH || p.height < MIN_SVG_HEIGHT) {
          failures.push(`${what}: its <svg> renders at ${p.width.toFixed(1)}x${p.height.toFixed(1)} CSS px, smaller than ${MIN_SVG_WIDTH}x${MIN_SVG_HEIGHT}`);
        }
        if (p.drawing < MIN_DRAWING_ELEMENTS) {
          failures.push(`${what}: its <svg> has ${p.drawing} drawing element(s) (${DRAWING_SELECTOR}), fewer than ${MIN_DRAWING_ELEMENTS}`);
        }
      }
      // Each plot must also paint something: a picture of its svg with more than one colour.
      for (const p of info.plots) {
        if (!p.svg || !p.visible || p.width < 1 || p.height < 1) continue;
        const shot = await page.locator(`[id="${p.id.replace(/["\\]/g, '\\$&')}"] svg`).first().screenshot({ type: 'png', animations: 'disabled' });
        const s = pngStats(shot);
        p.paint = s;
        if (s.colours < 2) failures.push(`plot "${p.id}": its <svg> paints a single colour (${s.background}): blank`);
      }
    }

    // 2. screenshot
    const shot = await page.screenshot({ path: shotPath, fullPage: true, type: 'png', animations: 'disabled' });
    const stats = pngStats(readFileSync(shotPath));
    if (shot.length === 0) failures.push('the screenshot is empty');
    if (stats.colours < 2) failures.push(`the screenshot is a single colour (${stats.background}): blank page`);
    if (stats.nonBackground <= MIN_NON_BACKGROUND) {
      failures.push(`only ${(100 * stats.nonBackground).toFixed(2)} % of the screenshot differs from its background ${stats.background} (need > ${100 * MIN_NON_BACKGROUND} %): blank or nearly blank page`);
    }
    // Anything the screenshot's resize set off.
    await page.waitForTimeout(250);
    summary = { info, stats, bytes: shot.length };
    await context.close();
  } finally {
    await browser.close();
  }

  // 1. network
  for (const r of blocked) failures.push(`network request (the report must be self-contained): ${r}`);
  // 4. console and page errors; a console error about a request already reported above is not repeated.
  const blockedUrls = new Set(requests.filter((u) => !allowed(u)));
  for (const e of consoleErrors) {
    if (e.where && blockedUrls.has(e.where)) continue;
    failures.push(`console error: ${e.text}${e.where ? ` (at ${e.where})` : ''}`);
  }
  for (const e of pageErrors) failures.push(`uncaught page error: ${e}`);

  const { info, stats, bytes } = summary;
  const ids = info.plots.map((p) => p.id);
  console.log(`report: ${htmlPath}`);
  console.log(`plots: ${ids.length} linked from the contents (min ${opts.minPlots})${ids.length ? `: ${ids.join(', ')}` : ''}`);
  for (const p of info.plots.filter((q) => q.svg)) {
    console.log(`  ${p.id}: svg ${p.width.toFixed(0)}x${p.height.toFixed(0)} px, ${p.drawing} drawing elements${p.paint ? `, ${p.paint.colours} colours` : ''}`);
  }
  if (info.unlinkedFigures.length) console.log(`note: figure.plot not linked from the contents: ${info.unlinkedFigures.join(', ')}`);
  console.log(`screenshot: ${shotPath} (${stats.width}x${stats.height} px, ${bytes} bytes, ${stats.colours} colours, `
    + `${(100 * stats.nonBackground).toFixed(1)} % non-background, background ${stats.background})`);
  console.log(`requests: ${requests.length} (${blocked.length} not allowed)`);

  if (failures.length) {
    console.error(`\nFAILED: ${failures.length} problem(s):`);
    for (const f of failures) console.error(`  - ${f}`);
    process.exit(1);
  }
  console.log('ok: offline, not blank, every promised plot rendered, no console or page errors');
}

main().catch((err) => {
  console.error(`check-report: ${err.stack || err}`);
  process.exit(1);
});
