// Lighthouse scores of pages of a running Provena, signed in as a demo person through the
// development issuer (the web app keeps its session in the tab, so Lighthouse runs in the
// very tab that signed in, with storage kept).
//
//   node index.mjs BASE_URL "Display Name" PATH [PATH ...]
//
// One JSON line per page and form factor (mobile is Lighthouse's default, desktop its
// preset): scores out of 100 and the main timings in milliseconds. With LIGHTHOUSE_DETAILS
// set, what kept the main thread busy goes to stderr (boot-up time per script, long tasks).
import lighthouse, { desktopConfig } from 'lighthouse';
import puppeteer from 'puppeteer-core';

const [base, person, ...paths] = process.argv.slice(2);
if (!base || !person || paths.length === 0) {
  console.error('usage: node index.mjs BASE_URL "Display Name" PATH [PATH ...]');
  process.exit(2);
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  // The signed-in app keeps its live feed open, so the network is never idle: wait for
  // what the person sees instead.
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await page.locator('::-p-aria([name="Sign in"][role="button"])').click();
  await page.locator(`button ::-p-text(${person})`).click();
  await page.waitForFunction(() => location.pathname === '/' && !location.search);
  await page.locator(`header ::-p-text(${person})`).wait();
  for (const path of paths) {
    for (const [formFactor, config] of [
      ['mobile', undefined],
      ['desktop', desktopConfig],
    ]) {
      const flags = {
        logLevel: 'error',
        output: 'json',
        disableStorageReset: true,
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
      };
      const { lhr } = await lighthouse(`${base}${path}`, flags, config, page);
      if (process.env.LIGHTHOUSE_DETAILS) {
        for (const id of ['bootup-time', 'mainthread-work-breakdown', 'long-tasks']) {
          console.error(id, JSON.stringify((lhr.audits[id]?.details?.items ?? []).slice(0, 8)));
        }
      }
      const score = (name) => Math.round((lhr.categories[name]?.score ?? 0) * 100);
      const ms = (audit) => Math.round(lhr.audits[audit]?.numericValue ?? 0);
      console.log(
        JSON.stringify({
          bench: 'lighthouse',
          path,
          form_factor: formFactor,
          performance: score('performance'),
          accessibility: score('accessibility'),
          best_practices: score('best-practices'),
          fcp_ms: ms('first-contentful-paint'),
          lcp_ms: ms('largest-contentful-paint'),
          tbt_ms: ms('total-blocking-time'),
          cls: lhr.audits['cumulative-layout-shift']?.numericValue ?? null,
        }),
      );
    }
  }
} finally {
  await browser.close();
}
