// The host app's browser test: start the mock BI host from dashembed.toml,
// start the app, open it in Chromium with playwright-core, and check that
// the dashboard received a guest token and shows this customer's numbers.
//
// Environment: DASHEMBED_DEV (the dashembed-dev binary; default the one on
// PATH), DASHEMBED_DIST (optional, a built SDK for -dist), CHROMIUM (default
// /usr/bin/chromium).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const procs = [];
let bi;
let appURL;
let browser;

// freePort asks the OS for a port nobody uses.
async function freePort() {
  const srv = net.createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  return port;
}

// start runs a program and resolves with the first stdout line matching re.
function start(cmd, args, env, re) {
  const p = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(p);
  let log = '';
  p.stderr.on('data', (d) => { log += d; });
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: p.stdout });
    rl.on('line', (line) => {
      log += line + '\n';
      const m = line.match(re);
      if (m) resolve(m);
    });
    p.on('error', (e) => reject(new Error(`${cmd}: ${e.message} (is it installed? see README.md)`)));
    p.on('exit', (code) => reject(new Error(`${cmd} exited with ${code} before it was ready:\n${log}`)));
  });
}

// customerTotal sums the CSV the dashboard reads, for one customer.
function customerTotal(customer) {
  const [header, ...rows] = readFileSync(new URL('../data/orders.csv', import.meta.url), 'utf8').trim().split('\n').map((l) => l.split(','));
  const c = header.indexOf('customer');
  const a = header.indexOf('amount');
  return rows.filter((r) => r[c] === customer).reduce((sum, r) => sum + Number(r[a]), 0);
}

before(async () => {
  const port = await freePort();
  appURL = `http://localhost:${port}`;
  const args = ['-config', 'dashembed.toml', '-bi-addr', '127.0.0.1:0', '-app-addr', '127.0.0.1:0',
    '-allow', appURL, '-ready-json', '-'];
  if (process.env.DASHEMBED_DIST) args.push('-dist', process.env.DASHEMBED_DIST);
  // With -ready-json -, stdout carries one JSON line once the host listens.
  const [line] = await start(process.env.DASHEMBED_DEV || 'dashembed-dev', args, {}, /^\{.*\}$/);
  bi = JSON.parse(line);
  const account = bi.accounts.find((a) => a.grant_guest_token);
  await start('node', ['app.js'], {
    PORT: String(port), BI_URL: bi.bi_url, DASHBOARD_UUID: bi.dashboards[0].uuid,
    BI_USERNAME: account.username, BI_PASSWORD: account.password,
  }, /app listening/);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
});

after(async () => {
  await browser?.close();
  for (const p of procs) p.kill('SIGTERM');
});

for (const customer of ['northwind', 'contoso']) {
  test(`the dashboard shows ${customer}'s orders`, async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${appURL}/?customer=${customer}`);
      await page.waitForFunction(() => document.body.dataset.embed, null, { timeout: 30000 });
      assert.equal(await page.evaluate(() => document.body.dataset.embed), 'ready');

      const frame = page.frames().find((f) => f.url().startsWith(`${bi.bi_url}/embedded/`));
      assert.ok(frame, 'no embedded dashboard frame');
      // The dashboard received a guest token limited to this customer.
      const token = await frame.waitForFunction(() => document.body.dataset.lastToken).then((h) => h.jsonValue());
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
      assert.deepEqual(claims.rls_rules, [{ clause: `customer = '${customer}'` }]);
      // And its big number is this customer's total.
      const total = frame.locator('#chart-1[data-status="ready"] .body');
      await total.waitFor({ timeout: 30000 });
      const shown = Number((await total.textContent()).replace(/[^0-9]/g, ''));
      assert.equal(shown, customerTotal(customer));
    } finally {
      await page.close();
    }
  });
}
