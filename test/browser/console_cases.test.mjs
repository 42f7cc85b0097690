// Browser test of the staff console's case pages: headless Debian Chromium
// (/usr/bin/chromium) driven by playwright-core, against a running casedesk that
// run_console_cases.py started and seeded.
//
// Usage: node console_cases.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher:
// admin_email, admin_password, admin_token, customer_token, case_number, second_case_number,
// xss).
// The admin signs in through the form at /login and lands on the untriaged queue; moves through
// it with j/k and opens a case with Enter; triages it: takes it, confirms the severity with a
// reason, replies (r), writes an internal note (n), changes the status; the customer sees the
// reply and never the note (checked through the API). Also: "?" opens the shortcuts help, an XSS
// payload in a case shows as text and never runs, visible keyboard focus, the same forms with
// JavaScript disabled, and a phone-sized screen. The admin narrows a queue to one organisation,
// saves it as a view, follows it from another queue and deletes it. With CASEDESK_SCREENSHOTS=1 it writes
// docs/screenshots/console-queue.png and console-case.png; otherwise nothing in the tree.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed"
// and the exit code is non-zero when any check failed.
import {browserTest, expect, expectNoSidewaysScroll, PHONE, pressButton, submit} from './support.mjs';

const t = browserTest('console case pages', 'console_cases.test.mjs');
const {baseUrl, seed, screenshots} = t;

const REPLY = 'We are looking at the payment gateway now.';
const NOTE = 'Gateway logs show TLS handshake failures since 09:12.';

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

// Signs in through the form at /login, starting from the queues.
async function signIn(page) {
  const first = await page.goto(baseUrl + '/console', {waitUntil: 'load'});
  expect(first && first.status() === 200, `GET /console ended with ${first?.status()}`);
  expect(new URL(page.url()).pathname === '/login',
         `signed out, /console went to ${page.url()} instead of /login`);
  const form = page.locator('form[action="/login"]');
  await form.getByLabel('Email address').fill(seed.admin_email);
  await form.getByLabel('Password').fill(seed.admin_password);
  const response = await submit(page, form);
  expect(response.status() === 303, `POST /login answered ${response.status()}`);
  await page.waitForURL((url) => url.pathname === '/console/cases');
  const heading = (await page.locator('main h1').innerText()).trim();
  expect(heading === 'Untriaged cases', `after signing in the page says "${heading}"`);
}

async function focusedId(page) {
  return page.evaluate(() => document.activeElement && document.activeElement.id);
}

async function focusedHref(page) {
  return page.evaluate(() => document.activeElement && document.activeElement.getAttribute('href'));
}

async function noXss(page, when) {
  const ran = await page.evaluate(() => window.__xss === 1);
  expect(!ran, `${when}: the XSS payload ran`);
  const images = await page.locator('main img').count();
  expect(images === 0, `${when}: the payload's <img> became an element`);
}

let admin;  // the 1280-wide signed-in page the flow's checks share
const casePath = `/console/cases/${seed.case_number}`;

t.check('signing in lands on the untriaged queue, sorted by next deadline', async (browser) => {
  admin = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  await signIn(admin.page);
  const page = admin.page;
  const current = page.locator('nav[aria-label="Console"] a[aria-current="page"]');
  expect((await current.innerText()).trim() === 'Cases',
         'the navigation does not mark "Cases" as current');
  const rows = await page.locator('tr.cq-row').evaluateAll(
      (trs) => trs.map((tr) => Number(tr.dataset.case)));
  const first = rows.indexOf(seed.case_number);
  const second = rows.indexOf(seed.second_case_number);
  expect(first >= 0 && second >= 0, `the queue lists ${rows.join(', ')}`);
  expect(first < second, 'the severity 1 case (earlier deadline) is not listed first');
  const countdown = (await page.locator(`tr[data-case="${seed.case_number}"] time[data-countdown]`)
                         .innerText()).trim();
  expect(/^(in |due now|! overdue by )/.test(countdown), `the countdown reads "${countdown}"`);
  if (screenshots) await t.saveScreenshot(page, 'console-queue.png');
  admin.watcher.assertClean('the queue');
});

t.check('an XSS payload in a case shows as text and never runs', async () => {
  const page = admin.page;
  await noXss(page, 'on the queue');
  const subject = await page.locator(`tr[data-case="${seed.case_number}"] a.cq-case-link`).innerText();
  expect(subject.includes('<img src=x'), `the subject reads "${subject}"`);
  await page.goto(baseUrl + casePath, {waitUntil: 'load'});
  await noXss(page, 'on the case page');
  const title = await page.locator('main h1').innerText();
  expect(title.includes('<script>window.__xss=1</script>'), `the heading reads "${title}"`);
  admin.watcher.assertClean('the XSS payload');
});

t.check('j/k move through the queue, Enter opens the case, j/k go on from it, ? opens the help', async () => {
  const page = admin.page;
  await page.goto(baseUrl + '/console/cases', {waitUntil: 'load'});
  await page.locator('main h1').click();
  await page.keyboard.press('j');
  const firstHref = await focusedHref(page);
  expect(/^\/console\/cases\/\d+$/.test(firstHref || ''), `j focused ${firstHref}`);
  await page.keyboard.press('j');
  const secondHref = await focusedHref(page);
  expect(secondHref && secondHref !== firstHref, `the second j focused ${secondHref}`);
  await page.keyboard.press('k');
  expect(await focusedHref(page) === firstHref, 'k did not go back to the first case');
  const selected = await page.locator('tr.cq-selected').count();
  expect(selected === 1, `${selected} rows are marked selected`);
  await page.keyboard.press('?');
  expect(await page.locator('#cc-shortcuts').evaluate((d) => d.open), '? did not open the help');
  await page.keyboard.press('?');
  // Back to the queue's rows: up to the first, then down to the seeded case; Enter opens it.
  const rows = await page.locator('tr.cq-row').count();
  for (let i = 0; i < rows; i++) await page.keyboard.press('k');
  for (let i = 0; i < rows && await focusedHref(page) !== casePath; i++) {
    await page.keyboard.press('j');
  }
  expect(await focusedHref(page) === casePath, `j never reached ${casePath}`);
  const queue = await page.locator('tr.cq-row .cq-case-link')
                    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  await Promise.all([page.waitForURL((url) => url.pathname === casePath),
                     page.keyboard.press('Enter')]);
  // On the case page j and k open the next and previous case of the queue it was opened from.
  expect(queue.length > 1, `the queue holds ${queue.length} case(s)`);
  const at = queue.indexOf(casePath);
  const [away, back] = at + 1 < queue.length ? ['j', 'k'] : ['k', 'j'];
  const neighbour = queue[at + (away === 'j' ? 1 : -1)];
  await Promise.all([page.waitForURL((url) => url.pathname === neighbour),
                     page.keyboard.press(away)]);
  await Promise.all([page.waitForURL((url) => url.pathname === casePath),
                     page.keyboard.press(back)]);
  admin.watcher.assertClean('keyboard navigation of the queue');
});

t.check('the agent takes the case and confirms its severity with a reason', async () => {
  const page = admin.page;
  let response = await submit(page, page.locator(`form[action="${casePath}/assignee"]`).first());
  expect(response.status() === 303, `taking the case answered ${response.status()}`);
  await expectNotice(page, 'Assignee saved.', 'after taking the case');
  expect(await page.locator(`form[action="${casePath}/assignee"] button`,
                            {hasText: 'Take this case'}).count() === 0,
         '"Take this case" is still offered to the assignee');
  const form = page.locator('#cc-severity-form');
  await form.getByLabel('Severity').selectOption('1');
  await form.getByLabel('Why').selectOption('triage');
  await form.getByLabel('Explanation').fill('Every checkout fails: production is down.');
  response = await submit(page, form);
  expect(response.status() === 303, `confirming the severity answered ${response.status()}`);
  await expectNotice(page, 'Severity saved.', 'after confirming the severity');
  const record = await t.api('GET', `/api/v1/cases/${seed.case_number}`);
  expect(record.body.severity_confirmed === true, 'the severity is not confirmed');
  expect(record.body.assignee_id !== null, 'the case has no assignee');
  admin.watcher.assertClean('taking and confirming');
});

t.check('r writes a public reply, n an internal note; they look different', async () => {
  const page = admin.page;
  await page.locator('main h1').click();
  await page.keyboard.press('r');
  expect(await focusedId(page) === 'cc-reply', 'r did not focus the reply field');
  await page.keyboard.type(REPLY);
  let response = await submit(page, page.locator(`form[action="${casePath}/reply"]`));
  expect(response.status() === 303, `the reply answered ${response.status()}`);
  await expectNotice(page, 'Reply sent.', 'after replying');
  await page.locator('main h1').click();
  await page.keyboard.press('n');
  expect(await focusedId(page) === 'cc-note', 'n did not focus the note field');
  await page.keyboard.type(NOTE);
  response = await submit(page, page.locator(`form[action="${casePath}/note"]`));
  expect(response.status() === 303, `the note answered ${response.status()}`);
  await expectNotice(page, 'Internal note added.', 'after the note');
  const reply = page.locator('li.cc-public', {hasText: REPLY});
  const note = page.locator('li.cc-internal', {hasText: NOTE});
  expect(await reply.count() === 1 && await note.count() === 1,
         'the reply and the note are not both in the timeline');
  expect(/internal note/i.test(await note.innerText()), 'the note is not labelled in words');
  const [replyStyle, noteStyle] = await Promise.all([reply, note].map((item) => item.evaluate(
      (li) => getComputedStyle(li).backgroundColor + ' ' + getComputedStyle(li).borderTopStyle)));
  expect(replyStyle !== noteStyle, `the reply and the note look the same (${replyStyle})`);
  const comments = await t.api('GET', `/api/v1/cases/${seed.case_number}/comments`, undefined,
                             seed.customer_token);
  expect(comments.status === 200, `the customer's GET comments answered ${comments.status}`);
  const bodies = comments.body.items.map((c) => c.body);
  expect(bodies.includes(REPLY), 'the customer does not see the reply');
  expect(!bodies.includes(NOTE), 'the customer sees the internal note');
  admin.watcher.assertClean('reply and note');
});

t.check('changing the status shows in the page, the queues and the API', async () => {
  const page = admin.page;
  const form = page.locator('#cc-status-form');
  await form.getByLabel('Status').selectOption('pending');
  const response = await submit(page, form);
  expect(response.status() === 303, `changing the status answered ${response.status()}`);
  await expectNotice(page, 'Status changed.', 'after changing the status');
  const record = await t.api('GET', `/api/v1/cases/${seed.case_number}`);
  expect(record.body.status === 'pending', `the case is "${record.body.status}"`);
  if (screenshots) await t.saveScreenshot(page, 'console-case.png');
  await page.goto(baseUrl + '/console/cases?queue=on_hold', {waitUntil: 'load'});
  expect(await page.locator(`tr[data-case="${seed.case_number}"]`).count() === 1,
         'the pending case is not in the on-hold queue');
  admin.watcher.assertClean('changing the status');
});

t.check('an agent narrows a queue to one organisation and saves it as a view', async () => {
  const page = admin.page;
  await page.goto(baseUrl + '/console/cases?queue=untriaged', {waitUntil: 'load'});
  const row = page.locator(`tr[data-case="${seed.second_case_number}"]`);
  expect(await row.count() === 1, 'the second case is not in the untriaged queue');
  const orgName = (await row.locator('td[data-label="Organisation"]').innerText()).trim();
  await Promise.all([
    page.waitForResponse((r) => r.request().resourceType() === 'document'),
    row.getByRole('link', {name: orgName, exact: true}).click(),
  ]);
  await page.waitForLoadState('load');
  expect(new URL(page.url()).searchParams.has('org'), `the organisation link led to ${page.url()}`);
  expect((await page.locator('.cq-narrowed').innerText()).includes(orgName),
         'the narrowed view does not name the organisation');
  const orgs = await page.locator('tr.cq-row td[data-label="Organisation"]').allInnerTexts();
  expect(orgs.length > 0 && orgs.every((name) => name.trim() === orgName),
         `the narrowed queue lists ${JSON.stringify(orgs)}`);
  await page.getByText('Save this view', {exact: true}).click();
  await page.getByLabel('Name of the view').fill('Printer customer');
  await pressButton(page, 'Save view');
  await expectNotice(page, 'View saved.', 'after saving the view');
  const views = page.getByRole('navigation', {name: 'Your saved views'});
  const current = views.getByRole('link', {name: 'Printer customer', exact: true});
  expect(await current.getAttribute('aria-current') === 'page',
         'the saved view is not listed as the current one');
  await page.goto(baseUrl + '/console/cases?queue=mine', {waitUntil: 'load'});
  await Promise.all([
    page.waitForResponse((r) => r.request().resourceType() === 'document'),
    views.getByRole('link', {name: 'Printer customer', exact: true}).click(),
  ]);
  await page.waitForLoadState('load');
  expect(await page.locator(`tr[data-case="${seed.second_case_number}"]`).count() === 1,
         'following the saved view does not show its case');
  await page.getByText('Manage saved views', {exact: true}).click();
  await pressButton(page, 'Delete the view Printer customer');
  await expectNotice(page, 'View deleted.', 'after deleting the view');
  expect(await page.getByRole('navigation', {name: 'Your saved views'}).count() === 0,
         'the deleted view is still listed');
  admin.watcher.assertClean('saved views');
});

t.check('keyboard focus is visible on links, fields and buttons', async () => {
  const page = admin.page;
  await page.goto(baseUrl + `/console/cases/${seed.second_case_number}`, {waitUntil: 'load'});
  const seen = new Set();
  for (let presses = 0; presses < 80 && seen.size < 4; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element || element === document.body) return null;
      const style = getComputedStyle(element);
      return {tag: element.tagName.toLowerCase(), visible: element.matches(':focus-visible'),
              style: style.outlineStyle, width: parseFloat(style.outlineWidth),
              text: (element.textContent || element.id || '').trim().slice(0, 40)};
    });
    if (!focused || !['a', 'textarea', 'select', 'button'].includes(focused.tag)) continue;
    expect(focused.visible, `<${focused.tag}> "${focused.text}" does not match :focus-visible`);
    expect(focused.style !== 'none' && focused.width >= 2,
           `<${focused.tag}> "${focused.text}" has outline ${focused.style} ${focused.width}px`);
    seen.add(focused.tag);
  }
  expect(seen.size === 4, `Tab reached only ${[...seen].join(', ')}`);
  admin.watcher.assertClean('keyboard focus');
});

t.check('the forms work with JavaScript disabled', async (browser) => {
  const {context, page, watcher} =
      await t.newPage(browser, {viewport: {width: 1280, height: 900}, javaScriptEnabled: false});
  try {
    await signIn(page);
    const path2 = `/console/cases/${seed.second_case_number}`;
    await page.goto(baseUrl + path2, {waitUntil: 'load'});
    const countdown = await page.locator('time[data-countdown]').first().innerText();
    expect(/^(!\s*)?(in |due now|overdue by )/.test(countdown.trim()),
           `without JavaScript the countdown reads "${countdown}"`);
    await page.getByLabel(/^Reply/).fill('Replying without JavaScript.');
    let response = await submit(page, page.locator(`form[action="${path2}/reply"]`));
    expect(response.status() === 303, `the reply answered ${response.status()}`);
    await expectNotice(page, 'Reply sent.', 'after replying without JavaScript');
    await page.getByLabel(/^Note/).fill('Noted without JavaScript.');
    response = await submit(page, page.locator(`form[action="${path2}/note"]`));
    expect(response.status() === 303, `the note answered ${response.status()}`);
    await expectNotice(page, 'Internal note added.', 'after the note without JavaScript');
    watcher.assertClean('without JavaScript');
  } finally {
    await context.close();
  }
});

t.check('a 390 x 844 phone shows the pages without a horizontal scrollbar', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, PHONE);
  try {
    await signIn(page);
    await expectNoSidewaysScroll(page, baseUrl, ['/console/cases', casePath]);
    watcher.assertClean('the phone viewport');
  } finally {
    await context.close();
  }
});

t.run();
