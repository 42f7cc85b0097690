// Browser test of service tasks (issue 7): headless Debian Chromium (/usr/bin/chromium) driven
// by playwright-core, against a running casedesk that run_service_tasks.py started and seeded.
//
// Usage: node service_tasks.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher:
// admin_email, password, alice_email, requested_number, estimated_number, xss).
// Staff give an estimate with the console case page's form (post/redirect/get; a refusal comes
// back beside the field with what was typed); the customer sees the estimate on the portal case
// page and approves it with the button, without JavaScript too; the portal's new-case page
// offers the service-task kind and its form opens one.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed".
import {browserTest, expect, submit} from './support.mjs';

const t = browserTest('service tasks', 'service_tasks.test.mjs');
const {baseUrl, seed} = t;

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

t.check('staff estimate on the console case page, and see a refusal beside the field',
        async (browser) => {
          const {context, page, watcher} = await t.newPage(browser,
                                                           {viewport: {width: 1280, height: 900}});
          try {
            await signIn(page, seed.admin_email, '/console');
            const casePath = `/console/cases/${seed.requested_number}`;
            await page.goto(baseUrl + casePath, {waitUntil: 'load'});
            const section = page.locator('section#cc-service-task');
            expect(await section.count() === 1, 'the case page has no Service task section');
            const text = await section.innerText();
            expect(text.includes('waiting for an estimate'), `the section reads "${text}"`);
            expect(text.includes('Estimate due'), 'the estimate clock is not shown');
            // A refusal first: a date that does not exist, typed past the browser's picker.
            const form = section.locator('form[action$="/service-task/estimate"]');
            await form.getByLabel('Hours').fill('3');
            await form.getByLabel('Projected completion date')
                .evaluate((input) => { input.type = 'text'; });
            await form.getByLabel('Projected completion date').fill('2030-02-30');
            watcher.allow(400, 'POST', `${casePath}/service-task/estimate`);
            const refused = await submit(page, form);
            expect(refused.status() === 400, `a bad date answered ${refused.status()}`);
            const date = page.locator('#cc-st-completion');
            expect(await date.getAttribute('aria-invalid') === 'true', 'the date is not marked invalid');
            const error = await page.locator('#cc-st-estimate-error').innerText();
            expect(error.includes('completion_date'), `the error says "${error}"`);
            expect(await page.locator('#cc-st-hours').inputValue() === '3', 'what was typed is lost');
            // Then the estimate.
            const again = page.locator('section#cc-service-task form[action$="/service-task/estimate"]');
            await again.getByLabel('Hours').fill('4.5');
            await again.getByLabel('Projected completion date').fill('2030-03-01');
            const response = await submit(page, again);
            expect(response.status() === 303, `the estimate answered ${response.status()}`);
            expect(new URL(page.url()).pathname === casePath, `after estimating, ${page.url()}`);
            const after = await page.locator('section#cc-service-task').innerText();
            expect(after.includes('waiting for the customer') && after.includes('4.5 hours') &&
                       after.includes('2030-03-01'),
                   `after the estimate the section reads "${after}"`);
            await noScriptRan(page, 'the console case page');
            watcher.assertClean('the console case page');
          } finally {
            await context.close();
          }
        });

t.check('the customer approves the estimate with the portal button, without JavaScript',
        async (browser) => {
          const {context, page, watcher} = await t.newPage(browser, {
            viewport: {width: 1280, height: 900}, javaScriptEnabled: false,
          });
          try {
            await signIn(page, seed.alice_email, '/portal');
            const casePath = `/portal/cases/${seed.estimated_number}`;
            await page.goto(baseUrl + casePath, {waitUntil: 'load'});
            const section = page.locator('section#service-task');
            expect(await section.count() === 1, 'the portal case page has no Service task section');
            const text = await section.innerText();
            expect(text.includes('2.5 hours') && text.includes('2030-01-10'),
                   `the estimate reads "${text}"`);
            expect(await section.getByRole('button', {name: 'Decline'}).count() === 1,
                   'no Decline button');
            const approve = section.getByRole('button', {name: 'Approve the estimate'});
            expect(await approve.count() === 1, 'no Approve button');
            const response = await submit(page, section.locator('form[action$="/approve"]'));
            expect(response.status() === 303, `approving answered ${response.status()}`);
            expect(new URL(page.url()).pathname === casePath, `after approving, ${page.url()}`);
            const after = await page.locator('section#service-task').innerText();
            expect(after.includes('Approved'), `after approving the section reads "${after}"`);
            expect(await page.locator('section#service-task button').count() === 0,
                   'the buttons are still offered');
            watcher.assertClean('the portal case page');
          } finally {
            await context.close();
          }
        });

t.check('the portal offers the service-task kind and opens one', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.alice_email, '/portal');
    await page.goto(baseUrl + '/portal/cases/new', {waitUntil: 'load'});
    await page.getByRole('link', {name: 'Request a service task'}).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname === '/portal/service-tasks/new', `the link went to ${page.url()}`);
    const form = page.locator('form[action="/portal/service-tasks"]');
    await form.getByLabel(/^What should be done/).fill('Add a DNS record ' + seed.xss);
    await form.getByLabel(/^Details/).fill('www2 -> 10.0.0.5');
    const response = await submit(page, form);
    expect(response.status() === 303, `requesting answered ${response.status()}`);
    expect(/^\/portal\/cases\/\d+$/.test(new URL(page.url()).pathname), `then ${page.url()}`);
    const section = await page.locator('section#service-task').innerText();
    expect(section.includes('preparing an estimate') && section.includes('We reply with an estimate by'),
           `the new task reads "${section}"`);
    await noScriptRan(page, 'the new service task');
    watcher.assertClean('requesting a service task');
  } finally {
    await context.close();
  }
});

t.run();
