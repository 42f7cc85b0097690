// Browser test of the staff console's live updates: headless Debian Chromium
// (/usr/bin/chromium) driven by playwright-core, against a running casedesk that
// run_console_live.py started and seeded.
//
// Usage: node console_live.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher:
// admin_email, agent_email, password, admin_token, customer_token, case_number).
// An agent's open case page shows the customer's new reply without a reload (the server's event
// stream says the case changed; the page fetches its live regions); a queue page shows a new
// case the same way; with two agents on one case, each sees that the other is viewing, then
// typing, and the line goes when the other leaves. Also the API tokens page: a token created
// with the form is shown once, works, and stops working when revoked; the page fits a phone.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed"
// and the exit code is non-zero when any check failed.
import {browserTest, expect, expectNoSidewaysScroll, PHONE, submit, TIMEOUT_MS} from
    './support.mjs';

const t = browserTest('console live updates', 'console_live.test.mjs');
const {baseUrl, seed} = t;
const casePath = `/console/cases/${seed.case_number}`;
const LIVE_MS = 10_000;  // well under the 30 s polling fallback: the stream did it

async function signIn(page, email) {
  await page.goto(baseUrl + '/login', {waitUntil: 'load'});
  const form = page.locator('form[action="/login"]');
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Password').fill(seed.password);
  const response = await submit(page, form);
  expect(response.status() === 303, `signing in ${email} answered ${response.status()}`);
}

// Opens `path` and waits until its event stream is open; marks the page so a reload shows.
async function openLive(page, path) {
  await page.goto(baseUrl + path, {waitUntil: 'load'});
  await page.waitForSelector('body[data-live-stream="open"]', {timeout: TIMEOUT_MS});
  await page.evaluate(() => { window.__sameDocument = true; });
}

async function expectSameDocument(page, when) {
  expect(await page.evaluate(() => window.__sameDocument === true),
         `${when}: the page was reloaded instead of updated in place`);
}

t.check('a customer reply appears on an open case page without a reload', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser);
  try {
    await signIn(page, seed.admin_email);
    await openLive(page, casePath);
    const reply = 'The backup job log ends at 02:14 with "disk full".';
    const started = Date.now();
    const posted = await t.api('POST', `/api/v1/cases/${seed.case_number}/comments`,
                               {body: reply}, seed.customer_token);
    expect(posted.status === 201, `the customer's reply answered ${posted.status}`);
    await page.locator('#cc-live-conversation').getByText(reply).waitFor({timeout: LIVE_MS});
    console.log(`    the reply showed ${Date.now() - started} ms after it was posted`);
    await expectSameDocument(page, 'after the reply');
    watcher.assertClean('the live case page');
  } finally {
    await context.close();
  }
});

t.check('a new case appears on an open queue page without a reload', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser);
  try {
    await signIn(page, seed.admin_email);
    await openLive(page, '/console/cases?queue=untriaged');
    const subject = `Mail queue stuck ${Date.now()}`;
    const created = await t.api('POST', '/api/v1/cases',
                                {subject, description: 'Nothing leaves.', severity: 3},
                                seed.customer_token);
    expect(created.status === 201, `creating a case answered ${created.status}`);
    await page.locator('#cq-live').getByText(subject).waitFor({timeout: LIVE_MS});
    await expectSameDocument(page, 'after the new case');
    watcher.assertClean('the live queue page');
  } finally {
    await context.close();
  }
});

t.check('two agents on one case see each other viewing and typing', async (browser) => {
  const admin = await t.newPage(browser);
  const sam = await t.newPage(browser);
  try {
    await signIn(admin.page, seed.admin_email);
    await signIn(sam.page, seed.agent_email);
    await openLive(admin.page, casePath);
    await openLive(sam.page, casePath);
    const line = admin.page.locator('#cc-presence');
    await line.getByText('Sam Agent is viewing this case').waitFor({timeout: LIVE_MS});
    expect(await line.getAttribute('role') === 'status', 'the presence line is not a status');
    await sam.page.locator('#cc-reply').pressSequentially('We are on it', {delay: 20});
    await line.getByText('Sam Agent is typing').waitFor({timeout: LIVE_MS});
    const samsLine = sam.page.locator('#cc-presence');
    const samSees = (await samsLine.count()) ? await samsLine.innerText() : '';
    expect(samSees.includes('is viewing this case') && !samSees.includes('Sam Agent'),
           `Sam's own page says "${samSees}": it should name the admin and never Sam`);
    await sam.page.goto(baseUrl + '/console/cases', {waitUntil: 'load'});
    await admin.page.waitForFunction(
        () => !document.getElementById('cc-presence') ||
              document.getElementById('cc-presence').hidden, null, {timeout: LIVE_MS});
    admin.watcher.assertClean("the admin's page");
    sam.watcher.assertClean("Sam's page");
  } finally {
    await admin.context.close();
    await sam.context.close();
  }
});

t.check('the API tokens page shows a new token once and revokes it', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser);
  try {
    await signIn(page, seed.admin_email);
    await page.goto(baseUrl + '/console/tokens', {waitUntil: 'load'});
    await page.getByRole('heading', {name: 'API tokens', level: 1}).waitFor();
    await page.getByLabel('Token name').fill('Nightly export');
    let response = await submit(page, page.locator('form[action="/console/tokens"]'));
    expect(response.status() === 201, `creating the token answered ${response.status()}`);
    const secret = await page.getByLabel('New token', {exact: true}).inputValue();
    expect(/^[A-Za-z0-9_-]{40,}$/.test(secret), `the new token reads "${secret}"`);
    const me = await t.api('GET', '/api/v1/users/me', undefined, secret);
    expect(me.status === 200, `the new token got ${me.status} from /api/v1/users/me`);
    await page.goto(baseUrl + '/console/tokens', {waitUntil: 'load'});
    expect(await page.getByLabel('New token', {exact: true}).count() === 0, 'the token is shown a second time');
    response = await submit(page, page.getByRole('button', {name: 'Revoke token Nightly export'})
                                      .locator('xpath=ancestor::form'));
    expect(response.status() === 303, `revoking answered ${response.status()}`);
    await page.getByText('Token revoked.').waitFor();
    const after = await t.api('GET', '/api/v1/users/me', undefined, secret);
    expect(after.status === 401, `the revoked token got ${after.status}`);
    watcher.assertClean('the API tokens page');
  } finally {
    await context.close();
  }
  const phone = await t.newPage(browser, PHONE);
  try {
    await signIn(phone.page, seed.admin_email);
    await expectNoSidewaysScroll(phone.page, baseUrl, ['/console/tokens']);
    phone.watcher.assertClean('the API tokens page on a phone');
  } finally {
    await phone.context.close();
  }
});

t.run();
