// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a person reads, which is what these tests check.
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The one Chromium finder of the workspace's browser tests; it lives with the sample UI, whose copy
// the consumers e2e runs outside the workspace.
import {
  type GitHubStandIn,
  startGitHubStandIn,
} from '../../../../libs/registry/tests/support/githubStandIn.ts';
import { findChromium } from '../../../my-ui/tests/support/chromium.ts';
import { writePackage } from './support/fixtures.ts';
import { createUser, request } from './support/httpClient.ts';
import { useNpmSession } from './support/npmSession.ts';
import type { StartOptions } from './support/registryServer.ts';

const USER = 'webui-author';
const PASSWORD = `${USER}-password-1`;

/** Every way a README has been seen to run script; none may work. */
const HOSTILE_README = `# Hostile

Looks harmless.

<script>window.__pwned = 'script'; document.title = 'pwned';</script>

<img src="x" onerror="window.__pwned = 'onerror'; document.title = 'pwned'; alert('onerror')">

<a href="javascript:window.__pwned='link';alert('link')" id="bad-link">click me</a>

[markdown link](javascript:alert('md'))

<svg onload="alert('svg')"><circle r="1"/></svg>

<iframe src="javascript:alert('frame')"></iframe>

<details open ontoggle="alert('toggle')"><summary>More</summary>Inside</details>
`;

// One browser and one context for the file: starting Chromium costs more than the tests, and the
// packaged Chromium runs as a single process, which a closed context can take down.
let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  browser = await chromium.launch({ ...(await findChromium()), headless: true });
  context = await browser.newContext();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe('the web UI in headless Chromium', { timeout: 180_000 }, () => {
  const session = useNpmSession({ label: 'webui', user: USER });
  let page: Page;
  const dialogs: string[] = [];
  const base = () => session.server.url.replace(/\/$/, '');

  beforeAll(async () => {
    const packages = [
      { name: 'webui-colors', description: 'Terminal colours', readme: '# Colors\n\nPaints **text**.\n' },
      { name: 'webui-hostile', description: 'A README that tries to run script', readme: HOSTILE_README },
      {
        name: 'webui-app',
        description: 'Uses colours',
        readme: '# App\n',
        dependencies: { 'webui-colors': '^1.0.0' },
      },
    ];
    for (const { readme, ...spec } of packages) {
      const dir = await writePackage(session.work, {
        ...spec,
        version: '1.0.0',
        files: { 'README.md': readme },
      });
      await session.client.npmOk(['publish'], { cwd: dir });
    }
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }, 120_000);

  it('finds a package by search and shows its README, versions and install commands', async () => {
    // Prepare
    await page.goto(`${base()}/`);

    // Act
    await page.getByRole('searchbox', { name: 'Search packages' }).fill('colors');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { level: 1, name: 'Packages matching “colors”' }).waitFor();
    await page.getByRole('link', { name: 'webui-colors' }).click();
    await page.getByRole('heading', { level: 1, name: 'webui-colors' }).waitFor();

    // Assess
    expect(await page.locator('.readme').innerText()).toContain('Paints text.');
    expect(await page.locator('.readme strong').innerText()).toBe('text');
    expect(await page.locator('table.versions').innerText()).toMatch(/1\.0\.0\s+\d{4}-\d{2}-\d{2}/);
    expect(await page.locator('.install').innerText()).toContain('npm install webui-colors');
    expect(await page.locator('.install').innerText()).toContain('pnpm add webui-colors');
    expect(await page.locator('ul.dependents').innerText()).toContain('webui-app');
  });

  it('renders a hostile README inert: no script runs, no dialog opens, no javascript: link survives', async () => {
    // Act
    await page.goto(`${base()}/package/webui-hostile`);
    await page.getByRole('heading', { level: 1, name: 'webui-hostile' }).waitFor();
    await page.locator('#bad-link, .readme a', { hasText: 'click me' }).first().click();
    await page.locator('.readme details summary').click();
    await page.waitForTimeout(300);

    // Assess
    expect(await page.locator('.readme').innerText()).toContain('Looks harmless.');
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.title()).toBe('webui-hostile · myorg registry');
    expect(dialogs).toEqual([]);
    const readme = await page.locator('.readme').innerHTML();
    expect(readme).not.toMatch(/<script|<svg|<iframe|onerror|onload|ontoggle|javascript:/i);
  });

  it('signs in with the provider’s login, lists the user’s packages and tokens, and revokes one', async () => {
    // Prepare: a second token of the same user, as another `npm login` would leave.
    const spare = await createUser(session.server, USER, PASSWORD);

    // Act: sign in through the page
    await page.goto(`${base()}/-/ui/signin`);
    await page.getByLabel('User name').fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: USER }).waitFor();

    // Assess: the session is an HttpOnly, SameSite=Strict cookie, and the page lists what is the user's
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === 'registry_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(await page.locator('ul.packages').innerText()).toMatch(
      /webui-app[\s\S]*webui-colors[\s\S]*webui-hostile/,
    );
    const rows = page.locator('table.tokens tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await page.locator('header nav').innerText()).toContain(`Signed in as ${USER}`);

    // Act: revoke the spare token (the newest one that is not this browser's)
    const spareRow = rows.filter({ hasText: spare.slice(0, 12) });
    await spareRow.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Token revoked.').waitFor();

    // Assess
    expect(await rows.count()).toBe(2);
    expect((await request(session.server, '/-/whoami', { token: spare })).status).toBe(401);
    expect((await request(session.server, '/-/whoami', { token: session.token })).status).toBe(200);
  });
});

describe('the web UI signing in with GitHub (npm’s web login)', { timeout: 120_000 }, () => {
  let github: GitHubStandIn;
  // Filled in before the session's own hook starts the server: it needs the stand-in's URLs.
  const server: StartOptions = { access: 'default' };

  beforeAll(async () => {
    github = await startGitHubStandIn();
    github.addUser('alice', { email: 'alice@example.test' });
    github.setOrgMember('myorg', 'alice', 'active');
    github.browserUser = 'alice';
    server.env = github.env(['myorg']);
  });
  afterAll(() => github?.close());

  const session = useNpmSession({ label: 'webui-github', server });

  it('opens GitHub in a new window, and the page signs in once GitHub sends the user back', async () => {
    // Prepare: reads are private here, so the search page first sends the visitor to sign in.
    // Cookies are not kept apart by port: drop the other registry's session.
    await context.clearCookies();
    const page = await context.newPage();
    const base = session.server.url.replace(/\/$/, '');
    await page.goto(`${base}/?q=anything`);
    expect(new URL(page.url()).pathname).toBe('/-/ui/signin');

    // Act
    const popup = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Sign in with github' }).click();
    const github = await popup;
    await github.waitForLoadState();
    await page.getByRole('heading', { level: 1, name: 'Packages matching “anything”' }).waitFor();

    // Assess
    expect(await github.locator('body').innerText()).toContain('Signed in to the registry as alice');
    expect(await page.locator('header nav').innerText()).toContain('Signed in as alice');
    await page.goto(`${base}/-/ui/account`);
    expect(await page.locator('table.tokens tbody tr').count()).toBe(1);
  });
});
