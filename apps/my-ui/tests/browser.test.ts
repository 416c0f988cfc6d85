// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a person reads, which is what these tests check.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from './support/chromium.ts';
import { type RegistryStandIn, startRegistryStandIn } from './support/registryStandIn.ts';
import { serveStatic } from './support/staticServer.ts';

const appRoot = resolve(import.meta.dirname, '..');

describe('my-ui in headless Chromium', () => {
  let registry: RegistryStandIn;
  let site: { url: string; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let outDir: string;
  let userDataDir: string;
  const pageErrors: Error[] = [];

  beforeAll(async () => {
    registry = await startRegistryStandIn();
    outDir = await mkdtemp(join(tmpdir(), 'my-ui-build-'));
    userDataDir = await mkdtemp(join(tmpdir(), 'my-ui-chromium-'));
    await build({ root: appRoot, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    site = await serveStatic(outDir);
    context = await chromium.launchPersistentContext(userDataDir, {
      ...(await findChromium()),
      headless: true,
      viewport: { width: 1100, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error));
  });

  afterAll(async () => {
    await context?.close();
    await site?.close();
    await registry?.close();
    for (const dir of [outDir, userDataDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  const open = (hash: string, registryUrl = registry.url) =>
    page.goto(`${site.url}?registry=${encodeURIComponent(registryUrl)}${hash}`);

  const mainText = () => page.locator('main').innerText();

  it('lists the registry’s packages grouped by scope, with versions and publish times', async () => {
    // Act
    await open('#/');
    await page.getByRole('heading', { level: 1, name: 'Packages' }).waitFor();

    await mkdir(join(appRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(appRoot, 'test-results', 'my-ui-list.png'), fullPage: true });

    // Assess
    const text = await mainText();
    expect(text).toContain('Showing 1–3 of 3 packages');
    expect(await page.locator('.scope h2').allInnerTexts()).toEqual(['@demo', 'unscoped']);
    expect(text).toMatch(/@demo\/widgets\s+1\.1\.0\s+published 3d ago/);
    expect(text).toContain('Reusable widgets for demo pages');
    expect(await page.locator('header #registry').innerText()).toBe(registry.url);
    expect(await page.locator('.hit').first().locator('.keywords li').allInnerTexts()).toEqual([
      'ui',
      'widgets',
    ]);
  });

  it('searches through the registry’s search API', async () => {
    // Prepare
    await open('#/');
    await page.getByRole('heading', { level: 1, name: 'Packages' }).waitFor();

    // Act
    await page.getByRole('searchbox', { name: 'Search packages' }).fill('gadgets');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { level: 1, name: 'Packages matching “gadgets”' }).waitFor();

    // Assess
    expect(await page.locator('.hit-name').allInnerTexts()).toEqual(['@demo/gadgets']);
    expect(registry.requests).toContain('/-/v1/search?text=gadgets&from=0&size=20');
  });

  it('clicks through from the list to a package, its versions and its dist-tags', async () => {
    // Prepare
    await open('#/');

    // Act: the list, then the package
    await page.getByRole('link', { name: '@demo/widgets' }).click();
    await page.getByRole('heading', { level: 1, name: /@demo\/widgets/ }).waitFor();
    const overview = await mainText();

    // Act: the versions tab
    await page.getByRole('link', { name: 'Versions (3)' }).click();
    await page.getByRole('table').first().waitFor();
    const versions = await page.locator('table.versions').allInnerTexts();
    const screenshot = join(appRoot, 'test-results', 'my-ui-versions.png');
    await page.screenshot({ path: screenshot, fullPage: true });

    // Act: the dist-tags tab
    await page.getByRole('link', { name: 'Dist-tags (2)' }).click();
    await page.locator('table.tags').waitFor();
    const tags = await page.locator('table.tags tbody tr').allInnerTexts();

    // Assess
    expect(overview).toMatch(/@demo\/widgets\s*1\.1\.0/);
    expect(overview).toContain('Latest published 3d ago');
    expect(page.url()).toContain('#/package/%40demo%2Fwidgets/tags');
    expect(versions[0]).toMatch(/Releases \(2\)/);
    expect(versions[0]).toMatch(/1\.1\.0\s+3d ago\s+latest/);
    expect(versions[0]).toMatch(/1\.0\.0 deprecated\s+30d ago/);
    expect(versions[1]).toMatch(/Pre-releases \(1\)/);
    expect(versions[1]).toMatch(/2\.0\.0-beta\.1\s+2h ago\s+next/);
    expect(tags.map((row) => row.replace(/\s+/g, ' ').trim())).toEqual([
      'latest 1.1.0 3d ago',
      'next 2.0.0-beta.1 2h ago',
    ]);
    const png = await readFile(screenshot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(5_000);
    const iso = await page.locator('table.tags time').first().getAttribute('datetime');
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('shows the readme as text and never runs markup from it', async () => {
    // Act
    await open('#/package/%40demo%2Fwidgets');
    await page.locator('article.readme').waitFor();

    // Assess
    expect(await page.locator('article.readme h2').allInnerTexts()).toEqual(['@demo/widgets']);
    expect(await page.locator('article.readme h3').allInnerTexts()).toEqual(['Install']);
    expect(await page.locator('article.readme pre').innerText()).toBe('npm install @demo/widgets');
    expect(await page.locator('article.readme li').allInnerTexts()).toEqual(['small', 'fast']);
    expect(await page.locator('article.readme').innerText()).toContain(
      '<script>document.title = "owned"</script>',
    );
    expect(await page.title()).toBe('@demo/widgets · my-ui');
  });

  it('says so when a package does not exist', async () => {
    await open('#/package/no-such-package');
    await page.getByRole('heading', { level: 1, name: 'Package not found' }).waitFor();

    expect(await mainText()).toContain('This registry has no package named no-such-package.');
  });

  it('says so when the registry cannot be reached', async () => {
    // Prepare: the stand-in's address once it has stopped listening.
    const gone = await startRegistryStandIn();
    await gone.close();

    // Act
    await open('#/', gone.url);
    await page.getByRole('alert').waitFor();

    // Assess
    expect(await page.getByRole('alert').innerText()).toContain(
      `could not reach the registry at ${gone.url}`,
    );
    expect(pageErrors).toEqual([]);
  });
});
