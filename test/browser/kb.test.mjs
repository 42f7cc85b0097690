// Browser test of the knowledge base: headless Debian Chromium (/usr/bin/chromium) driven by
// playwright-core, against a running casedesk that run_kb.py started and seeded.
//
// Usage: node kb.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher: password,
// alice_email, agent_email, agent_token, public_id, customers_id, internal_id, section_id,
// case_number).
// Signed out, the help centre shows the public article (rendered Markdown, no script from its
// body ran) and neither the customers-only nor the internal one, and "was this helpful" works
// without JavaScript. A signed-in customer typing a new case's subject is shown a matching
// customers-only article, opens it and marks "this solved my problem" (a deflection counted).
// An agent answers a case with an article's link and drafts an article from the case. A 390 px
// phone shows the help centre without a horizontal scrollbar.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed"
// and the exit code is non-zero when any check failed.
import {browserTest, expect, expectNoSidewaysScroll, PHONE, submit} from './support.mjs';

const t = browserTest('knowledge base', 'kb.test.mjs');
const {baseUrl, seed} = t;

async function signIn(page, email, landing) {
  await page.goto(baseUrl + '/login', {waitUntil: 'load'});
  const form = page.locator('form[action="/login"]');
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Password').fill(seed.password);
  await submit(page, form);
  await page.goto(baseUrl + '/', {waitUntil: 'load'});
  expect(new URL(page.url()).pathname === landing, `after signing in / went to ${page.url()}`);
}

async function notice(page) {
  const line = page.locator('main .sp-flash-notice[role="status"]');
  return (await line.count()) ? (await line.innerText()).trim() : '';
}

t.check('signed out, the help centre shows public articles only', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await page.goto(baseUrl + '/help', {waitUntil: 'load'});
    const main = page.locator('main');
    expect(await main.getByRole('link', {name: 'Reset the VPN client'}).count() === 1,
           'the public article is not listed');
    expect(await main.getByText('Renew the VPN licence').count() === 0,
           'a customers-only article is listed to a signed-out reader');
    expect(await main.getByText('concentrator').count() === 0, 'an internal article is listed');
    await main.getByRole('link', {name: 'VPN', exact: true}).click();
    await page.waitForLoadState('load');
    await page.getByRole('link', {name: 'Reset the VPN client'}).click();
    await page.waitForLoadState('load');
    expect(await page.locator('.kb-body h1').innerText() === 'Steps', 'the Markdown heading');
    expect(await page.locator('.kb-body strong').innerText() === 'profile', 'bold text');
    expect(await page.locator('.kb-body table td').count() === 2, 'the table');
    expect(!(await page.evaluate(() => window.__pwned === 1)), 'a script from the body ran');
    expect(await page.locator('.kb-body script').count() === 0, 'a script element is in the body');
    // Search: a signed-out reader finds the public article, not the customers-only one.
    await page.getByLabel('Search the help centre').fill('vpn');
    await page.getByRole('button', {name: 'Search'}).click();
    await page.waitForLoadState('load');
    const results = await main.innerText();
    expect(results.includes('Reset the VPN client'), 'search misses the public article');
    expect(!results.includes('Renew the VPN licence'), 'search shows a customers-only article');
    watcher.allow(404, 'GET', `/help/articles/${seed.customers_id}`);
    const hidden = await page.goto(baseUrl + `/help/articles/${seed.customers_id}`);
    expect(hidden.status() === 404, `a customers-only article answered ${hidden.status()}`);
    watcher.assertClean('the signed-out help centre');
  } finally {
    await context.close();
  }
});

t.check('without JavaScript a reader votes "helpful"', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {
    viewport: {width: 1280, height: 900}, javaScriptEnabled: false,
  });
  try {
    await page.goto(baseUrl + `/help/articles/${seed.public_id}`, {waitUntil: 'load'});
    const form = page.locator('form.kb-vote');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      form.getByRole('button', {name: 'Yes'}).click(),
    ]);
    await page.waitForLoadState('load');
    expect(response.status() === 303, `the vote answered ${response.status()}`);
    expect((await notice(page)).includes('Thank you'), 'no thank-you notice');
    expect((await form.innerText()).includes('1 of 1 found this helpful'),
           `the count reads ${await form.innerText()}`);
    watcher.assertClean('voting without JavaScript');
  } finally {
    await context.close();
  }
});

t.check('an article is suggested while a customer types a new case\'s subject', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.alice_email, '/portal');
    await page.goto(baseUrl + '/portal/cases/new?category=incident', {waitUntil: 'load'});
    const region = page.locator('[data-kb-suggest]');
    expect(await region.isHidden(), 'suggestions show before anything is typed');
    await page.getByLabel(/^Subject/).pressSequentially('Renew vpn lic', {delay: 30});
    const suggestion = region.getByRole('link', {name: 'Renew the VPN licence'});
    await suggestion.waitFor({state: 'visible'});
    expect(await region.getByText('concentrator').count() === 0, 'an internal article suggested');
    await suggestion.click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname === `/help/articles/${seed.customers_id}`,
           `the suggestion opened ${page.url()}`);
    const solved = page.locator('form.kb-solved');
    const response = await submit(page, solved);
    expect(response.status() === 303, `"this solved my problem" answered ${response.status()}`);
    expect((await notice(page)).includes('no case was opened'), 'no confirmation');
    const article = await t.api('GET', `/api/v1/kb/articles/${seed.customers_id}`, undefined,
                                seed.agent_token);
    expect(article.body.deflections === 1, `deflections: ${article.body.deflections}`);
    watcher.assertClean('suggestions while typing');
  } finally {
    await context.close();
  }
});

t.check('an agent answers a case with an article and drafts one from it', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.agent_email, '/console/cases');
    await page.goto(baseUrl + `/console/cases/${seed.case_number}`, {waitUntil: 'load'});
    const draft = page.locator(`form[action="/console/cases/${seed.case_number}/kb-draft"]`);
    const response = await submit(page, draft);
    expect(response.status() === 303, `drafting answered ${response.status()}`);
    expect(/^\/console\/kb\/\d+$/.test(new URL(page.url()).pathname),
           `after drafting the page is ${page.url()}`);
    expect((await page.getByLabel('Title').inputValue()) === 'VPN licence expired',
           'the draft is not titled after the case');
    expect((await page.getByLabel(/^Body/).inputValue()).includes('Renew it under'),
           'the draft does not hold the reply');
    expect(await page.getByLabel('Visibility').inputValue() === 'internal', 'not internal');
    // Publish it for customers from the editor.
    await page.getByLabel('Visibility').selectOption('customers');
    const editor = page.locator('form.kb-editor');
    const [saved] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      editor.getByRole('button', {name: 'Save and publish'}).click(),
    ]);
    await page.waitForLoadState('load');
    expect(saved.status() === 303, `publishing answered ${saved.status()}`);
    expect((await page.locator('.kb-versions').innerText()).includes('published'),
           'the version history does not show the published version');
    await page.goto(baseUrl + `/console/cases/${seed.case_number}`, {waitUntil: 'load'});
    await page.getByRole('link', {name: 'Answer with an article'}).click();
    await page.waitForLoadState('load');
    await page.getByLabel('Find an article').fill('vpn licence');
    await page.getByRole('button', {name: 'Search'}).click();
    await page.waitForLoadState('load');
    // The customers-only article, and the one just published from the case; never internal.
    const answer = page.locator('main .kb-results > li').filter({hasText: 'Renew the VPN licence'});
    expect(await answer.count() === 1, 'the customers-only article is not offered');
    expect(!(await page.locator('main').innerText()).includes('concentrator'),
           'an internal article is offered for a public reply');
    const reply = await answer.getByLabel('Reply with this article').inputValue();
    expect(reply.includes(`/help/articles/${seed.customers_id}`), `the reply reads ${reply}`);
    const sent = await submit(page, answer.locator('form'));
    expect(sent.status() === 303, `the reply answered ${sent.status()}`);
    expect(new URL(page.url()).pathname === `/console/cases/${seed.case_number}`,
           `after replying the page is ${page.url()}`);
    expect((await page.locator('main').innerText()).includes(`/help/articles/${seed.customers_id}`),
           'the reply with the link is not in the conversation');
    watcher.assertClean('the console');
  } finally {
    await context.close();
  }
});

t.check('a 390 x 844 phone shows the help centre without a horizontal scrollbar', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, PHONE);
  try {
    await expectNoSidewaysScroll(page, baseUrl, [
      '/help', `/help/articles/${seed.public_id}`, `/help/sections/${seed.section_id}`,
      '/help/search?q=vpn',
    ]);
    watcher.assertClean('the phone viewport');
  } finally {
    await context.close();
  }
});

t.run();
