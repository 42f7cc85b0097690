// What every browser test shares: reading the launcher's arguments, launching Debian's Chromium
// through playwright-core, pages that record what would show a broken page, the API over fetch,
// form submission, screenshots, and running named checks with TAP-like output
// ("ok - NAME" / "not ok - NAME: why", then "N passed, N failed"; exit code non-zero on failure).
//
// A test file:
//   const t = browserTest('status page', 'status_page.test.mjs');
//   t.check('banner shows the overall status', async (browser) => { ... t.expect(...) ... });
//   t.run();
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {chromium} from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
// The machines' closed network refuses Chromium's own background connections: turn them off.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const TIMEOUT_MS = 30_000;  // generous: a loaded 2-core machine
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export class CheckError extends Error {}

export function expect(condition, message) {
  if (!condition) throw new CheckError(message);
}

// A regular expression matching `text` exactly, give or take surrounding white space.
export function exactly(text) {
  return new RegExp('^\\s*' + text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\s*$');
}

// The base URL (argv[2]) and the seed ($CASEDESK_SEED, JSON) the launcher hands over, and
// whether to write screenshots ($CASEDESK_SCREENSHOTS=1). Exits with usage on anything else.
function readArguments(script) {
  const baseUrl = (process.argv[2] || '').replace(/\/$/, '');
  if (!/^https?:\/\//.test(baseUrl) || !process.env.CASEDESK_SEED) {
    console.error(`usage: CASEDESK_SEED=JSON node ${script} BASE_URL ` +
                  '(run it through its run_*.py launcher)');
    process.exit(2);
  }
  return {
    baseUrl,
    seed: JSON.parse(process.env.CASEDESK_SEED),
    screenshots: process.env.CASEDESK_SCREENSHOTS === '1',
  };
}

export function browserTest(title, script) {
  const {baseUrl, seed, screenshots} = readArguments(script);
  const checks = [];
  let faviconNoted = false;

  // Records what would show a broken page: console errors, uncaught exceptions, requests that
  // failed or answered 4xx/5xx (except the refusals a check provokes on purpose: allow()).
  function watch(page) {
    const problems = [];
    const allowedResponses = [];
    const allowedConsole = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location()?.url;
      // Chromium asks for /favicon.ico by itself when a page names no icon; the page did not.
      if (where === new URL('/favicon.ico', baseUrl).href) {
        if (!faviconNoted) console.log(`    note: Chromium's own request for ${where} failed`);
        faviconNoted = true;
        return;
      }
      // Chromium reports every 4xx document as a console error too.
      const index = allowedConsole.findIndex(
          (a) => where && new URL(where).pathname === a.path &&
                 message.text().includes(`status of ${a.status}`));
      if (index >= 0) {
        allowedConsole.splice(index, 1);
        return;
      }
      problems.push('console error: ' + message.text() + (where ? ` (${where})` : ''));
    });
    page.on('pageerror', (error) => problems.push('page error: ' + error.message));
    page.on('requestfailed', (request) => {
      // Leaving a console page ends its event stream and may cut a presence heartbeat short;
      // neither is a failure.
      if (request.failure()?.errorText === 'net::ERR_ABORTED' &&
          (request.resourceType() === 'eventsource' || request.resourceType() === 'ping' ||
           new URL(request.url()).pathname.endsWith('/presence'))) {
        return;
      }
      problems.push(`request failed: ${request.method()} ${request.url()} ` +
                    `(${request.failure()?.errorText})`);
    });
    page.on('response', (response) => {
      if (response.status() < 400) return;
      const method = response.request().method();
      const index = allowedResponses.findIndex(
          (a) => a.status === response.status() && a.method === method &&
                 new URL(response.url()).pathname === a.path);
      if (index >= 0) {
        allowedResponses.splice(index, 1);
        return;
      }
      problems.push(`HTTP ${response.status()}: ${method} ${response.url()}`);
    });
    return {
      // The next `status` answer to `method path` (a path without its query) is expected: a
      // refusal a check provokes.
      allow(status, method, path) {
        allowedResponses.push({status, method, path});
        allowedConsole.push({status, path});
      },
      assertClean(when) {
        expect(problems.length === 0, `${when}:\n    ${problems.join('\n    ')}`);
      },
    };
  }

  return {
    baseUrl,
    seed,
    screenshots,

    check(name, body) {
      checks.push({name, body});
    },

    // A fresh browser context and page (en-US unless `options` say otherwise) with a watcher.
    async newPage(browser, options) {
      const context = await browser.newContext({locale: 'en-US', ...options});
      context.setDefaultTimeout(TIMEOUT_MS);
      context.setDefaultNavigationTimeout(2 * TIMEOUT_MS);
      const page = await context.newPage();
      return {context, page, watcher: watch(page)};
    },

    // The JSON API with a bearer token (the seed's admin token unless given).
    async api(method, route, body, token = seed.admin_token) {
      const response = await fetch(baseUrl + route, {
        method,
        headers: {'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'},
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return {status: response.status, body: text ? JSON.parse(text) : null, text};
    },

    // Writes docs/screenshots/NAME (full page).
    async saveScreenshot(page, name) {
      const directory = path.join(REPO, 'docs', 'screenshots');
      await mkdir(directory, {recursive: true});
      await page.screenshot({path: path.join(directory, name), fullPage: true});
      console.log(`    wrote docs/screenshots/${name}`);
    },

    // Runs the checks in order in one Chromium and exits with 0 when all passed.
    run() {
      runChecks(title, checks).then((code) => process.exit(code), (error) => {
        console.error(`${title} browser test could not run: ` + (error.stack || error));
        process.exit(1);
      });
    },
  };
}

// A phone's browser context (390 x 844, touch), for t.newPage(browser, PHONE).
export const PHONE = {
  viewport: {width: 390, height: 844}, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
};

// Loads each path (after `baseUrl`) and checks the page is no wider than the viewport, so
// nothing scrolls sideways.
export async function expectNoSidewaysScroll(page, baseUrl, paths) {
  const viewport = page.viewportSize().width;
  for (const route of paths) {
    await page.goto(baseUrl + route, {waitUntil: 'load'});
    const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
    expect(width <= viewport, `${route} is ${width}px wide on a ${viewport}px screen`);
  }
}

// Submits `form` with its submit button and returns the response to the POST (after the
// redirect, if any, has loaded).
export async function submit(page, form) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' &&
                                r.request().resourceType() === 'document'),
    form.locator('button[type="submit"]').click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

async function runChecks(title, checks) {
  const started = Date.now();
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: CHROMIUM_ARGS,
    timeout: 2 * TIMEOUT_MS,
  });
  const version = browser.version();
  let passed = 0;
  let failed = 0;
  try {
    for (const {name, body} of checks) {
      try {
        await body(browser);
        passed++;
        console.log(`ok - ${name}`);
      } catch (error) {
        failed++;
        const why = error instanceof CheckError ? error.message : error.stack || String(error);
        console.log(`not ok - ${name}: ${why}`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`${title} in Chromium ${version}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

// Signs in through the /login form that a console page sends a signed-out visitor to, and waits
// for the page it leads to.
export async function signInToConsole(page, baseUrl, email, password) {
  await page.goto(baseUrl + '/console/cases', {waitUntil: 'load'});
  const form = page.locator('form[action="/login"]');
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Password').fill(password);
  await submit(page, form);
}

// Clicks the button named `name` and waits for the page it loads.
export async function pressButton(page, name) {
  await Promise.all([
    page.waitForResponse((r) => r.request().resourceType() === 'document'),
    page.getByRole('button', {name, exact: true}).click(),
  ]);
  await page.waitForLoadState('load');
}
