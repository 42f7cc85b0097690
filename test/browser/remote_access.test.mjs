// Browser test of remote access requests (issue 7): headless Debian Chromium (/usr/bin/chromium)
// driven by playwright-core, against a running casedesk that run_remote_access.py started and
// seeded.
//
// Usage: node remote_access.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher:
// password, admin_email, alice_email, olga_email, case_number, request_id, plain_case,
// plain_request, xss).
// The customer sees the waiting request on the portal case page (escaped purpose), grants it
// through the credentials form (labelled inputs, autocomplete off), then sees it granted with a
// Revoke button and never the password; staff see it on the console case page, open "Show
// credentials" and read them; staff ask for access with the console form (post/redirect/get, a
// refusal beside the field with what was typed); another organisation's contact gets 404; the
// portal grant and the console request work without JavaScript.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed".
import {browserTest, expect, submit} from './support.mjs';

const t = browserTest('remote access', 'remote_access.test.mjs');
const {baseUrl, seed} = t;
const PASSWORD = 'Pw-' + String(seed.request_id) + '-secret';

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

t.check('the customer grants access with credentials on the portal case page', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.alice_email, `/portal/cases/${seed.case_number}`);
    const section = page.locator('section#remote-access');
    expect(await section.count() === 1, 'the case page has no Remote access section');
    const item = section.locator(`#remote-access-${seed.request_id}`);
    const text = await item.innerText();
    expect(text.includes('RDP') && text.includes('Waiting for your decision'),
           `the request reads "${text}"`);
    expect(text.includes('<img src=x'), 'the purpose is not shown as text');
    await noScriptRan(page, 'the portal case page');
    const form = item.locator('form.pt-ra-grant');
    expect(await form.getAttribute('autocomplete') === 'off', 'the grant form lets browsers fill');
    for (const label of ['Host or address', 'User name', 'Password', 'One-time code']) {
      const input = form.getByLabel(label, {exact: true});
      expect(await input.count() === 1, `no input labelled "${label}"`);
      expect(await input.getAttribute('autocomplete') === 'off', `"${label}" autocompletes`);
    }
    expect(await form.getByLabel('Password', {exact: true}).getAttribute('type') === 'password',
           'the password is not a password input');
    await form.getByLabel('Host or address', {exact: true}).fill('10.1.2.3');
    await form.getByLabel('User name', {exact: true}).fill('support');
    await form.getByLabel('Password', {exact: true}).fill(PASSWORD);
    const response = await submit(page, form);
    expect(response.status() === 303, `granting answered ${response.status()}`);
    expect(new URL(page.url()).pathname === `/portal/cases/${seed.case_number}`,
           `after granting, ${page.url()}`);
    const after = await page.locator(`#remote-access-${seed.request_id}`).innerText();
    expect(after.includes('Access granted'), `after granting it reads "${after}"`);
    expect(after.includes('host, password, username'), 'the given fields are not named');
    expect(!(await page.content()).includes(PASSWORD), 'the password is shown back');
    expect(await page.locator(`#remote-access-${seed.request_id} form.pt-ra-revoke`).count() === 1,
           'no Revoke button');
    watcher.assertClean('the portal grant');
  } finally {
    await context.close();
  }
});

t.check('staff read the credentials from the console case page', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.admin_email, `/console/cases/${seed.case_number}`);
    const section = page.locator('section#cc-remote-access');
    expect(await section.count() === 1, 'the console case page has no Remote access section');
    const item = section.locator(`#cc-ra-${seed.request_id}`);
    const text = await item.innerText();
    expect(text.includes('Granted') && text.includes('Credentials given: host, password, username'),
           `the console reads "${text}"`);
    expect(!(await page.content()).includes(PASSWORD), 'the case page shows the password');
    await noScriptRan(page, 'the console case page');
    await item.getByRole('link', {name: 'Show credentials'}).click();
    await page.waitForLoadState('load');
    const shown = await page.locator('main').innerText();
    expect(shown.includes(PASSWORD) && shown.includes('10.1.2.3'), `the credentials page: "${shown}"`);
    watcher.assertClean('the console credentials');
  } finally {
    await context.close();
  }
});

t.check('staff ask for access with the console form, and see a refusal beside the field',
        async (browser) => {
          const {context, page, watcher} = await t.newPage(browser,
                                                           {viewport: {width: 1280, height: 900}});
          try {
            await signIn(page, seed.admin_email, `/console/cases/${seed.case_number}`);
            const casePath = `/console/cases/${seed.case_number}`;
            let form = page.locator('form.cc-ra-form');
            await form.getByLabel('Method').selectOption('screen_share');
            await form.getByLabel('Why access is needed').fill('Walk through the setup');
            const response = await submit(page, form);
            expect(response.status() === 303, `asking answered ${response.status()}`);
            const items = await page.locator('section#cc-remote-access li.cc-ra-item').allInnerTexts();
            expect(items.some((i) => i.includes('Shared screen') || i.includes('shared screen')),
                   `the new request is not listed: ${JSON.stringify(items)}`);
            // A window longer than 14 days is refused beside the field, with what was typed.
            form = page.locator('form.cc-ra-form');
            await form.getByLabel('Why access is needed').fill('Too long a window');
            await form.getByLabel(/^Until/).fill('2099-01-01T00:00');
            watcher.allow(400, 'POST', `${casePath}/remote-access`);
            const refused = await submit(page, form);
            expect(refused.status() === 400, `a long window answered ${refused.status()}`);
            const end = page.locator('#cc-ra-end');
            expect(await end.getAttribute('aria-invalid') === 'true', 'window_end not marked invalid');
            expect(await page.locator('#cc-ra-purpose').inputValue() === 'Too long a window',
                   'what was typed is lost');
            watcher.assertClean('the console request form');
          } finally {
            await context.close();
          }
        });

t.check('another organisation\'s contact gets 404', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.olga_email, '/portal');
    watcher.allow(404, 'GET', `/portal/cases/${seed.case_number}`);
    const refused = await page.goto(`${baseUrl}/portal/cases/${seed.case_number}`);
    expect(refused.status() === 404, `another tenant's case answered ${refused.status()}`);
    watcher.assertClean('another tenant');
  } finally {
    await context.close();
  }
});

t.check('without JavaScript the customer grants and the form still posts', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {
    viewport: {width: 1280, height: 900}, javaScriptEnabled: false,
  });
  try {
    await signIn(page, seed.alice_email, `/portal/cases/${seed.plain_case}`);
    const form = page.locator(`#remote-access-${seed.plain_request} form.pt-ra-grant`);
    const response = await submit(page, form);
    expect(response.status() === 303, `granting without credentials answered ${response.status()}`);
    const after = await page.locator(`#remote-access-${seed.plain_request}`).innerText();
    expect(after.includes('Access granted'), `it reads "${after}"`);
    const revoke = page.locator(`#remote-access-${seed.plain_request} form.pt-ra-revoke`);
    const revoked = await submit(page, revoke);
    expect(revoked.status() === 303, `revoking answered ${revoked.status()}`);
    const ended = await page.locator(`#remote-access-${seed.plain_request}`).innerText();
    expect(ended.includes('Revoked'), `after revoking it reads "${ended}"`);
    watcher.assertClean('without JavaScript');
  } finally {
    await context.close();
  }
});

t.run();
