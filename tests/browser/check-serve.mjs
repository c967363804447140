// Uses `detente serve` in headless Chromium as a person would: opens the app, moves two
// saliences and waits for the Nash deal to change, compares the what-ifs side by side, runs a
// negotiation and watches it to its end, then plays Ukraine's seat against conceding
// negotiators to an agreement, and votes Ukraine's way through a single-text mediation. Fails
// on any page error, console error or blocked resource (the content security policy allows no
// inline script). Prints one JSON line with what it saw.
//
//   node tests/browser/check-serve.mjs --url http://127.0.0.1:PORT/ [--screenshots DIR]
//
// The browser is Debian's Chromium ($CHROMIUM or /usr/bin/chromium); none is ever downloaded.
import { launch } from './launch.mjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const TIMEOUT_MS = 60_000;
const args = process.argv.slice(2);
const opt = (name) => { const k = args.indexOf(name); return k >= 0 ? args[k + 1] : undefined; };
const url = opt('--url');
const shots = opt('--screenshots');
if (!url) { console.error('usage: check-serve.mjs --url URL [--screenshots DIR]'); process.exit(2); }

const problems = [];
const fail = (what) => { throw new Error(what); };

const browser = await launch(TIMEOUT_MS);
let code = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(TIMEOUT_MS);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`); });
  page.on('requestfailed', (r) => {
    // the app closes a negotiation's event stream itself once `done` arrives (an EventSource
    // would reconnect otherwise): that request may end as aborted, by design
    if (r.url().includes('/events') && r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });

  // ---- explore: the Nash deal follows the saliences
  await page.goto(url);
  const nash = page.locator('#deal table[data-deal="Nash deal"]');
  await nash.waitFor();
  const before = await nash.textContent();
  await page.locator('details.actor[data-actor="ukraine"] > summary').click();
  await page.locator('details.actor[data-actor="russia"] > summary').click();
  const set = async (name, value) => page.locator(`input[name="${name}"]`).evaluate((el, v) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, String(value));
  const t0 = Date.now();
  await set('salience-ukraine-territory', 1);
  await set('salience-russia-territory', 0.05);
  await page.waitForFunction((prev) => {
    const t = document.querySelector('#deal table[data-deal="Nash deal"]');
    return t && t.textContent !== prev && document.querySelectorAll('#changes li').length === 2;
  }, before);
  const updateMs = Date.now() - t0;
  const after = await nash.textContent();
  const changes = await page.locator('#changes li').allTextContents();
  // the scenario's tables follow the edits: Ukraine's territory salience now reads 1.00
  await page.locator('#scenario-tables > summary').click();
  const actorsRows = await page.locator('#actors-table tr').count();
  if (actorsRows < 3) fail(`the actor table has ${actorsRows} rows`);
  const ukraineRow = await page.locator('#actors-table tr', { hasText: 'Ukraine' }).first().textContent();
  if (!ukraineRow.includes('(1.00)')) fail(`the actor table does not show the edited salience: ${ukraineRow}`);
  // the analysis page in its frame shows the utility space
  await page.frameLocator('#analysis-page').locator('figure.plot svg').first().waitFor();
  if (shots) { mkdirSync(shots, { recursive: true }); await page.screenshot({ path: join(shots, 'explore.png'), fullPage: false }); }
  // every what-if side by side, with the edits as one more column; what differs is marked
  const variants = await page.locator('#variant option').count() - 1;
  await page.locator('#compare-all').click();
  await page.waitForSelector('#compare[data-cases]');
  const compared = +(await page.locator('#compare').getAttribute('data-cases'));
  if (compared !== variants + 2) fail(`${compared} cases compared, not the ${variants} what-ifs, the base and the edits`);
  const columns = await page.locator('#compare-table tr').first().locator('th').count();
  if (columns !== compared + 1) fail(`the comparison has ${columns} columns for ${compared} cases`);
  const marked = await page.locator('#compare-table td.changed').count();
  if (marked < 1) fail('no term of any what-if is marked as differing from the scenario as written');
  if (shots) { await page.locator('#compare').scrollIntoViewIfNeeded(); await page.screenshot({ path: join(shots, 'compare.png'), fullPage: false }); }

  // ---- watch: a negotiation to its end
  await page.locator('#tabs button[data-tab="watch"]').click();
  await page.locator('#protocol').selectOption('sao');
  await page.locator('#negotiators').fill('boulware,conceder');
  await page.locator('#rounds').fill('30');
  await page.locator('#pace').evaluate((el) => { el.value = '20'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.locator('#start').click();
  await page.waitForSelector('#status[data-end]');
  await page.locator('#negotiation-page').waitFor({ state: 'visible' });
  const end = await page.locator('#status').getAttribute('data-end');
  const offers = await page.locator('#offers tbody tr').count();
  const curves = await page.locator('#curves polyline').count();
  const dots = await page.locator('#space circle.offer').count();
  if (dots < 2) fail(`only ${dots} offers drawn in the utility space`);
  if ((await page.locator('#space #frontier').count()) !== 1) fail('no Pareto frontier in the utility space');
  const traceHref = await page.locator('#trace').getAttribute('href');
  if (offers < 2) fail(`only ${offers} actions shown`);
  if (curves < 2) fail(`only ${curves} concession curves drawn`);
  await page.frameLocator('#negotiation-page').locator('figure.plot svg').first().waitFor();
  if (shots) await page.screenshot({ path: join(shots, 'watch.png'), fullPage: false });

  // ---- play: Ukraine's seat against conceding negotiators, to an agreement
  await page.locator('#tabs button[data-tab="play"]').click();
  await page.locator('#seat').selectOption('ukraine');
  await page.locator('#opponents').fill('conceder');
  await page.locator('#game-rounds').fill('30');
  await page.locator('#start-game').click();
  const status = page.locator('#game-status');
  await page.waitForSelector('#game-status[data-status]');
  let played = 0;
  for (; played < 40; played++) {
    const st = await status.getAttribute('data-status');
    if (st !== 'waiting') break;
    const moves = await status.getAttribute('data-moves');
    if ((await status.getAttribute('data-can-accept')) === 'true') {
      await page.locator('#accept').click();
    } else {
      const seen = await page.evaluate(() => document.body.dataset.evaluated);
      await page.locator('#best').click();
      await page.waitForFunction((s) => document.body.dataset.evaluated !== s, seen);
      await page.locator('#offer').click();
    }
    await page.waitForFunction((m) => {
      const e = document.querySelector('#game-status');
      return e.dataset.moves !== m || e.dataset.status !== 'waiting';
    }, moves);
  }
  const gameEnd = await status.getAttribute('data-status');
  if (gameEnd !== 'agreed') fail(`the game ended ${gameEnd} after ${played} moves`);
  const yours = await page.locator('#your-utility').textContent();
  const agents = await page.locator('#agent-utility').textContent();
  await page.frameLocator('#game-page').locator('figure.plot svg').first().waitFor();
  if (shots) await page.screenshot({ path: join(shots, 'play.png'), fullPage: false });

  // ---- play single text: Ukraine votes on the mediator's candidates as GENIUS's HillClimber
  // voter would (yes to what beats the text, or walking away, and crosses no red line), so it
  // ends where the agent in its seat ends
  await page.locator('#game-protocol').selectOption('single_text');
  await page.locator('#seat').selectOption('ukraine');
  await page.locator('#game-rounds').fill('12');
  const lastGame = await status.getAttribute('data-moves');
  await page.locator('#start-game').click();
  await page.waitForFunction(() => document.querySelector('#game-status').dataset.asked !== '');
  let votes = 0;
  let shot = false;
  for (; votes < 200; votes++) {
    const d = await status.evaluate((e) => ({ ...e.dataset }));
    if (d.status !== 'waiting') break;
    if (d.asked !== 'candidate' && d.asked !== 'final') fail(`single text asked ${d.asked}`);
    if (!(await page.locator('#offering').isHidden())) fail('an offer builder is shown where a vote is due');
    // the screenshot: a candidate beside the text it would replace
    if (shots && d.textUtility !== '' && !shot) { shot = true; await page.screenshot({ path: join(shots, 'play-single-text.png'), fullPage: false }); }
    const floor = d.asked === 'candidate' && d.textUtility !== '' ? +d.textUtility : +d.reservation;
    const yes = d.acceptable === 'true' && +d.utility >= floor;
    await page.locator(yes ? '#accept' : '#reject').click();
    await page.waitForFunction((m) => {
      const e = document.querySelector('#game-status');
      return e.dataset.moves !== m || e.dataset.status !== 'waiting';
    }, d.moves);
  }
  const textEnd = await status.getAttribute('data-status');
  if (textEnd === 'waiting') fail(`single text still waiting after ${votes} votes`);
  const textYours = await page.locator('#your-utility').textContent();
  const textAgent = (await page.locator('#agent-utility').textContent()).split(':')[0];
  if (textYours !== textAgent) fail(`voting as the agent would gave ${textYours}, the agent ${textAgent}`);
  const mediatorRows = await page.locator('#moves tbody tr', { hasText: 'proposes' }).count();
  if (mediatorRows < 1) fail('no mediator proposal in the talks');
  if (shots && !shot) fail('no candidate was put beside a text');
  if (lastGame === null) fail('no first game');

  if (before === after) fail('the Nash deal did not change');
  if (problems.length) fail(problems.join('\n'));
  console.log(JSON.stringify({ before, after, changes, update_ms: updateMs, compared, marked, end, offers, curves, dots, trace: traceHref, game: gameEnd, moves: played, yours, agents, single_text: textEnd, votes, single_text_yours: textYours }));
} catch (e) {
  console.error(`check-serve: ${e.message}`);
  if (problems.length) console.error(problems.join('\n'));
  code = 1;
} finally {
  await browser.close();
}
process.exit(code);
