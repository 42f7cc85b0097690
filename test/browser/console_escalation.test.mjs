// Browser test of the console's escalation policy and on-call schedule pages (issue 5's admin):
// headless Debian Chromium (/usr/bin/chromium) driven by playwright-core, against a running
// casedesk that run_console_escalation.py started and seeded.
//
// Usage: node console_escalation.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the
// launcher: password, admin_email, agent_email).
// An admin follows "Admin" to "On-call schedules", creates a schedule with two people taking
// turns and sees who is on call now; then creates an escalation policy whose step pages that
// schedule and the executives when an SLA clock breaches, sees it saved as chosen, and deletes
// it; an agent reads a policy without Save; a 390 px phone without horizontal scrolling.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed".
import {browserTest, expect, expectNoSidewaysScroll, PHONE, pressButton, signInToConsole} from './support.mjs';

const t = browserTest('console escalation', 'console_escalation.test.mjs');
const {baseUrl, seed} = t;

const signIn = (page, email) => signInToConsole(page, baseUrl, email, seed.password);

const press = pressButton;

async function follow(page, name) {
  await page.getByRole('main').getByRole('link', {name, exact: true}).click();
  await page.waitForLoadState('load');
}

async function notice(page) {
  return (await page.locator('p.sp-flash-notice').innerText()).trim();
}

t.check('an admin creates a schedule and a policy that pages it', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.admin_email);
    await page.locator('nav[aria-label="Console"]').getByRole('link', {name: 'Admin'}).click();
    await page.waitForLoadState('load');
    await follow(page, 'On-call schedules');
    expect(new URL(page.url()).pathname === '/console/admin/oncall',
           `the On-call link went to ${page.url()}`);
    // A schedule: Ana and the admin take daily turns.
    await page.getByLabel('Name', {exact: true}).fill('primary');
    await press(page, 'Create schedule');
    expect(new URL(page.url()).pathname === '/console/admin/oncall/primary',
           `the new schedule is at ${page.url()}`);
    await page.getByLabel('Display name').fill('Primary on-call');
    await page.getByLabel('Time zone').fill('Europe/London');
    await page.getByLabel('Layer 1 name').fill('daily');
    await page.getByLabel('Layer 1 first hand-over (local time)').fill('2026-01-05T09:00');
    await page.getByLabel('Layer 1 turn length in minutes').fill('1440');
    await page.getByLabel('Layer 1 person 1').selectOption({label: 'Ana Agent'});
    const people = await page.getByLabel('Layer 1 person 2').locator('option').allInnerTexts();
    const admin = people.find((label) => label !== '(nobody)' && label !== 'Ana Agent');
    expect(admin, `the admin is not offered: ${people.join(' | ')}`);
    await page.getByLabel('Layer 1 person 2').selectOption({label: admin});
    await press(page, 'Save schedule');
    let text = await notice(page);
    expect(text.includes('On-call schedule saved'), `the notice says "${text}"`);
    const now = page.locator('#onc-now tbody tr').first();
    const who = (await now.locator('td[data-label="On call"]').innerText()).trim();
    expect(who === 'Ana Agent' || who === admin, `on call now: "${who}"`);
    expect(await page.locator('#onc-now tbody tr').count() >= 3, 'fewer than two hand-overs shown');
    await page.getByRole('link', {name: 'All on-call schedules'}).click();
    await page.waitForLoadState('load');
    const row = page.locator('tbody tr', {has: page.getByRole('link', {name: 'primary'})});
    expect((await row.innerText()).includes(who), `the list does not show ${who} on call`);

    // A policy paging the schedule and the executives on a first-response breach.
    await page.goto(baseUrl + '/console/admin/escalation', {waitUntil: 'load'});
    await page.getByLabel('Name', {exact: true}).fill('night-breaches');
    await press(page, 'Create policy');
    expect(new URL(page.url()).pathname === '/console/admin/escalation/night-breaches',
           `the new policy is at ${page.url()}`);
    await page.getByLabel('Description').fill('Breaches wake the on-call engineer');
    await page.getByLabel('Severity 1 (critical)').check();
    await page.getByLabel('When (step 1)').selectOption({label: 'An SLA clock breaches'});
    await page.getByLabel('First response (step 1)').check();
    await page.getByLabel('Delay in minutes (step 1)').fill('15');
    await page.getByLabel('Step 1 target 1', {exact: true}).selectOption({label: 'Primary on-call (primary)'});
    await page.getByLabel('Step 1 target 2', {exact: true}).selectOption({label: 'Executives'});
    await page.getByLabel('Reassign the case (step 1)').check();
    await press(page, 'Save policy');
    text = await notice(page);
    expect(text.includes('Escalation policy saved'), `the notice says "${text}"`);
    expect(await page.getByLabel('Step 1 target 1', {exact: true}).inputValue() === 'oncall:primary',
           'target 1 is not the schedule');
    expect(await page.getByLabel('Step 1 target 2', {exact: true}).inputValue() === 'tier:executive',
           'target 2 is not the executives');
    expect(await page.getByLabel('First response (step 1)').isChecked(), 'the clock is not ticked');
    expect(await page.getByLabel('Delay in minutes (step 1)').inputValue() === '15', 'delay lost');
    // A refusal keeps what was typed: a step without anyone to page.
    await page.getByLabel('When (step 2)').selectOption({label: 'An agent escalates by hand'});
    watcher.allow(400, 'POST', '/console/admin/escalation/night-breaches');
    await press(page, 'Save policy');
    const alert = (await page.getByRole('alert').innerText()).trim();
    expect(alert.includes('step 2: a level needs at least one target'), `the alert says "${alert}"`);
    expect(await page.getByLabel('Description').inputValue() === 'Breaches wake the on-call engineer',
           'the description was lost');
    // Deleted.
    await page.goto(baseUrl + '/console/admin/escalation/night-breaches', {waitUntil: 'load'});
    await press(page, 'Delete policy');
    text = await notice(page);
    expect(text.includes('Escalation policy deleted'), `the notice says "${text}"`);
    expect(await page.getByRole('link', {name: 'night-breaches'}).count() === 0, 'still listed');
    watcher.assertClean('the escalation pages');
  } finally {
    await context.close();
  }
});

t.check('an agent reads a policy but has no Save button', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.agent_email);
    await page.goto(baseUrl + '/console/admin/escalation/sla-clocks', {waitUntil: 'load'});
    expect(await page.getByRole('button', {name: 'Save policy'}).count() === 0, 'an agent sees Save');
    expect(await page.getByRole('button', {name: 'Delete policy'}).count() === 0,
           'an agent sees Delete');
    expect(await page.getByLabel('Step 2 target 1', {exact: true}).inputValue() === 'tier:support_manager',
           'the breach step does not page the support managers');
    watcher.assertClean('the agent policy page');
  } finally {
    await context.close();
  }
});

t.check('the escalation pages fit a phone', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, PHONE);
  try {
    await signIn(page, seed.admin_email);
    await expectNoSidewaysScroll(page, baseUrl, [
      '/console/admin/escalation', '/console/admin/escalation/sla-clocks',
      '/console/admin/oncall', '/console/admin/oncall/primary']);
    watcher.assertClean('the phone pages');
  } finally {
    await context.close();
  }
});

t.run();
