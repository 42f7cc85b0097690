// Browser test of contract hours (issue 7): headless Debian Chromium (/usr/bin/chromium) driven
// by playwright-core, against a running casedesk that run_hours.py started and seeded.
//
// Usage: node hours.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher: password,
// admin_email, admin_token, alice_email, pat_email, acme_id, other_id, initech_id, case_number,
// xss).
// A customer follows the portal's "Hours" link and sees each package's figures and a burn-down
// drawn as SVG with a title, a description and the same figures as a table; a partner agent
// sees their customer's hours and gets 404 for anyone else's; staff log time on the console's
// case page (post/redirect/get, the entry listed, a refusal shown beside the field with what
// was typed); the same without JavaScript; a 390 px phone without horizontal scrolling. With
// CASEDESK_SCREENSHOTS=1 it writes docs/screenshots/portal-hours.png.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed".
import {browserTest, expect, expectNoSidewaysScroll, PHONE, submit} from './support.mjs';

const t = browserTest('contract hours', 'hours.test.mjs');
const {baseUrl, seed, screenshots} = t;

async function signIn(page, email, landing) {
  await page.goto(baseUrl + landing, {waitUntil: 'load'});
  expect(new URL(page.url()).pathname === '/login', `signed out, ${landing} went to ${page.url()}`);
  const form = page.locator('form[action="/login"]');
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Password').fill(seed.password);
  await submit(page, form);
}

async function noScriptRan(page, when) {
  expect(!(await page.evaluate(() => window.__xss === 1)), `${when}: the XSS payload ran`);
}

// The figure of one package's <dl> ("Used" -> "4 h 30 min (45 %)").
async function figure(section, term) {
  const row = section.locator('.hr-figures div', {has: section.page().locator(`dt:text-is("${term}")`)});
  return (await row.locator('dd').innerText()).trim();
}

t.check('a customer sees their hours with a burn-down chart and its table', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.alice_email, '/portal');
    await page.locator('nav[aria-label="Portal"]').getByRole('link', {name: 'Hours'}).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname === '/portal/hours', `the Hours link went to ${page.url()}`);
    const current = page.locator('nav[aria-label="Portal"] a[aria-current="page"]');
    expect((await current.innerText()).trim() === 'Hours', 'the Hours item is not marked current');
    const success = page.locator('section.hr-package', {hasText: 'Customer-success hours'});
    expect(await success.count() === 1, 'no customer-success section');
    expect(await figure(success, 'Included') === '10 h', 'included is not 10 h');
    const used = await figure(success, 'Used');
    expect(used.startsWith('4 h 30 min'), `used says "${used}"`);
    expect(await figure(success, 'Remaining') === '5 h 30 min', 'remaining is not 5 h 30 min');
    // The chart: an accessible SVG image with a title and a description.
    const svg = success.locator('svg.hr-svg');
    expect(await svg.getAttribute('role') === 'img', 'the chart is not role=img');
    const labelledBy = (await svg.getAttribute('aria-labelledby')).split(' ');
    const title = (await page.locator('#' + labelledBy[0]).textContent()).trim();
    expect(title.startsWith('Burn-down of Customer-success hours'), `chart title "${title}"`);
    const desc = (await page.locator('#' + labelledBy[1]).textContent()).trim();
    expect(desc.includes('10 h available') && desc.includes('4 h 30 min used'),
           `chart description "${desc}"`);
    const points = (await svg.locator('polyline.hr-actual').getAttribute('points')).trim();
    expect(points.split(' ').length >= 2, `the remaining line has points "${points}"`);
    const box = await svg.boundingBox();
    expect(box && box.width > 300 && box.height > 100, 'the chart is not drawn at a usable size');
    // The same figures as a table.
    const table = success.locator('table.hr-table');
    expect((await table.locator('caption').innerText()).includes('Customer-success hours by day'),
           'the table has no caption');
    const cells = await table.locator('tbody td[data-label="Used that day"]').allInnerTexts();
    expect(cells.length >= 1, 'the table lists no day');
    const training = page.locator('section.hr-package', {hasText: 'Training hours'});
    expect(await figure(training, 'Included') === '4 h', 'the training package is missing');
    // The month picker is a labelled GET form.
    expect(await page.getByLabel('Month', {exact: true}).count() === 1, 'the month select has no label');
    await noScriptRan(page, 'the Hours page');
    if (screenshots) await t.saveScreenshot(page, 'portal-hours.png');
    watcher.assertClean('the Hours page');
  } finally {
    await context.close();
  }
});

t.check('a partner agent sees their customer\'s hours and nobody else\'s', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.pat_email, '/portal');
    await page.goto(baseUrl + '/portal/hours', {waitUntil: 'load'});
    const select = page.getByLabel('Customer', {exact: true});
    expect(await select.count() === 1, 'a partner agent has no customer select');
    expect(await select.inputValue() === String(seed.initech_id), 'the first customer is not chosen');
    expect(await page.locator('section.hr-package svg.hr-svg').count() >= 1, 'no chart');
    watcher.allow(404, 'GET', '/portal/hours');
    const refused = await page.goto(`${baseUrl}/portal/hours?org=${seed.acme_id}`);
    expect(refused.status() === 404, `another tenant's hours answered ${refused.status()}`);
    watcher.assertClean('the partner agent');
  } finally {
    await context.close();
  }
});

t.check('staff log time on the console case page, and see a refusal beside the field',
        async (browser) => {
          const {context, page, watcher} = await t.newPage(browser,
                                                           {viewport: {width: 1280, height: 900}});
          try {
            await signIn(page, seed.admin_email, '/console');
            const casePath = `/console/cases/${seed.case_number}`;
            await page.goto(baseUrl + casePath, {waitUntil: 'load'});
            const section = page.locator('section#cc-time');
            expect(await section.count() === 1, 'the case page has no Time section');
            expect((await section.innerText()).includes('No time logged yet'),
                   'a fresh case shows entries');
            const form = section.locator('form[action$="/time"]');
            await form.getByLabel('Minutes').fill('45');
            await form.getByLabel('Activity').selectOption('configuration_management');
            await form.getByLabel(/^What was done/).fill('Reviewed rules ' + seed.xss);
            const response = await submit(page, form);
            expect(response.status() === 303, `logging time answered ${response.status()}`);
            expect(new URL(page.url()).pathname === casePath, `after logging, ${page.url()}`);
            const flash = await page.locator('main').innerText();
            expect(flash.includes('Time logged.'), 'no "Time logged." notice');
            const row = page.locator('section#cc-time table tbody tr');
            expect(await row.count() === 1, 'the entry is not listed');
            const text = await row.innerText();
            expect(text.includes('45 min') && text.includes('Configuration management') &&
                       text.includes('<img src=x'),
                   `the entry reads "${text}"`);
            await noScriptRan(page, 'the case page');
            if (screenshots) await section.screenshot({path: '/tmp/console-time.png'});
            // A refusal: the browser's own limit is lifted so the server's is seen.
            const again = page.locator('section#cc-time form[action$="/time"]');
            await again.getByLabel('Minutes').evaluate((input) => input.removeAttribute('max'));
            await again.getByLabel('Minutes').fill('2000');
            watcher.allow(400, 'POST', `${casePath}/time`);
            const refused = await submit(page, again);
            expect(refused.status() === 400, `2000 minutes answered ${refused.status()}`);
            const minutes = page.locator('#cc-time-minutes');
            expect(await minutes.getAttribute('aria-invalid') === 'true', 'minutes not marked invalid');
            expect(await minutes.inputValue() === '2000', 'what was typed is lost');
            const error = await page.locator('#cc-time-error').innerText();
            expect(error.includes('minutes'), `the error says "${error}"`);
            watcher.assertClean('the console case page');
          } finally {
            await context.close();
          }
        });

t.check('without JavaScript the chart renders and time is logged', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {
    viewport: {width: 1280, height: 900}, javaScriptEnabled: false,
  });
  try {
    await signIn(page, seed.admin_email, '/console');
    const casePath = `/console/cases/${seed.case_number}`;
    await page.goto(baseUrl + casePath, {waitUntil: 'load'});
    const form = page.locator('section#cc-time form[action$="/time"]');
    await form.getByLabel('Minutes').fill('15');
    await form.getByLabel(/^Billable/).uncheck();
    const response = await submit(page, form);
    expect(response.status() === 303, `logging time answered ${response.status()}`);
    const rows = await page.locator('section#cc-time table tbody tr').allInnerTexts();
    expect(rows.some((r) => r.includes('15 min') && r.includes('not billable')),
           `no non-billable entry in ${JSON.stringify(rows)}`);
    watcher.assertClean('without JavaScript, console');
  } finally {
    await context.close();
  }
  const customer = await t.newPage(browser, {
    viewport: {width: 1280, height: 900}, javaScriptEnabled: false,
  });
  try {
    await signIn(customer.page, seed.alice_email, '/portal');
    await customer.page.goto(baseUrl + '/portal/hours', {waitUntil: 'load'});
    expect(await customer.page.locator('svg.hr-svg polyline.hr-actual').count() >= 1,
           'no server-side chart without JavaScript');
    customer.watcher.assertClean('without JavaScript, portal');
  } finally {
    await customer.context.close();
  }
});

t.check('a 390 x 844 phone shows the Hours page without a horizontal scrollbar', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, PHONE);
  try {
    await signIn(page, seed.alice_email, '/portal');
    await expectNoSidewaysScroll(page, baseUrl, ['/portal/hours']);
    watcher.assertClean('the phone viewport');
  } finally {
    await context.close();
  }
});

t.run();
