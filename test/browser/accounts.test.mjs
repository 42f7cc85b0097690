// Browser test of the customer accounts' pages: headless Debian Chromium (/usr/bin/chromium)
// driven by playwright-core, against a running casedesk that run_accounts.py started with an SMTP
// sink and seeded with a customer organisation claiming a domain.
//
// Usage: node accounts.test.mjs BASE_URL   with $CASEDESK_SEED (JSON from the launcher: domain,
// org_name, sink_directory).
// A person finds "Sign up" on the sign-in page, signs up with a work address of the domain, is
// told to check their mail, reads the verification mail from the sink, opens its link, is refused
// a password made of their name (the error beside the field), chooses a good one and is signed
// in; the used link then says it does not work. Also: the forgotten-password page answers with
// "Check your mail", and the sign-up page fits a phone's width. Elements are found by role and
// label. Each check prints "ok - NAME" or "not ok - NAME: why"; the last line is
// "N passed, N failed" and the exit code is non-zero when any check failed.
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {browserTest, expect} from './support.mjs';

const t = browserTest('customer accounts', 'accounts.test.mjs');
const {baseUrl, seed} = t;

const MAIL_MS = 30_000;     // the outbox delivers within a second or two

const PERSON = {name: 'Ana Lima', email: `ana.${Date.now()}@${seed.domain}`};
const PASSWORD = 'violet tractor lagoon';

async function heading(page) {
  return (await page.getByRole('heading', {level: 1}).innerText()).trim();
}

// Clicks a submit button and waits for the document the POST (and its redirect) led to.
async function press(page, button) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' &&
                                r.request().resourceType() === 'document'),
    button.click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

// Quoted-printable bodies: soft line breaks joined, =XX decoded.
function decodeQuotedPrintable(text) {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g,
                                             (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

// The path of the first account link in a message to `address`, once the sink has one.
async function linkMailedTo(address, pattern) {
  const deadline = Date.now() + MAIL_MS;
  while (Date.now() < deadline) {
    const names = (await readdir(seed.sink_directory)).filter((n) => n.endsWith('.json')).sort();
    for (const name of names.reverse()) {
      const envelope = JSON.parse(await readFile(path.join(seed.sink_directory, name), 'utf8'));
      if (!envelope.rcpt_tos.includes(address)) continue;
      const raw = await readFile(path.join(seed.sink_directory, name.replace(/json$/, 'eml')),
                                 'utf8');
      const match = decodeQuotedPrintable(raw).match(pattern);
      if (match) return match[1];
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new CheckError(`no mail with ${pattern} reached ${address} within ${MAIL_MS} ms`);
}

let person;  // the browser the sign-up flow's checks share
let link = '';

t.check('the sign-in page leads to signing up', async (browser) => {
  person = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  const {page, watcher} = person;
  await page.goto(baseUrl + '/login', {waitUntil: 'load'});
  await Promise.all([page.waitForURL((url) => url.pathname === '/signup'),
                     page.getByRole('link', {name: 'No account yet? Sign up'}).click()]);
  expect(await heading(page) === 'Sign up', `the page says "${await heading(page)}"`);
  watcher.assertClean('the sign-up page');
});

t.check('signing up with a work address says "check your mail"', async () => {
  const {page, watcher} = person;
  await page.getByLabel('Your name').fill(PERSON.name);
  await page.getByLabel('Email address').fill(PERSON.email);
  const response = await press(page, page.getByRole('button', {name: 'Sign up'}));
  expect(response.status() === 303, `POST /signup answered ${response.status()}`);
  expect(await heading(page) === 'Check your mail', `the page says "${await heading(page)}"`);
  watcher.assertClean('signing up');
});

t.check('the verification mail links to choosing a password', async () => {
  const {page, watcher} = person;
  link = await linkMailedTo(PERSON.email, /https?:\/\/[^/\s]+(\/verify\?token=[A-Za-z0-9_-]+)/);
  await page.goto(baseUrl + link, {waitUntil: 'load'});
  expect(await heading(page) === 'Choose your password', `the link shows "${await heading(page)}"`);
  const main = (await page.getByRole('main').innerText());
  expect(main.includes(PERSON.email), 'the page does not say whose account it is');
  watcher.assertClean('the verification link');
});

t.check('a password made of the name is refused beside the field', async () => {
  const {page, watcher} = person;
  const password = page.getByLabel('Password', {exact: true});
  await password.fill('lima lima lima');
  await page.getByLabel('Password again').fill('lima lima lima');
  watcher.allow(400, 'POST', '/verify');
  const response = await press(page, page.getByRole('button', {name: 'Save and sign in'}));
  expect(response.status() === 400, `POST /verify answered ${response.status()}`);
  const field = page.getByLabel('Password', {exact: true});
  expect(await field.getAttribute('aria-invalid') === 'true', 'the field is not marked invalid');
  const described = (await field.getAttribute('aria-describedby') || '').split(' ');
  const error = described.find((id) => id.endsWith('-error'));
  expect(error, 'the field is not described by an error');
  const text = (await page.locator('#' + error).innerText()).trim();
  expect(text.includes('must not contain your email address or name'), `the error says "${text}"`);
  watcher.assertClean('the refused password');
});

t.check('choosing a good password signs in and leaves the sign-in page behind', async () => {
  const {page, context, watcher} = person;
  await page.getByLabel('Password', {exact: true}).fill(PASSWORD);
  await page.getByLabel('Password again').fill(PASSWORD);
  const response = await press(page, page.getByRole('button', {name: 'Save and sign in'}));
  expect(response.status() === 303, `POST /verify answered ${response.status()}`);
  const cookies = await context.cookies(baseUrl);
  const session = cookies.find((c) => c.name === 'casedesk_session');
  expect(session && session.httpOnly && session.sameSite === 'Lax',
         'no HttpOnly, SameSite=Lax session cookie after choosing the password');
  expect(new URL(page.url()).pathname !== '/login', `signed in, the browser is on ${page.url()}`);
  watcher.assertClean('signing in');
});

t.check('the used link says it does not work any more', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    watcher.allow(404, 'GET', '/verify');
    const response = await page.goto(baseUrl + link, {waitUntil: 'load'});
    expect(response.status() === 404, `the used link answered ${response.status()}`);
    expect(await heading(page) === 'This link does not work',
           `the used link shows "${await heading(page)}"`);
    await page.getByRole('link', {name: 'Sign in'}).waitFor();
    watcher.assertClean('the used link');
  } finally {
    await context.close();
    await person.context.close();
  }
});

t.check('a forgotten password gets the same "check your mail" answer', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 1280, height: 900}});
  try {
    await page.goto(baseUrl + '/login', {waitUntil: 'load'});
    await Promise.all([page.waitForURL((url) => url.pathname === '/password/forgot'),
                       page.getByRole('link', {name: 'Forgot your password?'}).click()]);
    await page.getByLabel('Email address').fill(`nobody.${Date.now()}@${seed.domain}`);
    await press(page, page.getByRole('button', {name: 'Send the link'}));
    expect(await heading(page) === 'Check your mail', `the page says "${await heading(page)}"`);
    watcher.assertClean('the forgotten password');
  } finally {
    await context.close();
  }
});

t.check('the sign-up page fits a phone without sideways scrolling', async (browser) => {
  const {context, page, watcher} = await t.newPage(browser, {viewport: {width: 360, height: 740}});
  try {
    await page.goto(baseUrl + '/signup', {waitUntil: 'load'});
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    const button = await page.getByRole('button', {name: 'Sign up'}).boundingBox();
    expect(button && button.height >= 40, 'the button is smaller than a finger');
    watcher.assertClean('the phone viewport');
  } finally {
    await context.close();
  }
});

t.run();
