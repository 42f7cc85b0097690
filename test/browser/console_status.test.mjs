// Browser test of the staff console's status pages: headless Debian Chromium
// (/usr/bin/chromium) driven by playwright-core, against a running casedesk that
// run_console_status.py started and seeded.
//
// Usage: node console_status.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher:
// admin_email, admin_password, admin_token, customer_token, case_number).
// The admin signs in through the form at /login, adds a component, opens an incident on it
// (seen on /console/status and on the public /status), links the customer's case, posts
// "identified" on every linked case, is refused "solve" before resolving, resolves with "solve"
// and the case is solved (checked through the API). Also: visible keyboard focus, and the same
// forms with JavaScript disabled. With CASEDESK_SCREENSHOTS=1 it writes
// docs/screenshots/console-status.png (1280 wide, full page); otherwise nothing in the tree.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed"
// and the exit code is non-zero when any check failed.
import {browserTest, exactly, expect, expectNoSidewaysScroll, PHONE, submit} from './support.mjs';

const t = browserTest('status console', 'console_status.test.mjs');
const {baseUrl, seed, screenshots} = t;

const PUBLIC_PAGE_MS = 20_000;  // the public page's cache follows a change within a second

const COMPONENT = {name: 'Checkout API', group: 'Payments'};
const INCIDENT = {
  name: 'Payments fail at checkout',
  body: 'We are investigating failed payments at checkout.',
};
const IDENTIFIED = 'A faulty payment gateway release was identified; we are rolling it back.';
const RESOLVED = 'Payments work again. Sorry for the trouble.';

// The one-line notice at the top of <main>.
async function notice(page) {
  const line = page.locator('main .sp-flash-notice[role="status"]');
  if (await line.count() === 0) return '';
  return (await line.innerText()).trim();
}

async function expectNotice(page, text, when) {
  const shown = await notice(page);
  expect(shown.endsWith(text), `${when}: the notice says "${shown}", expected "${text}"`);
}

// Signs in through the form at /login, starting from the console page.
async function signIn(page) {
  const first = await page.goto(baseUrl + '/console/status', {waitUntil: 'load'});
  expect(first && first.status() === 200, `GET /console/status ended with ${first?.status()}`);
  expect(new URL(page.url()).pathname === '/login',
         `signed out, /console/status went to ${page.url()} instead of /login`);
  const form = page.locator('form[action="/login"]');
  await form.getByLabel('Email address').fill(seed.admin_email);
  await form.getByLabel('Password').fill(seed.admin_password);
  const response = await submit(page, form);
  expect(response.status() === 303, `POST /login answered ${response.status()}`);
  await page.waitForURL((url) => url.pathname === '/console/status');
  const heading = (await page.locator('main h1').innerText()).trim();
  expect(heading === 'Status page', `after signing in the page says "${heading}"`);
}

function incidentForm(page) {
  return page.locator('form[action="/console/status/incidents"]');
}

function updateForm(page) {
  return page.locator('form[action$="/updates"]');
}

let admin;  // the 1280-wide signed-in page the flow's checks share
let incidentPath = '';

t.check('signing in through the form at /login lands on the console', async (browser) => {
  admin = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  await signIn(admin.page);
  const user = (await admin.page.locator('.cd-user-name').innerText()).trim();
  expect(user.length > 0, 'the header does not name who is signed in');
  const current = admin.page.locator('nav[aria-label="Console"] a[aria-current="page"]');
  expect((await current.innerText()).trim() === 'Status page',
         'the navigation does not mark "Status page" as current');
  admin.watcher.assertClean('signing in');
});

t.check('adding a component lists it with its status form', async () => {
  const page = admin.page;
  const form = page.locator('form[action="/console/status/components"]');
  await form.getByLabel('Name', {exact: true}).fill(COMPONENT.name);
  await form.getByLabel(/^Group/).fill(COMPONENT.group);
  const response = await submit(page, form);
  expect(response.status() === 303, `adding the component answered ${response.status()}`);
  await expectNotice(page, 'Component added.', 'after adding the component');
  expect(new URL(page.url()).searchParams.get('notice') === 'component-added',
         `the page after adding is ${page.url()}`);
  const group = page.locator('h3.cd-component-name', {hasText: exactly(COMPONENT.group)});
  expect(await group.count() === 1, `group "${COMPONENT.group}" is not listed once`);
  const row = page.locator('h4.cd-component-name', {hasText: exactly(COMPONENT.name)});
  expect(await row.count() === 1, `component "${COMPONENT.name}" is not listed once`);
  const select = page.getByLabel(`${COMPONENT.name}: Status`);
  expect(await select.inputValue() === 'operational',
         `the new component's status is ${await select.inputValue()}`);
  admin.watcher.assertClean('adding a component');
});

t.check('opening an incident shows it on the console and on the public page', async () => {
  const page = admin.page;
  const form = incidentForm(page);
  await form.getByLabel('Name', {exact: true}).fill(INCIDENT.name);
  await form.getByLabel('Impact').selectOption('major');
  await form.getByLabel(`${COMPONENT.group} \u2013 ${COMPONENT.name}`).check();
  await form.getByLabel('Set the affected components to').selectOption('partial_outage');
  await form.getByLabel('First update').fill(INCIDENT.body);
  expect(await form.getByLabel('Notify subscribers').isChecked(),
         '"Notify subscribers" is not ticked by default');
  const response = await submit(page, form);
  expect(response.status() === 303, `opening the incident answered ${response.status()}`);
  await expectNotice(page, 'Incident opened.', 'after opening the incident');
  const link = page.locator('section[aria-labelledby="cd-open"] a.cd-event-name',
                            {hasText: exactly(INCIDENT.name)});
  expect(await link.count() === 1, `"${INCIDENT.name}" is not listed as open`);
  incidentPath = await link.getAttribute('href');
  expect(/^\/console\/status\/incidents\/\d+$/.test(incidentPath),
         `the incident links to ${incidentPath}`);
  const status = (await page.locator('.cd-component', {hasText: COMPONENT.name})
                      .locator('.sp-status').innerText()).trim();
  expect(status.endsWith('Partial outage'), `the component shows "${status}"`);
  admin.watcher.assertClean('opening an incident');

  const visitor = await page.context().newPage();
  try {
    const article = visitor.locator('section[aria-labelledby="sp-active"] article.sp-event')
        .filter({has: visitor.locator('.sp-event-title', {hasText: exactly(INCIDENT.name)})});
    const deadline = Date.now() + PUBLIC_PAGE_MS;
    for (;;) {
      const response = await visitor.goto(baseUrl + '/status', {waitUntil: 'load'});
      expect(response.status() === 200, `GET /status answered ${response.status()}`);
      if (await article.count() === 1) break;
      expect(Date.now() < deadline, `the public page did not show "${INCIDENT.name}"`);
      await visitor.waitForTimeout(500);
    }
    expect((await article.innerText()).includes(INCIDENT.body),
           'the public page does not show the first update');
  } finally {
    await visitor.close();
  }
});

t.check('a refused form keeps what was typed and says why next to it', async () => {
  const page = admin.page;
  const form = page.locator('form[action="/console/status/maintenances"]');
  await form.getByLabel('Name', {exact: true}).fill('Database upgrade');
  await form.getByLabel('Starts').fill('2030-01-02T10:00');
  await form.getByLabel('Ends').fill('2030-01-02T09:00');
  admin.watcher.allow(400, 'POST', '/console/status/maintenances');
  const response = await submit(page, form);
  expect(response.status() === 400, `the backwards window answered ${response.status()}`);
  const again = page.locator('form[action="/console/status/maintenances"]');
  const error = again.locator('[role="alert"]');
  expect(await error.count() === 1, 'no error next to the maintenance form');
  const text = (await error.innerText()).trim();
  expect(/scheduled_until/.test(text), `the error says "${text}"`);
  expect(await again.getByLabel('Name', {exact: true}).inputValue() === 'Database upgrade',
         'the typed name was lost');
  expect(await again.getByLabel('Ends').inputValue() === '2030-01-02T09:00',
         'the typed end was lost');
  const zone = (await page.locator('#maintenance-zone-note').innerText()).trim();
  expect(/time zone/.test(zone), `the zone note says "${zone}"`);
  admin.watcher.assertClean('the refused maintenance form');
});

t.check('linking a case and posting "identified" on every linked case', async () => {
  const page = admin.page;
  await page.goto(baseUrl + incidentPath, {waitUntil: 'load'});
  const heading = (await page.locator('main h1').innerText()).trim();
  expect(heading === INCIDENT.name, `the incident page's heading is "${heading}"`);
  const link = page.locator('form[action$="/cases"]');
  await link.getByLabel('Case number').fill(String(seed.case_number));
  let response = await submit(page, link);
  expect(response.status() === 303, `linking the case answered ${response.status()}`);
  await expectNotice(page, 'Case linked.', 'after linking the case');
  const caseLink = page.locator(`a[href="/api/v1/cases/${seed.case_number}"]`);
  expect(await caseLink.count() === 1, `case ${seed.case_number} is not listed`);

  const form = updateForm(page);
  await form.getByLabel('Status', {exact: true}).selectOption('identified');
  await form.getByLabel('Message').fill(IDENTIFIED);
  await form.getByLabel('Post this update on every linked case').check();
  response = await submit(page, form);
  expect(response.status() === 303, `posting the update answered ${response.status()}`);
  await expectNotice(page, 'Update posted.', 'after posting the update');
  const latest = page.locator('ol.sp-timeline > li').first();
  const latestText = await latest.innerText();
  expect(latestText.includes('Identified') && latestText.includes(IDENTIFIED),
         `the newest timeline entry reads "${latestText}"`);
  expect(await latest.locator('time[datetime]').count() === 1, 'the update has no <time>');

  const comments = await t.api('GET', `/api/v1/cases/${seed.case_number}/comments`);
  expect(comments.status === 200, `GET comments answered ${comments.status}: ${comments.text}`);
  expect(comments.body.items.some((c) => c.body.includes(IDENTIFIED)),
         'the update was not posted on the linked case');
  if (screenshots) {
    await page.goto(baseUrl + '/console/status', {waitUntil: 'load'});
    await t.saveScreenshot(page, 'console-status.png');
  }
  admin.watcher.assertClean('linking and updating');
});

t.check('"solve" is refused unless the update resolves the incident', async () => {
  const page = admin.page;
  await page.goto(baseUrl + incidentPath, {waitUntil: 'load'});
  const form = updateForm(page);
  await form.getByLabel('Status', {exact: true}).selectOption('monitoring');
  await form.getByLabel('Message').fill('Watching it.');
  await form.getByLabel('Post it and solve the cases').check();
  admin.watcher.allow(400, 'POST', `${incidentPath}/updates`);
  const response = await submit(page, form);
  expect(response.status() === 400, `"solve" while monitoring answered ${response.status()}`);
  const error = (await updateForm(page).locator('[role="alert"]').innerText()).trim();
  expect(/resolves the incident/.test(error), `the error says "${error}"`);
  expect(await updateForm(page).getByLabel('Message').inputValue() === 'Watching it.',
         'the typed message was lost');
  admin.watcher.assertClean('the refused "solve"');
});

t.check('resolving with "solve" solves the linked case', async () => {
  const page = admin.page;
  await page.goto(baseUrl + incidentPath, {waitUntil: 'load'});
  const form = updateForm(page);
  await form.getByLabel('Status', {exact: true}).selectOption('resolved');
  await form.getByLabel('Message').fill(RESOLVED);
  await form.getByLabel('Post it and solve the cases').check();
  const response = await submit(page, form);
  expect(response.status() === 303, `resolving answered ${response.status()}`);
  await expectNotice(page, 'Update posted.', 'after resolving');
  const record = await t.api('GET', `/api/v1/cases/${seed.case_number}`);
  expect(record.status === 200, `GET case answered ${record.status}`);
  expect(record.body.status === 'solved', `the case is "${record.body.status}", not solved`);
  await page.goto(baseUrl + '/console/status', {waitUntil: 'load'});
  const closed = page.locator('section[aria-labelledby="cd-closed"] a.cd-event-name',
                              {hasText: exactly(INCIDENT.name)});
  expect(await closed.count() === 1, 'the resolved incident is not under "Recently closed"');
  admin.watcher.assertClean('resolving');
});

t.check('keyboard focus is visible on links, fields and buttons', async () => {
  const page = admin.page;
  await page.goto(baseUrl + '/console/status', {waitUntil: 'load'});
  const seen = new Set();
  for (let presses = 0; presses < 40 && seen.size < 3; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element || element === document.body) return null;
      const style = getComputedStyle(element);
      return {tag: element.tagName.toLowerCase(), visible: element.matches(':focus-visible'),
              style: style.outlineStyle, width: parseFloat(style.outlineWidth),
              text: (element.textContent || element.id || '').trim().slice(0, 40)};
    });
    if (!focused || !['a', 'select', 'button'].includes(focused.tag)) continue;
    expect(focused.visible, `<${focused.tag}> "${focused.text}" does not match :focus-visible`);
    expect(focused.style !== 'none' && focused.width >= 2,
           `<${focused.tag}> "${focused.text}" has outline ${focused.style} ${focused.width}px`);
    seen.add(focused.tag);
  }
  expect(seen.size === 3, `Tab reached only ${[...seen].join(', ')}`);
  const skip = await page.evaluate(() => document.querySelector('a.sp-skip') !== null);
  expect(skip, 'no skip link');
  admin.watcher.assertClean('keyboard navigation');
});

t.check('the forms work with JavaScript disabled', async (browser) => {
  const {context, page, watcher} =
      await t.newPage(browser, {viewport: {width: 1280, height: 900}, javaScriptEnabled: false});
  try {
    await signIn(page);
    const select = page.getByLabel(`${COMPONENT.name}: Status`);
    await select.selectOption('degraded_performance');
    const form = page.locator('form.cd-inline', {has: select});
    const response = await submit(page, form);
    expect(response.status() === 303, `saving the status answered ${response.status()}`);
    await expectNotice(page, 'Component status saved.', 'after saving without JavaScript');
    const components = await t.api('GET', '/api/v1/status/components');
    const saved = components.body.items.find((c) => c.name === COMPONENT.name);
    expect(saved && saved.status === 'degraded_performance',
           `the component is ${saved && saved.status}`);
    const signOut = page.locator('form[action="/logout"]');
    await submit(page, signOut);
    const after = await page.goto(baseUrl + '/console/status', {waitUntil: 'load'});
    expect(after.status() === 200 && new URL(page.url()).pathname === '/login',
           `after signing out /console/status shows ${page.url()}`);
    watcher.assertClean('without JavaScript');
  } finally {
    await context.close();
  }
});

t.check('a 390 x 844 phone shows the console without a horizontal scrollbar', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, PHONE);
  try {
    await signIn(page);
    await expectNoSidewaysScroll(page, baseUrl, ['/console/status', incidentPath]);
    watcher.assertClean('the phone viewport');
  } finally {
    await context.close();
  }
});

t.run();
