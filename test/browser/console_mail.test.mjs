// Browser test of the console's mail administration pages (issue 5's admin: inbound addresses
// and sender policy, templates): headless Debian Chromium (/usr/bin/chromium) driven by
// playwright-core, against a running casedesk that run_console_mail.py started and seeded.
//
// Usage: node console_mail.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher:
// password, admin_email, agent_email, admin_token, org_id, org_name).
// An admin follows "Admin" to "Mail", adds an inbound route and holds mail from unknown senders;
// a stranger's message carrying an HTML payload (script, img onerror) is then held: the admin
// finds it under "Held and refused mail", where its body is plain text (no element of the
// payload exists, nothing runs), and accepts it for an organisation, which opens a case. The
// admin edits a template, previews and saves it, then resets it. An agent reads the settings
// without a Save button; a 390 px phone shows the pages without horizontal scrolling.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed".
import {browserTest, expect, expectNoSidewaysScroll, PHONE, pressButton, signInToConsole} from './support.mjs';

const t = browserTest('console mail', 'console_mail.test.mjs');
const {baseUrl, seed} = t;
const PAYLOAD = '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script>';

const signIn = (page, email) => signInToConsole(page, baseUrl, email, seed.password);

const press = pressButton;

async function follow(page, link) {
  await link.click();
  await page.waitForLoadState('load');
}

async function notice(page) {
  return (await page.locator('p.sp-flash-notice').innerText()).trim();
}

// A raw RFC 5322 message from a stranger with a text and an HTML part, both carrying PAYLOAD.
function strangerMessage(subject) {
  const boundary = 'b-' + Date.now();
  return [
    'From: Mallory <mallory@elsewhere.example>',
    'To: critical@desk.example',
    `Subject: ${subject}`,
    `Message-ID: <${boundary}@elsewhere.example>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The checkout is down.',
    PAYLOAD,
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    '',
    `<p>The checkout is down.</p>${PAYLOAD}`,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

t.check('an admin holds unknown senders and accepts a held message as text only', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    let dialogs = 0;
    page.on('dialog', async (dialog) => {
      dialogs += 1;
      await dialog.dismiss();
    });
    await signIn(page, seed.admin_email);
    await follow(page, page.locator('nav[aria-label="Console"]').getByRole('link', {name: 'Admin'}));
    await follow(page, page.getByRole('main').getByRole('link', {name: 'Mail', exact: true}));
    expect(new URL(page.url()).pathname === '/console/admin/mail', `Mail went to ${page.url()}`);
    await page.getByLabel('Hold it for an agent to accept or reject').check();
    await page.getByLabel('Routes').fill('critical open_case 1');
    await press(page, 'Save mail settings');
    expect((await notice(page)).includes('Mail settings saved'), 'no saved notice');
    expect(await page.getByLabel('Hold it for an agent to accept or reject').isChecked(),
           'the policy did not stay');
    expect(await page.getByLabel('Routes').inputValue() === 'critical open_case 1',
           'the route did not stay');

    const subject = 'Checkout down ' + Date.now();
    const sent = await fetch(baseUrl + '/api/v1/mail/inbound?to=critical@desk.example', {
      method: 'POST',
      headers: {'Authorization': 'Bearer ' + seed.admin_token, 'Content-Type': 'message/rfc822'},
      body: strangerMessage(subject),
    });
    const result = await sent.json();
    expect(sent.status === 201 && result.status === 'quarantined',
           `the stranger's mail was ${sent.status} ${JSON.stringify(result)}`);

    await follow(page, page.getByRole('navigation', {name: 'Mail administration'})
                           .getByRole('link', {name: 'Held and refused mail'}));
    await follow(page, page.getByRole('link', {name: subject}));
    const text = page.locator('#mi-text');
    const shown = await text.innerText();
    expect(shown.includes('The checkout is down.'), `the text shows "${shown}"`);
    expect(shown.includes('<script>'), 'the payload is not shown as text');
    expect(await page.locator('main img, main script').count() === 0,
           'an element of the payload exists in the page');
    expect(await page.evaluate(() => window.__pwned === undefined), 'the payload ran');
    expect(dialogs === 0, 'a dialog opened');

    await page.getByLabel('Organisation for a new contact').selectOption(String(seed.org_id));
    await press(page, 'Accept and open a case');
    expect((await notice(page)).includes('Accepted'), 'no accepted notice');
    const caseLink = page.getByRole('link', {name: /^Case \d+$/});
    expect(await caseLink.count() === 1, 'no link to the opened case');
    expect(await page.getByRole('button', {name: 'Accept and open a case'}).count() === 0,
           'the message can still be accepted');
    expect(await page.evaluate(() => window.__pwned === undefined), 'the payload ran later');
    watcher.assertClean('the mail settings and held mail pages');
  } finally {
    await context.close();
  }
});

t.check('an admin edits, previews, saves and resets a template', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.admin_email);
    await page.goto(baseUrl + '/console/admin/mail/templates', {waitUntil: 'load'});
    await follow(page, page.getByRole('link', {name: 'case.reply', exact: true}));
    expect((await page.locator('#mt-values').innerText()).includes('{{comment}}'),
           'the placeholders do not list {{comment}}');
    await page.getByLabel('Subject').fill('Reply on #{{case_number}} from {{author_name}}');
    await press(page, 'Preview');
    const previewed = (await page.locator('#mt-preview-subject').innerText()).trim();
    expect(previewed === 'Reply on #[case_number] from [author_name]', `the preview says "${previewed}"`);
    await press(page, 'Save template');
    expect((await notice(page)).includes('Template saved'), 'no saved notice');
    expect(await page.getByLabel('Subject').inputValue() ===
           'Reply on #{{case_number}} from {{author_name}}', 'the subject was not stored');
    await press(page, 'Reset to the shipped template');
    expect((await notice(page)).includes('Template reset'), 'no reset notice');
    expect(await page.getByLabel('Subject').inputValue() === 'New reply: {{case_subject}}',
           'the shipped subject is not back');
    watcher.assertClean('the template pages');
  } finally {
    await context.close();
  }
});

t.check('an agent reads the mail settings without Save', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.agent_email);
    await page.goto(baseUrl + '/console/admin/mail', {waitUntil: 'load'});
    expect(await page.getByRole('button', {name: 'Save mail settings'}).count() === 0,
           'an agent sees Save');
    expect(await page.getByLabel('Routes').inputValue() === 'critical open_case 1',
           'the agent does not see the routes');
    await page.getByLabel('Organisation', {exact: true}).selectOption(String(seed.org_id));
    await press(page, 'Open organisation settings');
    expect(new URL(page.url()).pathname === `/console/admin/mail/orgs/${seed.org_id}`,
           `the picker went to ${page.url()}`);
    expect(await page.getByRole('heading', {level: 1}).innerText().then((h) => h.includes(seed.org_name)),
           'the organisation page does not name it');
    watcher.assertClean('the agent mail pages');
  } finally {
    await context.close();
  }
});

t.check('the mail pages fit a phone', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, PHONE);
  try {
    await signIn(page, seed.admin_email);
    await expectNoSidewaysScroll(page, baseUrl, [
      '/console/admin/mail', '/console/admin/mail/templates',
      '/console/admin/mail/templates/case.opened', '/console/admin/mail/inbound?status=all',
      '/console/admin/mail/outbox?state=pending']);
    watcher.assertClean('the phone pages');
  } finally {
    await context.close();
  }
});

t.run();
