import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trusted } from '../../src/ui/html.ts';
import { packageView } from '../../src/ui/packageView.ts';
import { layout, type PageFrame, packagePage, searchPage } from '../../src/ui/pages.ts';

const HOSTILE = `"><script>alert(1)</script><img src=x onerror=alert(2)>'\``;
const frame: PageFrame = {
  baseUrl: 'http://reg.test',
  viewer: undefined,
  style: 'ui.a.css',
  script: 'ui.b.js',
};

describe('html templates', () => {
  it('escape every interpolated text, in content and in attributes', () => {
    // Act
    const markup = html`<p title="${HOSTILE}">${HOSTILE}</p>`.markup;

    // Assess
    expect(markup).toBe(`<p title="${escapeHtml(HOSTILE)}">${escapeHtml(HOSTILE)}</p>`);
    expect(markup).not.toMatch(/<script|<img|"><|'/);
  });

  it('escape inside lists, and leave out nothing-values', () => {
    // Act
    const markup =
      html`<ul>${(['<b>', 1, undefined, null, false] as const).map((item) => html`<li>${item}</li>`)}</ul>`
        .markup;

    // Assess
    expect(markup).toBe('<ul><li>&lt;b&gt;</li><li>1</li><li></li><li></li><li></li></ul>');
  });

  it('pass markup that is Html as it is', () => {
    // Act
    const markup = html`<div>${trusted('<em>ok</em>')}${html`<i>${'<x>'}</i>`}</div>`.markup;

    // Assess
    expect(markup).toBe('<div><em>ok</em><i>&lt;x&gt;</i></div>');
  });

  it('escape the search text, the viewer and package fields on the pages', () => {
    // Prepare
    const search = searchPage({ ...frame, query: HOSTILE }, HOSTILE, 0, 20, {
      total: 1,
      time: '',
      objects: [
        {
          package: {
            name: 'demo',
            version: '1.0.0',
            description: HOSTILE,
            keywords: [HOSTILE],
            date: '2024-01-01T00:00:00.000Z',
            links: {},
            publisher: undefined,
            maintainers: [],
          },
          score: { final: 1, detail: { quality: 1, popularity: 1, maintenance: 1 } },
          searchScore: 1,
        },
      ],
    });
    const view = packageView({
      _id: 'demo',
      _rev: '1-a',
      name: 'demo',
      'dist-tags': { latest: '1.0.0', [HOSTILE]: '1.0.0' },
      versions: {
        '1.0.0': {
          name: 'demo',
          version: '1.0.0',
          description: HOSTILE,
          deprecated: HOSTILE,
          license: HOSTILE,
          homepage: 'javascript:alert(1)',
          repository: { url: 'git+https://git.test/demo.git' },
          dependencies: { [HOSTILE]: HOSTILE },
          dist: { tarball: '', shasum: '', integrity: '' },
        },
      },
      time: { modified: '2024-01-01T00:00:00.000Z', created: '', '1.0.0': '2024-01-01T00:00:00.000Z' },
      maintainers: [{ name: HOSTILE }],
    });

    // Act
    const pages = [
      layout({ ...frame, viewer: HOSTILE, query: HOSTILE }, HOSTILE, search).markup,
      packagePage(frame, {
        view,
        readme: undefined,
        dependents: [HOSTILE],
        local: new Set(),
        tarballBytes: 10,
      }).markup,
    ];

    // Assess
    for (const markup of pages) {
      expect(markup).not.toContain('<script>alert');
      expect(markup).not.toContain('<img src=x');
      expect(markup).not.toContain('javascript:');
      expect(markup).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    expect(pages[1]).toContain('href="https://git.test/demo"');
  });
});
