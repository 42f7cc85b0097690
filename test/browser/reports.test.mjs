// Browser test of the reports (issue 7): headless Debian Chromium (/usr/bin/chromium) driven by
// playwright-core, against a running casedesk that run_reports.py started and seeded.
//
// Usage: node reports.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher: password,
// admin_email, acme_id, from, to, xss).
// Staff open the console's Reports page from the navigation, pick an organisation and open its
// service review: inline SVG charts (role=img with a title and a description), the report
// tables, and CSV links that download text/csv attachments; organisation names with markup are
// escaped; everything works without JavaScript; a 390 px phone needs no sideways scrolling of
// the page. With CASEDESK_SCREENSHOTS=1 it writes docs/screenshots/console-service-review.png.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed".
import {browserTest, expect, expectNoSidewaysScroll, PHONE, submit} from './support.mjs';

const t = browserTest('reports', 'reports.test.mjs');
const {baseUrl, seed, screenshots} = t;

async function signIn(page, landing) {
  await page.goto(baseUrl + landing, {waitUntil: 'load'});
  expect(new URL(page.url()).pathname === '/login', `signed out, ${landing} went to ${page.url()}`);
  const form = page.locator('form[action="/login"]');
  await form.getByLabel('Email address').fill(seed.admin_email);
  await form.getByLabel('Password').fill(seed.password);
  await submit(page, form);
}

async function noScriptRan(page, when) {
  expect(!(await page.evaluate(() => window.__xss === 1)), `${when}: the XSS payload ran`);
}

async function checkReview(page, when) {
  const heading = (await page.locator('h1').innerText()).trim();
  expect(heading.startsWith('Service review: Acme'), `${when}: heading "${heading}"`);
  expect(heading.includes('<img'), `${when}: the organisation's name lost its text`);
  const charts = page.locator('svg.cc-chart');
  expect(await charts.count() >= 2, `${when}: ${await charts.count()} charts`);
  for (let i = 0; i < await charts.count(); ++i) {
    const svg = charts.nth(i);
    expect(await svg.getAttribute('role') === 'img', `${when}: chart ${i} is not role=img`);
    const [titleId, descId] = (await svg.getAttribute('aria-labelledby')).split(' ');
    const title = (await page.locator('#' + titleId).textContent()).trim();
    expect(title.length > 0, `${when}: chart ${i} has no title`);
    expect((await page.locator('#' + descId).textContent()).trim().length > 0,
           `${when}: chart ${i} has no description`);
  }
  const severity = page.locator('svg#cc-chart-severity, svg[aria-labelledby^="cc-chart-severity"]');
  expect(await severity.locator('rect title').count() >= 4, `${when}: no severity bars`);
  const sla = page.locator('section#sla-compliance table');
  expect(await sla.count() === 1, `${when}: no SLA compliance table`);
  const critical = sla.locator('tbody tr', {hasText: 'critical'}).first();
  expect((await critical.innerText()).includes('first_response'), `${when}: no critical line`);
  for (const id of ['sla-by-month', 'backlog', 'partner-resolution', 'severity-flags',
                    'service-credits', 'hours']) {
    expect(await page.locator(`section#${id}`).count() === 1, `${when}: no ${id} section`);
  }
}

t.check('staff open a service review from the Reports page, with charts and tables',
        async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, '/console/cases');
    await page.getByRole('navigation').getByRole('link', {name: 'Reports'}).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname === '/console/reports', `Reports went to ${page.url()}`);
    expect(await page.locator('section#sla-compliance table').count() === 1,
           'the index has no SLA table');
    const picker = page.locator('form[action="/console/reports/service-review"]');
    await picker.getByLabel('Service review for').selectOption(String(seed.acme_id));
    await Promise.all([page.waitForURL(/service-review/),
                       picker.locator('button[type="submit"]').click()]);
    await page.waitForLoadState('load');
    const url = new URL(page.url());
    expect(url.pathname === '/console/reports/service-review', `went to ${page.url()}`);
    expect(url.searchParams.get('org') === String(seed.acme_id), 'the org was not carried');
    await checkReview(page, 'service review');
    await noScriptRan(page, 'the service review');
    if (screenshots) await t.saveScreenshot(page, 'console-service-review.png');
    watcher.assertClean('the service review');
  } finally {
    await context.close();
  }
});

t.check('every table has a CSV link that downloads a CSV attachment', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, `/console/reports/service-review?org=${seed.acme_id}` +
                       `&from=${seed.from}&to=${seed.to}`);
    const links = page.locator('a.cc-rp-csv');
    const count = await links.count();
    expect(count >= 6, `${count} CSV links`);
    for (let i = 0; i < count; ++i) {
      const href = await links.nth(i).getAttribute('href');
      expect(href.startsWith('/console/reports/') && href.includes('.csv?'), `link ${href}`);
      const response = await page.request.get(baseUrl + href);
      expect(response.status() === 200, `${href}: ${response.status()}`);
      const headers = response.headers();
      expect(headers['content-type'] === 'text/csv; charset=utf-8', `${href}: ${headers['content-type']}`);
      expect(/^attachment; filename="casedesk-[a-z-]+-org\d+-[0-9-]+\.csv"$/.test(
                 headers['content-disposition']), `${href}: ${headers['content-disposition']}`);
      const text = await response.text();
      expect(text.endsWith('\r\n') && text.split('\r\n')[0].includes(','), `${href}: body`);
    }
    const credits = await page.request.get(
        baseUrl + `/console/reports/sla-compliance.csv?org=${seed.acme_id}&from=${seed.from}&to=${seed.to}`);
    const lines = (await credits.text()).split('\r\n');
    expect(lines.some((line) => line.startsWith('critical,first_response,1,0,1')),
           `the critical line is not in the CSV: ${lines.join(' | ')}`);
    watcher.assertClean('the CSV links');
  } finally {
    await context.close();
  }
});

t.check('without JavaScript the service review renders its charts', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {
    viewport: {width: 1280, height: 900}, javaScriptEnabled: false});
  try {
    await signIn(page, `/console/reports/service-review?org=${seed.acme_id}` +
                       `&from=${seed.from}&to=${seed.to}`);
    await checkReview(page, 'without JavaScript');
    watcher.assertClean('without JavaScript');
  } finally {
    await context.close();
  }
});

t.check('a 390 x 844 phone shows the reports without a horizontal scrollbar', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, PHONE);
  try {
    await signIn(page, '/console/cases');
    await expectNoSidewaysScroll(page, baseUrl, ['/console/reports']);
    watcher.assertClean('the phone viewport');
  } finally {
    await context.close();
  }
});

t.run();
