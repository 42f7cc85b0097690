// Browser test of engineering links and problems (issue 7): headless Debian Chromium
// (/usr/bin/chromium) driven by playwright-core, against a running casedesk that
// run_engineering.py started and seeded.
//
// Usage: node engineering.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher:
// password, admin_email, alice_email, case_number, prompted_number, prompted_key, xss).
// Staff see the case page's Engineering section, link an issue (post/redirect/get; a refusal
// beside the field with what was typed), send a suggested update with one click; the problems
// page records a problem, links a case by number and changes its status; all of it without
// JavaScript too; the customer's portal case page shows nothing of the link.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed".
import {browserTest, expect, submit} from './support.mjs';

const t = browserTest('engineering links and problems', 'engineering.test.mjs');
const {baseUrl, seed} = t;

async function signIn(page, email, landing) {
  await page.goto(baseUrl + landing, {waitUntil: 'load'});
  const form = page.locator('form[action="/login"]');
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Password').fill(seed.password);
  await submit(page, form);
}

async function noScriptRan(page, when) {
  expect(!(await page.evaluate(() => window.__xss === 1)), `${when}: the XSS payload ran`);
}

t.check('staff link an issue on the case page and see a refusal beside the field',
        async (browser) => {
          const {context, page, watcher} = await t.newPage(browser,
                                                           {viewport: {width: 1280, height: 900}});
          try {
            await signIn(page, seed.admin_email, '/console');
            const casePath = `/console/cases/${seed.case_number}`;
            await page.goto(baseUrl + casePath, {waitUntil: 'load'});
            const section = page.locator('section#cc-engineering');
            expect(await section.count() === 1, 'the case page has no Engineering section');
            expect((await section.innerText()).includes('No engineering issue is linked'),
                   'a fresh case shows links');
            let form = section.locator('form[action$="/engineering"]');
            await form.getByLabel('Issue key').fill('BAD KEY');
            watcher.allow(400, 'POST', `${casePath}/engineering`);
            const refused = await submit(page, form);
            expect(refused.status() === 400, `a bad key answered ${refused.status()}`);
            const key = page.locator('#cc-eg-key');
            expect(await key.getAttribute('aria-invalid') === 'true', 'the key is not marked invalid');
            expect(await key.inputValue() === 'BAD KEY', 'what was typed is lost');
            form = page.locator('section#cc-engineering form[action$="/engineering"]');
            await form.getByLabel('Issue key').fill('OPS-42');
            await form.getByLabel(/^URL/).fill('https://jira.example.com/browse/OPS-42');
            await form.getByLabel(/^Title/).fill('Export bug ' + seed.xss);
            const response = await submit(page, form);
            expect(response.status() === 303, `linking answered ${response.status()}`);
            expect(new URL(page.url()).pathname === casePath, `after linking, ${page.url()}`);
            const link = page.locator('section#cc-engineering li.cc-eg-link');
            expect(await link.count() === 1, 'the link is not listed');
            const text = await link.innerText();
            expect(text.includes('OPS-42') && text.includes('open') && text.includes('<img src=x'),
                   `the link reads "${text}"`);
            const anchor = link.locator('a[href="https://jira.example.com/browse/OPS-42"]');
            expect(await anchor.getAttribute('rel') === 'noopener noreferrer', 'the link is not rel=noopener');
            await noScriptRan(page, 'the case page');
            watcher.assertClean('the Engineering section');
          } finally {
            await context.close();
          }
        });

t.check('a suggested update is sent with one click, without JavaScript', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {
    viewport: {width: 1280, height: 900}, javaScriptEnabled: false,
  });
  try {
    await signIn(page, seed.admin_email, '/console');
    const casePath = `/console/cases/${seed.prompted_number}`;
    await page.goto(baseUrl + casePath, {waitUntil: 'load'});
    const pending = page.locator('section#cc-engineering .cc-eg-pending');
    expect(await pending.count() === 1, 'no suggested update is shown');
    const suggestion = await pending.locator('blockquote').innerText();
    expect(suggestion.includes('released'), `the suggestion reads "${suggestion}"`);
    const response = await submit(page, pending.locator('form'));
    expect(response.status() === 303, `sending answered ${response.status()}`);
    expect((await page.locator('main').innerText()).includes('Reply sent.'), 'no "Reply sent." notice');
    expect(await page.locator('section#cc-engineering .cc-eg-pending').count() === 0,
           'the suggestion is still waiting');
    watcher.assertClean('sending the suggestion');
  } finally {
    await context.close();
  }
  const customer = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(customer.page, seed.alice_email, '/portal');
    await customer.page.goto(`${baseUrl}/portal/cases/${seed.prompted_number}`, {waitUntil: 'load'});
    const text = await customer.page.locator('main').innerText();
    expect(text.includes('has been released'), 'the customer does not see the update');
    expect(!text.includes(seed.prompted_key) && !text.toLowerCase().includes('jira'),
           'the customer sees the tracker link');
    customer.watcher.assertClean('the portal case page');
  } finally {
    await customer.context.close();
  }
});

t.check('the problems page records a problem and links a case, without JavaScript',
        async (browser) => {
          const {context, page, watcher} = await t.newPage(browser, {
            viewport: {width: 1280, height: 900}, javaScriptEnabled: false,
          });
          try {
            await signIn(page, seed.admin_email, '/console');
            await page.goto(baseUrl + '/console/cases', {waitUntil: 'load'});
            await page.getByRole('link', {name: 'Problems', exact: true}).click();
            await page.waitForLoadState('load');
            expect(new URL(page.url()).pathname === '/console/problems',
                   `the nav item went to ${page.url()}`);
            const create = page.locator('form[action="/console/problems"]');
            await create.getByLabel('Title').fill('Exports time out ' + seed.xss);
            await create.getByLabel(/^Component/).fill('export');
            await create.getByLabel(/^Root cause/).fill('A lock is held across the batch.');
            let response = await submit(page, create);
            expect(response.status() === 303, `creating answered ${response.status()}`);
            expect(/^\/console\/problems\/\d+$/.test(new URL(page.url()).pathname),
                   `after creating, ${page.url()}`);
            expect((await page.locator('h1').innerText()).includes('<img src=x'), 'the title is not shown as text');
            const link = page.locator('form[action$="/cases"]');
            await link.getByLabel('Link a case by number').fill(String(seed.case_number));
            response = await submit(page, link);
            expect(response.status() === 303, `linking answered ${response.status()}`);
            const rows = await page.locator('table.cc-pr-table tbody tr').allInnerTexts();
            expect(rows.length === 1 && rows[0].includes(`#${seed.case_number}`),
                   `the cases read ${JSON.stringify(rows)}`);
            const edit = page.locator('form.cc-pr-form');
            await edit.getByLabel('Status').selectOption('known_error');
            response = await submit(page, edit);
            expect(response.status() === 303, `saving answered ${response.status()}`);
            expect((await page.locator('.cc-pr-summary').innerText()).includes('Known error'),
                   'the status did not change');
            const history = await page.locator('ol.cc-history').innerText();
            expect(history.includes('Case linked') && history.includes('Problem changed'),
                   `the history reads "${history}"`);
            await page.goto(`${baseUrl}/console/cases/${seed.case_number}`, {waitUntil: 'load'});
            expect((await page.locator('section#cc-engineering').innerText()).includes('Exports time out'),
                   'the case page does not name its problem');
            watcher.assertClean('the problem pages');
          } finally {
            await context.close();
          }
        });

t.run();
