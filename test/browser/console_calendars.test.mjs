// Browser test of the console's business-hours calendar pages (issue 5's admin): headless
// Debian Chromium (/usr/bin/chromium) driven by playwright-core, against a running casedesk that
// run_console_calendars.py started and seeded.
//
// Usage: node console_calendars.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher:
// password, admin_email, agent_email).
// An admin follows the navigation's "Admin" link to "Calendars", opens the shipped business-hours
// calendar, edits Friday's window and previews due times for a chosen start without saving (the
// table's row for a target moves), then saves a new calendar with a holiday and sees it listed;
// an agent gets the form without a Save button; a 390 px phone without horizontal scrolling.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed".
import {browserTest, expect, expectNoSidewaysScroll, PHONE, pressButton, signInToConsole} from './support.mjs';

const t = browserTest('console calendars', 'console_calendars.test.mjs');
const {baseUrl, seed} = t;

const signIn = (page, email) => signInToConsole(page, baseUrl, email, seed.password);

const press = pressButton;

// The "Due (GMT)" cell of the preview row of a target.
async function dueCell(page, target) {
  const row = page.locator('#cal-preview tbody tr', {has: page.locator(`td:text-is("${target}")`)});
  expect(await row.count() === 1, `no preview row for "${target}"`);
  return (await row.locator('td').nth(2).innerText()).trim();
}

t.check('an admin previews an edited calendar, then saves a new one', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.admin_email);
    await page.locator('nav[aria-label="Console"]').getByRole('link', {name: 'Admin'}).click();
    await page.waitForLoadState('load');
    await page.getByRole('main').getByRole('link', {name: 'Calendars'}).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname === '/console/admin/calendars',
           `the Calendars link went to ${page.url()}`);
    await page.getByRole('link', {name: 'business-gmt'}).click();
    await page.waitForLoadState('load');
    expect(await page.getByLabel('Time zone').inputValue() === 'GMT', 'the zone is not GMT');
    expect(await page.getByLabel('Friday').inputValue() === '08:00-01:00', 'Friday is not 08:00-01:00');
    // Friday 16:30: with Friday's window to 01:00, a 240-minute first response is due 20:30.
    await page.getByLabel('A clock starting at (calendar time)').fill('2026-03-13T16:30');
    await press(page, 'Preview due times');
    const target = 'Professional · severity 2 · first response';
    let due = await dueCell(page, target);
    expect(due === 'Fri 13 Mar 2026 20:30', `before the edit, due "${due}"`);
    // Friday ending at 17:00: 30 minutes on Friday, the rest from Monday 08:00.
    await page.getByLabel('Friday').fill('08:00-17:00');
    await press(page, 'Preview due times');
    due = await dueCell(page, target);
    expect(due === 'Mon 16 Mar 2026 11:30', `after the edit, due "${due}"`);
    expect(await page.locator('#cal-preview caption').innerText().then((c) => c.includes('not saved')),
           'the preview does not say it is unsaved');
    // Nothing was saved: the page reloaded shows the stored window.
    await page.goto(baseUrl + '/console/admin/calendars/business-gmt', {waitUntil: 'load'});
    expect(await page.getByLabel('Friday').inputValue() === '08:00-01:00', 'the preview saved Friday');
    // A new calendar.
    await page.goto(baseUrl + '/console/admin/calendars', {waitUntil: 'load'});
    await page.getByLabel('Name', {exact: true}).fill('support-apac');
    await press(page, 'Create calendar');
    expect(new URL(page.url()).pathname === '/console/admin/calendars/support-apac',
           `the new form is at ${page.url()}`);
    await page.getByLabel('Time zone').fill('Asia/Singapore');
    await page.getByLabel('Holidays').fill('2026-12-25');
    await press(page, 'Save calendar');
    const notice = (await page.locator('p.sp-flash-notice').innerText()).trim();
    expect(notice.includes('Calendar saved'), `the notice says "${notice}"`);
    await page.getByRole('link', {name: 'All calendars'}).click();
    await page.waitForLoadState('load');
    const row = page.locator('tbody tr', {has: page.getByRole('link', {name: 'support-apac'})});
    expect((await row.innerText()).includes('Asia/Singapore'), 'the new calendar is not listed');
    watcher.assertClean('the calendar pages');
  } finally {
    await context.close();
  }
});

t.check('an agent previews but has no Save button', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.agent_email);
    await page.goto(baseUrl + '/console/admin/calendars/always', {waitUntil: 'load'});
    expect(await page.getByRole('button', {name: 'Save calendar'}).count() === 0,
           'an agent sees Save');
    expect(await page.getByRole('button', {name: 'Preview due times'}).count() === 1,
           'no Preview button');
    expect(await page.locator('#cal-preview tbody tr').count() >= 3,
           'the 24x7 calendar previews fewer than three targets');
    watcher.assertClean('the agent calendar page');
  } finally {
    await context.close();
  }
});

t.check('the calendar page fits a phone', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, PHONE);
  try {
    await signIn(page, seed.admin_email);
    await expectNoSidewaysScroll(page, baseUrl,
                                 ['/console/admin/calendars', '/console/admin/calendars/business-gmt']);
    watcher.assertClean('the phone pages');
  } finally {
    await context.close();
  }
});

t.run();
