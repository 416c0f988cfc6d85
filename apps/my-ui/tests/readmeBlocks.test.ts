import { describe, expect, it } from 'vitest';
import { readmeBlocks } from '../src/readmeBlocks.ts';

describe('readmeBlocks', () => {
  it('splits a readme into headings, paragraphs, lists and code', () => {
    // Prepare
    const markdown = [
      '# Title #',
      'First line',
      'continues here.',
      '',
      '* one',
      '- two',
      'After the list.',
      '~~~js',
      'const x = 1;',
      '',
      '# not a heading',
      '~~~',
      '###### Deep',
    ].join('\r\n');

    // Act
    const blocks = readmeBlocks(markdown);

    // Assess
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Title' },
      { kind: 'paragraph', text: 'First line continues here.' },
      { kind: 'list', items: ['one', 'two'] },
      { kind: 'paragraph', text: 'After the list.' },
      { kind: 'code', text: 'const x = 1;\n\n# not a heading' },
      { kind: 'heading', level: 6, text: 'Deep' },
    ]);
  });

  it('keeps HTML as plain text for the page to show, not to run', () => {
    expect(readmeBlocks('<img src=x onerror=alert(1)>')).toEqual([
      { kind: 'paragraph', text: '<img src=x onerror=alert(1)>' },
    ]);
  });

  it('closes a code fence left open at the end', () => {
    expect(readmeBlocks('```\nunterminated')).toEqual([{ kind: 'code', text: 'unterminated' }]);
    expect(readmeBlocks('')).toEqual([]);
  });
});
