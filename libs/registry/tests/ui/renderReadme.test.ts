import { describe, expect, it } from 'vitest';
import { renderReadme } from '../../src/ui/renderReadme.ts';

const render = (markdown: string) => renderReadme(markdown).markup;

describe('renderReadme', () => {
  it('renders Markdown: headings, emphasis, code, tables and links', () => {
    // Act
    const markup = render(
      '# Title\n\nSome *text* and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[docs](https://docs.test/x)\n\n```js\nlet x;\n```',
    );

    // Assess
    for (const element of [
      '<h1>Title</h1>',
      '<em>text</em>',
      '<code>code</code>',
      '<td>1</td>',
      '<a href="https://docs.test/x" rel="nofollow noopener noreferrer" target="_blank">docs</a>',
      '<code class="language-js">',
    ]) {
      expect(markup).toContain(element);
    }
  });

  it('drops scripts, styles, frames, forms and their content', () => {
    // Act
    const markup = render(
      'a<script>window.__pwned = 1</script>b<style>body{display:none}</style><iframe src="https://evil.test"></iframe><form action="https://evil.test"><input name="x"></form><object data="x"></object><svg onload="alert(1)"></svg>',
    );

    // Assess
    expect(markup).not.toMatch(/<script|<style|<iframe|<form|<input|<object|<svg|__pwned|display:none/i);
  });

  it('drops event handlers and inline styles', () => {
    // Act
    const markup = render(
      '<img src="https://img.test/a.png" onerror="alert(1)" style="position:fixed"><p onclick="alert(2)" onmouseover="x()">hi</p><a href="https://ok.test" onfocus="y()">ok</a>',
    );

    // Assess
    expect(markup).not.toMatch(/onerror|onclick|onmouseover|onfocus|style=|alert/);
    expect(markup).toContain('<img src="https://img.test/a.png" />');
    expect(markup).toContain('<p>hi</p>');
  });

  it('drops javascript:, data: and vbscript: URLs, however they are spelt', () => {
    // Act
    const markup = render(
      [
        '[md](javascript:alert(1))',
        '<a href="javascript:alert(2)">a</a>',
        '<a href="JaVaScRiPt:alert(3)">b</a>',
        '<a href="jav&#x09;ascript:alert(4)">c</a>',
        '<a href="  javascript:alert(5)">d</a>',
        '<a href="data:text/html,<script>alert(6)</script>">e</a>',
        '<a href="vbscript:msgbox(7)">f</a>',
        '<img src="data:image/svg+xml,<svg onload=alert(8)>">',
        '<a href="//evil.test/x">g</a>',
      ].join('\n\n'),
    );

    // Assess
    expect(markup).not.toMatch(/javascript|vbscript|data:|alert|evil\.test/i);
    expect(markup).toContain('>a</a>');
  });

  it('keeps mailto links and relative anchors', () => {
    // Act
    const markup = render('[mail](mailto:team@acme.test) [usage](#usage)');

    // Assess
    expect(markup).toContain('href="mailto:team@acme.test"');
    expect(markup).toContain('href="#usage"');
  });
});
