// Browser test of the customer and partner portal: headless Debian Chromium (/usr/bin/chromium)
// driven by playwright-core, against a running casedesk that run_portal.py started and seeded.
//
// Usage: node portal.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher: password,
// alice_email, pat_email, carl_email, agent_token, provider_name, partner_brand, initech_id).
// A customer signs in, opens a case through the intake form with a file and a secret (an XSS
// payload in the subject and body shows as text and runs nothing), sees the SLA promise; an agent
// replies and adds an internal note through the API; the customer sees the reply, never the
// note, and answers with a file. A partner agent opens a case for their customer with their
// reference, changes it and escalates; the partner's customer sees the partner's name, never
// the provider's. The same flow without JavaScript, and a 390 px phone without horizontal
// scrolling. With CASEDESK_SCREENSHOTS=1 it writes docs/screenshots/portal-case.png.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed"
// and the exit code is non-zero when any check failed.
import {browserTest, expect, expectNoSidewaysScroll, PHONE, submit} from './support.mjs';

const t = browserTest('customer portal', 'portal.test.mjs');
const {baseUrl, seed, screenshots} = t;

// The JSON API, as the agent unless a token is given.
function api(method, route, body, token = seed.agent_token) {
  return t.api(method, route, body, token);
}

// Would set a flag if any of it ran; CSP and escaping must both keep it text.
const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
const SECRET = 'root / correct-horse-battery';
const REPLY = 'We found the cause ' + XSS;
const NOTE = 'INTERNAL NOTE: customer is on an old kernel';

async function signIn(page, email) {
  await page.goto(baseUrl + '/portal', {waitUntil: 'load'});
  expect(new URL(page.url()).pathname === '/login', `signed out, /portal went to ${page.url()}`);
  const form = page.locator('form[action="/login"]');
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Password').fill(seed.password);
  await submit(page, form);
  await page.goto(baseUrl + '/', {waitUntil: 'load'});
  expect(new URL(page.url()).pathname === '/portal', `after signing in / went to ${page.url()}`);
}

async function notice(page) {
  const line = page.locator('main .sp-flash-notice[role="status"]');
  return (await line.count()) ? (await line.innerText()).trim() : '';
}

// Opens a case through the two steps; returns the case page's path.
async function openCase(page, {subject, file, secret, customer, reference, cc}) {
  await page.goto(baseUrl + '/portal', {waitUntil: 'load'});
  await page.locator('nav[aria-label="Portal"]').getByRole('link', {name: 'Open a case'}).click();
  await page.waitForLoadState('load');
  const step = page.locator('form[action="/portal/cases/new"]');
  await step.getByLabel('Incident', {exact: true}).check();
  if (customer) await step.getByLabel('For which customer').selectOption(String(customer));
  await step.locator('button[type="submit"]').click();
  await page.waitForLoadState('load');
  const form = page.locator('form[action="/portal/cases"]');
  await form.getByLabel(/^Subject/).fill(subject);
  await form.getByLabel(/^Description/).fill('The site answers 502.\n' + XSS);
  await form.getByLabel(/^2 /).check();
  const definition = await page.locator('#pt-severity-1-text').innerText();
  expect(definition.trim().length > 0, 'severity 1 shows no definition');
  await form.getByLabel(/^Server name/).fill('WA1WEB01');
  await form.getByLabel(/^Error message/).fill('502 Bad Gateway');
  await form.getByLabel(/^Steps already tried/).fill('Restarted nginx');
  if (reference) await form.getByLabel(/^Your reference number/).fill(reference);
  if (cc) await form.getByLabel(/^People to CC/).fill(cc);
  if (file) await form.getByLabel(/^Screenshots and logs/).setInputFiles(file);
  if (secret) await form.getByLabel(/^Credentials we need/).fill(secret);
  const response = await submit(page, form);
  expect(response.status() === 303, `opening the case answered ${response.status()}`);
  const where = new URL(page.url());
  expect(/^\/portal\/cases\/\d+$/.test(where.pathname), `after opening, the page is ${page.url()}`);
  return where.pathname;
}

async function noScriptRan(page, when) {
  const pwned = await page.evaluate(() => window.__pwned === 1);
  expect(!pwned, `${when}: the XSS payload ran`);
  expect(await page.locator('main img[src="x"]').count() === 0, `${when}: an <img> was injected`);
}

let alice;
let casePath = '';

t.check('a customer signs in, lands on the portal and opens a case with a file and a secret',
      async (browser) => {
        alice = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
        const page = alice.page;
        await signIn(page, seed.alice_email);
        const brand = (await page.locator('.pt-brand').innerText()).trim();
        expect(brand === seed.provider_name, `the header says "${brand}"`);
        casePath = await openCase(page, {
          subject: 'Web down ' + XSS,
          file: {name: 'nginx.log', mimeType: 'text/plain', buffer: Buffer.from('upstream timed out')},
          secret: SECRET,
        });
        expect((await notice(page)).includes('Your case is open'), 'no "case is open" notice');
        const heading = await page.locator('main h1').innerText();
        expect(heading.includes(XSS), `the heading does not show the payload as text: ${heading}`);
        await noScriptRan(page, 'the new case');
        const promise = (await page.locator('.pt-promise').innerText()).trim();
        expect(/^We will reply by .+ your time\.$/.test(promise), `the promise says "${promise}"`);
        expect(!(await page.content()).includes('correct-horse'), 'the secret is shown back');
        const link = page.getByRole('link', {name: 'nginx.log'});
        expect(await link.getAttribute('download') !== null, 'the file is not a download');
        alice.watcher.assertClean('opening a case');
      });

t.check('the agent replies and notes through the API; the customer sees the reply only, and answers',
      async () => {
        const number = casePath.split('/').pop();
        let result = await api('POST', `/api/v1/cases/${number}/comments`, {body: REPLY});
        expect(result.status === 201, `the agent's reply answered ${result.status}`);
        result = await api('POST', `/api/v1/cases/${number}/comments`,
                           {body: NOTE, visibility: 'internal'});
        expect(result.status === 201, `the internal note answered ${result.status}`);
        const secret = await api('GET', `/api/v1/cases/${number}`);
        expect(secret.body.secret_fields?.credentials === SECRET,
               'the agent does not read the sealed secret');

        const page = alice.page;
        await page.goto(baseUrl + casePath, {waitUntil: 'load'});
        const conversation = await page.locator('.pt-conversation').innerText();
        expect(conversation.includes(REPLY), `the reply is missing: ${conversation}`);
        expect(!(await page.content()).includes('INTERNAL NOTE'), 'the internal note is shown');
        await noScriptRan(page, 'the agent\'s reply');
        const promise = (await page.locator('.pt-promise').innerText()).trim();
        expect(/^Next update by .+ your time\.$/.test(promise), `the promise says "${promise}"`);

        const form = page.locator('form[action$="/replies"]');
        await form.getByLabel('Your reply').fill('Thanks, it works again ' + XSS);
        await form.getByLabel(/^Files/).setInputFiles(
            {name: 'after.txt', mimeType: 'text/plain', buffer: Buffer.from('all good')});
        const response = await submit(page, form);
        expect(response.status() === 303, `the reply answered ${response.status()}`);
        expect((await notice(page)).includes('Your reply was added'), 'no "reply added" notice');
        const mine = page.locator('.pt-comment').last();
        expect((await mine.innerText()).includes('Thanks, it works again'), 'the reply is missing');
        expect(await mine.getByRole('link', {name: 'after.txt'}).count() === 1,
               'the reply\'s file is missing');
        await noScriptRan(page, 'the customer\'s reply');
        if (screenshots) await t.saveScreenshot(page, 'portal-case.png');
        alice.watcher.assertClean('the conversation');
        await alice.context.close();
      });

t.check('a partner agent opens for their customer, sets their reference and escalates',
      async (browser) => {
        const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
        try {
          await signIn(page, seed.pat_email);
          const path = await openCase(page, {subject: 'Customer VM down', customer: seed.initech_id,
                                             reference: 'RS-1001', cc: seed.carl_email});
          expect((await page.locator('.pt-summary').innerText()).includes('RS-1001'),
                 'the reference is not shown');
          const reference = page.locator('form[action$="/reference"]');
          await reference.getByLabel('Reference in your own system').fill('RS-1002');
          let response = await submit(page, reference);
          expect(response.status() === 303, `saving the reference answered ${response.status()}`);
          const escalate = page.locator('form[action$="/escalations"]');
          const heading = await page.locator('#pt-escalate').innerText();
          expect(heading.includes(seed.provider_name), `the escalation heading is "${heading}"`);
          await escalate.getByLabel('Reason').fill('Their production is down');
          response = await submit(page, escalate);
          expect(response.status() === 303, `escalating answered ${response.status()}`);
          expect((await notice(page)).includes('escalation request'), 'no escalation notice');
          const number = path.split('/').pop();
          const stored = await api('GET', `/api/v1/cases/${number}`);
          expect(stored.body.partner_reference === 'RS-1002',
                 `the stored reference is ${stored.body.partner_reference}`);
          watcher.assertClean('the partner agent');
        } finally {
          await context.close();
        }
      });

t.check('the partner\'s customer sees the partner, never the provider', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.carl_email);
    const brand = (await page.locator('.pt-brand').innerText()).trim();
    expect(brand === seed.partner_brand, `the header says "${brand}"`);
    const row = page.locator('table.pt-cases tbody tr', {hasText: 'Customer VM down'});
    expect(await row.count() === 1, 'the case the partner opened is not listed');
    await row.getByRole('link').first().click();
    await page.waitForLoadState('load');
    const html = await page.content();
    expect(!html.includes(seed.provider_name), 'the provider is named on the case page');
    expect(!html.includes('RS-1002'), 'the partner\'s reference is shown to the customer');
    watcher.assertClean('the partner\'s customer');
  } finally {
    await context.close();
  }
});

t.check('without JavaScript a customer opens a case and replies', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {
    viewport: {width: 1280, height: 900}, javaScriptEnabled: false,
  });
  try {
    await signIn(page, seed.alice_email);
    const path = await openCase(page, {
      subject: 'No script ' + XSS,
      file: {name: 'plain.txt', mimeType: 'text/plain', buffer: Buffer.from('x')},
    });
    const form = page.locator('form[action$="/replies"]');
    await form.getByLabel('Your reply').fill('Replying without scripts');
    const response = await submit(page, form);
    expect(response.status() === 303, `the reply answered ${response.status()}`);
    expect(new URL(page.url()).pathname === path, `after replying the page is ${page.url()}`);
    expect((await page.locator('.pt-conversation').innerText()).includes('Replying without'),
           'the reply is missing');
    watcher.assertClean('without JavaScript');
  } finally {
    await context.close();
  }
});

t.check('a 390 x 844 phone shows the portal without a horizontal scrollbar', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, PHONE);
  try {
    await signIn(page, seed.alice_email);
    await expectNoSidewaysScroll(page, baseUrl, ['/portal?state=all', casePath, '/portal/cases/new?category=incident']);
    watcher.assertClean('the phone viewport');
  } finally {
    await context.close();
  }
});

t.run();
