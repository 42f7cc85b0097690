// Browser test of the public status page: headless Debian Chromium (/usr/bin/chromium) driven by
// playwright-core, against a running casedesk that run_status_page.py started and seeded.
//
// Usage: node status_page.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher:
// admin_token, components [{id, name, group, status_word}], groups, incident {id, name, body}).
// With CASEDESK_SCREENSHOTS=1 it also writes docs/screenshots/status-page.png (1280 wide, full
// page) and status-page-mobile.png (390 x 844); otherwise it writes nothing in the tree.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed"
// and the exit code is non-zero when any check failed.
import {browserTest, exactly, expect, TIMEOUT_MS} from './support.mjs';

const t = browserTest('status page', 'status_page.test.mjs');
const {baseUrl, seed, screenshots} = t;

const ZONE = 'America/New_York';
const LIVE_UPDATE_MS = 45_000;  // longer than the script's own 30 s poll, as a fallback

// Loads /status and waits until status.js has run (it rewrites the zone note).
async function openStatus(page, {script = true} = {}) {
  const response = await page.goto(baseUrl + '/status', {waitUntil: 'load'});
  expect(response && response.status() === 200, `GET /status answered ${response?.status()}`);
  await page.locator('h1#sp-overall').waitFor({state: 'visible'});
  if (script) {
    await page.waitForFunction(
        (zone) => (document.querySelector('[data-tz-note]')?.textContent || '').includes(zone),
        ZONE, {timeout: TIMEOUT_MS});
  }
}

// Every <time datetime> under `scope` shows the instant in New York's zone, as the visitor's
// browser formats it (the same options as status.js, with the zone made explicit).
async function assertTimesInNewYork(page, scope) {
  const times = await page.locator(`${scope} time[datetime]`).evaluateAll((elements, zone) =>
    elements.map((element) => {
      const date = new Date(element.getAttribute('datetime'));
      const expected = new Intl.DateTimeFormat(undefined, {
        month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
        timeZoneName: 'short', timeZone: zone,
      }).format(date);
      return {datetime: element.getAttribute('datetime'), text: element.textContent.trim(),
              title: element.title, expected};
    }), ZONE);
  expect(times.length > 0, `no <time datetime> elements in ${scope}`);
  for (const time of times) {
    expect(time.text === time.expected,
           `<time datetime="${time.datetime}"> shows "${time.text}", expected "${time.expected}"`);
    expect(/\bE[SD]T\b/.test(time.text),
           `<time datetime="${time.datetime}"> shows "${time.text}", without EST or EDT`);
    expect(/\bE[SD]T\b/.test(time.title),
           `<time datetime="${time.datetime}"> title "${time.title}" is not in New York's zone`);
  }
  return times.length;
}

function componentRow(page, component) {
  return page.locator('li.sp-block')
      .filter({has: page.locator('h3.sp-name', {hasText: exactly(component.group)})})
      .locator('li.sp-member')
      .filter({has: page.locator('.sp-name', {hasText: exactly(component.name)})});
}

function incidentArticle(page) {
  return page.locator('section[aria-labelledby="sp-active"] article.sp-event')
      .filter({has: page.locator('.sp-event-title', {hasText: exactly(seed.incident.name)})});
}

let desktop;  // the 1280-wide page in New York's zone that the first checks share

t.check('page loads with no console errors or failed requests', async (browser) => {
  desktop = await t.newPage(browser, {viewport: {width: 1280, height: 900}, timezoneId: ZONE});
  await openStatus(desktop.page);
  await desktop.page.waitForLoadState('networkidle');
  desktop.watcher.assertClean('loading /status');
  const styled = await desktop.page.evaluate(
      () => getComputedStyle(document.body).fontFamily !== '' && document.styleSheets.length > 0);
  expect(styled, 'the stylesheet did not apply');
});

t.check('overall banner shows the indicator text', async () => {
  const summary = await t.api('GET', '/api/v2/status.json');
  expect(summary.status === 200, `GET /api/v2/status.json answered ${summary.status}`);
  const description = summary.body.status.description;
  expect(description, `no status.description in ${summary.text}`);
  const banner = desktop.page.locator('h1#sp-overall');
  await banner.waitFor({state: 'visible'});
  const text = (await banner.innerText()).trim();
  expect(text.endsWith(description), `banner says "${text}", expected "${description}"`);
  expect(description !== 'All Systems Operational',
         'a degraded component and an incident should not read as all operational');
});

t.check('groups and components show with their status words', async () => {
  const page = desktop.page;
  for (const group of seed.groups) {
    const heading = page.locator('li.sp-block > .sp-row h3.sp-name', {hasText: exactly(group)});
    expect(await heading.count() === 1, `group "${group}" is not listed once`);
    expect(await heading.isVisible(), `group "${group}" is not visible`);
  }
  for (const component of seed.components) {
    const row = componentRow(page, component);
    expect(await row.count() === 1,
           `component "${component.name}" is not listed once under "${component.group}"`);
    expect(await row.isVisible(), `component "${component.name}" is not visible`);
    const status = (await row.locator('.sp-row .sp-status').innerText()).trim();
    expect(status.endsWith(component.status_word),
           `"${component.name}" shows "${status}", expected "${component.status_word}"`);
  }
});

t.check('each component shows 90 uptime bars', async () => {
  for (const component of seed.components) {
    const bars = componentRow(desktop.page, component).locator('ol.sp-bars > li.sp-bar');
    const count = await bars.count();
    expect(count === 90, `"${component.name}" has ${count} uptime bars, expected 90`);
    const box = await bars.last().boundingBox();
    expect(box && box.width > 0 && box.height > 0, `"${component.name}"'s bars are not drawn`);
  }
});

t.check('the active incident shows with its update text', async () => {
  const article = incidentArticle(desktop.page);
  expect(await article.count() === 1, `incident "${seed.incident.name}" is not listed once`);
  expect(await article.isVisible(), `incident "${seed.incident.name}" is not visible`);
  const text = await article.innerText();
  expect(text.includes(seed.incident.body), `incident does not show "${seed.incident.body}"`);
  expect(/Investigating/.test(text), 'incident does not show its status "Investigating"');
  const affected = seed.components.find((c) => c.name === 'Web app');
  expect(text.includes(affected.name), `incident does not name "${affected.name}" as affected`);
});

t.check('times are shown in the visitor\'s zone (America/New_York)', async () => {
  const page = desktop.page;
  const count = await assertTimesInNewYork(page, 'main');
  const note = (await page.locator('[data-tz-note]').innerText()).trim();
  expect(note.includes(ZONE), `zone note says "${note}"`);
  console.log(`    ${count} times localised, e.g. "` +
              `${(await page.locator('main time[datetime]').first().innerText()).trim()}"`);
});

t.check('an update posted while the page is open appears without a reload', async () => {
  const page = desktop.page;
  await page.evaluate(() => { window.casedeskTestSameDocument = true; });
  const words = 'We found the cause, a slow database query, and a fix is rolling out.';
  const posted = await t.api('POST', `/api/v1/status/incidents/${seed.incident.id}/updates`,
                           {status: 'identified', body: words,
                            component_status: 'degraded_performance'});
  expect(posted.status === 201, `posting the update answered ${posted.status}: ${posted.text}`);
  const update = incidentArticle(page).locator('.sp-update-body', {hasText: words});
  // status.js polls on visibilitychange (and every 30 s): nudge it until the update shows.
  const deadline = Date.now() + LIVE_UPDATE_MS;
  while (!(await update.isVisible())) {
    expect(Date.now() < deadline,
           `the update did not appear within ${LIVE_UPDATE_MS / 1000} s of posting it`);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await update.waitFor({state: 'visible', timeout: 3000}).catch(() => {});
  }
  expect(await page.evaluate(() => window.casedeskTestSameDocument === true),
         'the page was reloaded instead of updated in place');
  const tags = await incidentArticle(page).locator('.sp-tag-status').innerText();
  expect(/Identified/.test(tags), `incident status shows "${tags}", expected "Identified"`);
  await assertTimesInNewYork(page, 'main');
  const live = await page.locator('#sp-live-note').textContent();
  expect(/updated/i.test(live || ''), `live region says "${live}"`);
  desktop.watcher.assertClean('the live update');
  if (screenshots) await t.saveScreenshot(page, 'status-page.png');
});

t.check('Tab reaches the subscribe email field with a visible focus outline', async (browser) => {
  const {context, page, watcher} =
      await t.newPage(browser, {viewport: {width: 1280, height: 900}, timezoneId: ZONE});
  try {
    await openStatus(page);
    const path = [];
    for (let presses = 0; presses < 100; presses++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => {
        const active = document.activeElement;
        return active ? active.id || active.tagName.toLowerCase() : '';
      });
      path.push(id);
      if (id === 'sp-email') break;
    }
    expect(path.at(-1) === 'sp-email',
           `100 presses of Tab did not reach #sp-email (went through ${path.join(', ')})`);
    const field = page.locator('#sp-email');
    expect(await field.isVisible(), 'the focused email field is not visible');
    const ring = await field.evaluate((element) => {
      const style = getComputedStyle(element);
      return {focusVisible: element.matches(':focus-visible'), style: style.outlineStyle,
              width: parseFloat(style.outlineWidth), color: style.outlineColor};
    });
    expect(ring.focusVisible, 'the email field does not match :focus-visible');
    expect(ring.style !== 'none' && ring.width >= 2 && !/rgba\(.*, 0\)$/.test(ring.color),
           `focus outline is ${ring.style} ${ring.width}px ${ring.color}`);
    watcher.assertClean('keyboard navigation');
  } finally {
    await context.close();
  }
});

t.check('subscribing works without JavaScript', async (browser) => {
  const {context, page, watcher} =
      await t.newPage(browser, {viewport: {width: 1280, height: 900}, javaScriptEnabled: false});
  try {
    await openStatus(page, {script: false});
    const note = (await page.locator('[data-tz-note]').innerText()).trim();
    expect(!note.includes(ZONE), `without JavaScript the zone note still changed: "${note}"`);
    const form = page.locator('form[action="/status/subscribe"]');
    await form.locator('input[name="email"]').fill(`visitor-${Date.now()}@example.com`);
    await form.locator('input[name="component_id"]').first().check();
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/status/subscribe') &&
                                  r.request().method() === 'POST'),
      form.locator('button[type="submit"]').click(),
    ]);
    expect(response.status() === 200, `POST /status/subscribe answered ${response.status()}`);
    await page.waitForURL(/\/status\/subscribe$/);
    const title = page.locator('main h1');
    await title.waitFor({state: 'visible'});
    const heading = (await title.innerText()).trim();
    expect(heading === 'Check your inbox', `after subscribing the page says "${heading}"`);
    watcher.assertClean('subscribing without JavaScript');
  } finally {
    await context.close();
  }
});

t.check('a 390 x 844 phone viewport has no horizontal scrollbar', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {
    viewport: {width: 390, height: 844}, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    timezoneId: ZONE,
  });
  try {
    await openStatus(page);
    const widths = await page.evaluate(() => ({
      scroll: document.scrollingElement.scrollWidth, client: document.scrollingElement.clientWidth,
    }));
    expect(widths.scroll <= 390,
           `the page is ${widths.scroll}px wide at 390px (client width ${widths.client}px)`);
    const bars = await page.locator('ol.sp-bars').first().boundingBox();
    expect(bars && bars.x >= 0 && bars.x + bars.width <= 390,
           `uptime bars overflow the phone screen: ${JSON.stringify(bars)}`);
    watcher.assertClean('the phone viewport');
    if (screenshots) await t.saveScreenshot(page, 'status-page-mobile.png');
  } finally {
    await context.close();
  }
});

t.run();
