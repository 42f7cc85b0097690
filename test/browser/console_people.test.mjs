// Browser test of the console's directory admin pages (issue 5's admin: groups and people,
// organisations and partners): headless Debian Chromium (/usr/bin/chromium) driven by
// playwright-core, against a running casedesk that run_console_people.py started and seeded.
//
// Usage: node console_people.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher:
// password, admin_email, agent_email, customer_email, org_id, admin_token).
// An admin follows Admin to "Organisations and partners", adds a partner and a customer under it
// with a plan and a time zone, adds a contact of the customer, creates a group, adds a staff
// member and puts them in the group, changes their tier and deactivates them, and filters the
// people list by role; the JSON API returns what each form saved. The admin moves an agent to
// success manager with the Role select (which offers only staff roles) and is refused changing
// their own role, with the reason beside the form. An agent reads an organisation
// but is refused on save with the reason beside the form, keeping what was typed; a customer gets
// the 404 page; a 390 px phone without horizontal scrolling.
// Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is "N passed, N failed".
import {browserTest, expect, expectNoSidewaysScroll, PHONE, signInToConsole} from './support.mjs';

const t = browserTest('console people', 'console_people.test.mjs');
const {baseUrl, seed} = t;

const signIn = (page, email) => signInToConsole(page, baseUrl, email, seed.password);

// Clicks the button named `name` (inside `scope`, else the page) and waits for the page it loads.
async function press(page, name, scope = page) {
  await Promise.all([
    page.waitForResponse((r) => r.request().resourceType() === 'document'),
    scope.getByRole('button', {name, exact: true}).click(),
  ]);
  await page.waitForLoadState('load');
}

// Follows the link named `name` (inside `scope`, else the page) and waits for the page.
async function follow(page, name, scope = page) {
  await Promise.all([
    page.waitForResponse((r) => r.request().resourceType() === 'document'),
    scope.getByRole('link', {name, exact: true}).click(),
  ]);
  await page.waitForLoadState('load');
}

async function notice(page) {
  return (await page.locator('p.sp-flash-notice').innerText()).trim();
}

// The id at the end of the current page's path (/console/admin/orgs/12 -> 12).
function idOf(page) {
  return Number(new URL(page.url()).pathname.split('/').pop());
}

t.check('an admin adds a partner, a customer with a contact, and a staff member in a group',
        async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.admin_email);
    await follow(page, 'Admin', page.locator('nav[aria-label="Console"]'));
    await follow(page, 'Organisations and partners', page.getByRole('main'));
    expect(new URL(page.url()).pathname === '/console/admin/orgs', `went to ${page.url()}`);
    // A partner.
    let add = page.locator('form[method="post"][action="/console/admin/orgs"]');
    await add.getByLabel('Name').fill('Northwind Partners');
    await add.getByLabel('Kind').selectOption({label: 'Partner'});
    await add.getByLabel('Plan').selectOption('professional');
    await press(page, 'Add organisation');
    expect((await notice(page)).includes('Organisation created'), 'no notice for the partner');
    const partnerId = idOf(page);
    // A customer under it, with a plan and a time zone.
    await page.goto(baseUrl + '/console/admin/orgs', {waitUntil: 'load'});
    add = page.locator('form[method="post"][action="/console/admin/orgs"]');
    await add.getByLabel('Name').fill('Contoso');
    await add.getByLabel('Kind').selectOption({label: 'Customer'});
    await add.getByLabel('Partner').selectOption({label: 'Northwind Partners'});
    await add.getByLabel('Plan').selectOption('enterprise');
    await add.getByLabel('Time zone').fill('Europe/Paris');
    await press(page, 'Add organisation');
    const customerId = idOf(page);
    expect(await page.getByRole('link', {name: 'Northwind Partners'}).count() === 1,
           'the customer does not link its partner');
    expect(await page.getByLabel('Plan').inputValue() === 'enterprise',
           'the plan is not enterprise');
    let org = await t.api('GET', `/api/v1/orgs/${customerId}`);
    expect(org.body.parent_id === partnerId && org.body.plan === 'enterprise' &&
           org.body.time_zone === 'Europe/Paris', `the API says ${org.text}`);
    // A contact of the customer.
    await page.getByLabel('Contact email address').fill('dana@contoso.example');
    await page.getByLabel('Contact name').fill('Dana Contoso');
    await page.getByLabel("Manages the organisation's contacts").check();
    await press(page, 'Add contact');
    expect((await notice(page)).includes('Contact added'), 'no notice for the contact');
    expect(await page.getByRole('link', {name: 'Dana Contoso'}).count() === 1,
           'the contact is not listed');
    const contacts = await t.api('GET', `/api/v1/users?org_id=${customerId}`);
    expect(contacts.body.items.length === 1 && contacts.body.items[0].org_admin === true &&
           contacts.body.items[0].role === 'customer', `the API says ${contacts.text}`);
    // The partner's page lists its customer.
    await follow(page, 'Northwind Partners');
    expect(await page.getByRole('main').getByRole('link', {name: 'Contoso'}).count() === 1,
           'the partner does not list Contoso');
    // A group, and a staff member put into it.
    await page.goto(baseUrl + '/console/admin/groups', {waitUntil: 'load'});
    await page.getByLabel('Name').fill('Storage');
    await press(page, 'Create group');
    expect((await notice(page)).includes('Group created'), 'no notice for the group');
    const groupId = idOf(page);
    await page.goto(baseUrl + '/console/admin/people', {waitUntil: 'load'});
    add = page.locator('form[method="post"][action="/console/admin/people"]');
    await add.getByLabel('Email address').fill('sam@provider.example');
    await add.getByLabel('Name').fill('Sam Staff');
    await add.getByLabel('Role').selectOption({label: 'Agent'});
    await press(page, 'Add person');
    expect((await notice(page)).includes('Person added'), 'no notice for the person');
    const personId = idOf(page);
    await page.getByLabel('Group', {exact: true}).selectOption({label: 'Storage'});
    await press(page, 'Add to group');
    expect((await notice(page)).includes('Added to the group'), 'no notice for the group');
    const group = await t.api('GET', `/api/v1/groups/${groupId}`);
    expect(JSON.stringify(group.body.members) === JSON.stringify([personId]),
           `the group's members are ${JSON.stringify(group.body.members)}`);
    // Tier changed and deactivated.
    await page.getByLabel('Escalation tier').selectOption({label: 'Shift lead'});
    await page.getByLabel('Active (may sign in and use the API)').uncheck();
    await press(page, 'Save person');
    expect((await notice(page)).includes('Saved'), 'no notice for the save');
    const person = await t.api('GET', `/api/v1/users/${personId}`);
    expect(person.body.tier === 'shift_lead' && person.body.active === false,
           `the API says ${person.text}`);
    // The people list filtered by role.
    await page.goto(baseUrl + '/console/admin/people', {waitUntil: 'load'});
    const filter = page.getByRole('form', {name: 'Filter people'});
    await filter.getByLabel('Role').selectOption({label: 'Agent'});
    await press(page, 'Filter', filter);
    expect(new URL(page.url()).searchParams.get('role') === 'agent',
           `the filter went to ${page.url()}`);
    const row = page.locator('tbody tr', {has: page.getByRole('link', {name: 'Sam Staff'})});
    expect((await row.innerText()).includes('Deactivated'), 'Sam is not listed as deactivated');
    expect(await page.getByRole('link', {name: 'Dana Contoso'}).count() === 0,
           'the role filter lists a customer contact');
    watcher.assertClean('the admin directory pages');
  } finally {
    await context.close();
  }
});

t.check('an admin changes a staff member\'s role but not their own', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    const me = await t.api('GET', '/api/v1/users/me');
    const created = await t.api('POST', '/api/v1/users', {
      email: 'rita@provider.example', name: 'Rita Role', role: 'agent', org_id: me.body.org_id,
    });
    expect(created.status === 201, `creating Rita answered ${created.text}`);
    const ritaId = created.body.id;
    await signIn(page, seed.admin_email);
    await page.goto(baseUrl + `/console/admin/people/${ritaId}`, {waitUntil: 'load'});
    const role = page.getByLabel('Role', {exact: true});
    const offered = (await role.locator('option').allInnerTexts()).map((text) => text.trim());
    expect(JSON.stringify(offered) === JSON.stringify(['Agent', 'Success manager', 'Admin']),
           `the Role select offers ${JSON.stringify(offered)}`);
    expect(await role.inputValue() === 'agent', 'the current role is not selected');
    await role.selectOption({label: 'Success manager'});
    await press(page, 'Save person');
    expect((await notice(page)).includes('Role changed'), 'no notice for the role change');
    expect(await page.getByLabel('Role', {exact: true}).inputValue() === 'success_manager',
           'the page does not show the new role');
    const rita = await t.api('GET', `/api/v1/users/${ritaId}`);
    expect(rita.body.role === 'success_manager', `the API says ${rita.text}`);
    // Their own role: the page says so, and a try is refused with the reason.
    const ownPath = `/console/admin/people/${me.body.id}`;
    await page.goto(baseUrl + ownPath, {waitUntil: 'load'});
    expect((await page.locator('#person-role-hint').innerText()).includes(
               'You cannot change your own role'), 'the own page does not say why');
    await page.getByLabel('Role', {exact: true}).selectOption({label: 'Agent'});
    watcher.allow(400, 'POST', ownPath);
    await press(page, 'Save person');
    const alert = (await page.getByRole('alert').innerText()).trim();
    expect(alert.includes('you cannot change your own role'), `the alert says "${alert}"`);
    const after = await t.api('GET', '/api/v1/users/me');
    expect(after.body.role === 'admin', `the admin's role became ${after.body.role}`);
    watcher.assertClean('the role change pages');
  } finally {
    await context.close();
  }
});

t.check('an agent reads an organisation but is refused on save', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.agent_email);
    await page.goto(baseUrl + `/console/admin/orgs/${seed.org_id}`, {waitUntil: 'load'});
    await page.getByLabel('Name', {exact: true}).fill('Renamed by Ana');
    watcher.allow(403, 'POST', `/console/admin/orgs/${seed.org_id}`);
    await press(page, 'Save organisation');
    const alert = (await page.getByRole('alert').innerText()).trim();
    expect(alert.includes('only an admin may change organisations'), `the alert says "${alert}"`);
    expect(await page.getByLabel('Name', {exact: true}).inputValue() === 'Renamed by Ana',
           'the refused form lost what was typed');
    const org = await t.api('GET', `/api/v1/orgs/${seed.org_id}`);
    expect(org.body.name !== 'Renamed by Ana', 'the refused name was saved');
    watcher.assertClean('the agent organisation page');
  } finally {
    await context.close();
  }
});

t.check('a customer gets the 404 page', async (browser) => {
  const {context, page} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await signIn(page, seed.customer_email);
    for (const route of ['/console/admin/people', `/console/admin/orgs/${seed.org_id}`]) {
      const response = await page.goto(baseUrl + route, {waitUntil: 'load'});
      expect(response.status() === 404, `${route} answered ${response.status()}`);
      expect(await page.getByRole('heading', {name: 'Page not found'}).count() === 1,
             `${route} is not the 404 page`);
    }
  } finally {
    await context.close();
  }
});

t.check('the directory pages fit a phone', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, PHONE);
  try {
    await signIn(page, seed.admin_email);
    await expectNoSidewaysScroll(page, baseUrl, [
      '/console/admin/people', '/console/admin/groups', '/console/admin/orgs',
      `/console/admin/orgs/${seed.org_id}`,
    ]);
    watcher.assertClean('the phone pages');
  } finally {
    await context.close();
  }
});

t.run();
