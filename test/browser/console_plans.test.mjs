// Browser test of the console's support plan, SLA policy and severity definition pages (issue
// 5's admin): headless Debian Chromium (/usr/bin/chromium) driven by playwright-core, against a
// running casedesk that run_console_plans.py started and seeded.
//
// Usage: node console_plans.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher:
// password, admin_email, admin_token, agent_email).
// An admin goes from the navigation's Admin index to the plans, creates a plan, changes its
// fields, gives it an SLA policy with severity 2's first response at 120 minutes on the 24x7
// calendar (a refused target first: the reason shown, what was typed kept), which the JSON API
// then serves, and rewords a severity definition; an agent reads the SLA policy without a Save
// button; a 390 px phone without horizontal scrolling.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed".
import {browserTest, expect, expectNoSidewaysScroll, PHONE, pressButton, signInToConsole} from './support.mjs';

const t = browserTest('console plans', 'console_plans.test.mjs');
const {baseUrl, seed} = t;

const signIn = (page, email) => signInToConsole(page, baseUrl, email, seed.password);

const press = pressButton;

async function notice(page) {
  return (await page.locator('p.sp-flash-notice').innerText()).trim();
}

t.check('an admin creates a plan and sets its SLA policy', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.admin_email);
    await page.locator('nav[aria-label="Console"]').getByRole('link', {name: 'Admin'}).click();
    await page.waitForLoadState('load');
    await page.locator('main a[href="/console/admin/plans"]').click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname === '/console/admin/plans',
           `the admin index's plans link went to ${page.url()}`);
    const shipped = page.locator('tbody tr', {has: page.getByRole('link', {name: 'enterprise', exact: true})});
    expect((await shipped.innerText()).includes('Shipped'), 'enterprise does not show its shipped SLA');
    await page.getByLabel('Name', {exact: true}).fill('premium');
    await page.getByLabel('Display name').fill('Premium');
    await page.getByLabel('API', {exact: true}).check();
    await press(page, 'Create plan');
    expect(new URL(page.url()).pathname === '/console/admin/plans/premium',
           `the new plan is at ${page.url()}`);
    let said = await notice(page);
    expect(said.includes('Plan created'), `the notice says "${said}"`);
    await page.getByLabel('Display name').fill('Premium 24x7');
    await page.getByLabel('Critical cases are worked after hours').check();
    await press(page, 'Save plan');
    said = await notice(page);
    expect(said.includes('Plan saved'), `the notice says "${said}"`);
    expect(await page.getByLabel('Display name').inputValue() === 'Premium 24x7',
           'the saved display name is not shown');
    expect(await page.getByRole('cell', {name: 'plan.updated'}).count() === 1,
           'the history does not show the change');

    await page.getByRole('link', {name: 'SLA policy of this plan'}).click();
    await page.waitForLoadState('load');
    const first = page.getByLabel('Severity 2 first response target', {exact: true});
    expect(await first.inputValue() === '240', 'the template is not the shipped 240 minutes');
    // A target that is neither minutes nor a name is refused with the reason; the typing stays.
    await page.getByLabel('Severity 1 first response target', {exact: true}).fill('soon!');
    await first.fill('120');
    await page.getByLabel('Severity 2 first response calendar', {exact: true}).selectOption('always');
    watcher.allow(400, 'POST', '/console/admin/plans/premium/sla');
    await press(page, 'Save SLA policy');
    const alert = (await page.getByRole('alert').innerText()).trim();
    expect(alert.includes('severity 1'), `the refusal says "${alert}"`);
    expect(await first.inputValue() === '120', 'the refused form lost severity 2');
    expect(await page.getByLabel('Severity 2 first response calendar', {exact: true}).inputValue() ===
           'always', 'the refused form lost the calendar');
    await page.getByLabel('Severity 1 first response target', {exact: true}).fill('60');
    await press(page, 'Save SLA policy');
    said = await notice(page);
    expect(said.includes('SLA policy saved'), `the notice says "${said}"`);
    const policy = await t.api('GET', '/api/v1/plans/premium/sla-policy');
    expect(policy.status === 200, `GET sla-policy answered ${policy.status}`);
    const target = policy.body.targets['2'].first_response;
    expect(target.minutes === 120 && target.calendar === 'always',
           `the API serves ${JSON.stringify(target)}`);
    watcher.assertClean('the plan pages');
  } finally {
    await context.close();
  }
});

t.check('an admin rewords a severity definition', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.admin_email);
    await page.goto(baseUrl + '/console/admin/severities', {waitUntil: 'load'});
    await page.getByLabel('Severity 2 summary').fill('Production works, but badly');
    await page.getByLabel('Severity 2 examples').fill('Checkout is slow\nReports time out');
    await press(page, 'Save definitions');
    const said = await notice(page);
    expect(said.includes('Severity definitions saved'), `the notice says "${said}"`);
    expect(await page.getByLabel('Severity 2 summary').inputValue() === 'Production works, but badly',
           'the saved summary is not shown');
    const listed = await t.api('GET', '/api/v1/severities');
    const major = listed.body.items.find((item) => item.level === 2);
    expect(JSON.stringify(major.examples) === '["Checkout is slow","Reports time out"]',
           `the API serves examples ${JSON.stringify(major.examples)}`);
    watcher.assertClean('the severity page');
  } finally {
    await context.close();
  }
});

t.check('an agent reads the SLA policy without a Save button', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.agent_email);
    await page.goto(baseUrl + '/console/admin/plans/enterprise/sla', {waitUntil: 'load'});
    expect(await page.getByRole('button', {name: 'Save SLA policy'}).count() === 0,
           'an agent sees Save');
    expect(await page.getByText('Only an admin can change SLA policies.').count() === 1,
           'no note that only admins change policies');
    expect(await page.getByLabel('Severity 1 first response target', {exact: true}).inputValue() ===
           '60', 'enterprise severity 1 is not 60 minutes');
    watcher.assertClean('the agent SLA page');
  } finally {
    await context.close();
  }
});

t.check('the plan pages fit a phone', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, PHONE);
  try {
    await signIn(page, seed.admin_email);
    await expectNoSidewaysScroll(page, baseUrl, [
      '/console/admin/plans', '/console/admin/plans/enterprise',
      '/console/admin/plans/enterprise/sla', '/console/admin/severities']);
    watcher.assertClean('the phone pages');
  } finally {
    await context.close();
  }
});

t.run();
