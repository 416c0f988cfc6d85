export type ReadmeBlock =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'paragraph'; text: string };

/**
 * The block structure of a Markdown readme: headings, fenced code, bullet lists and paragraphs.
 * Inline markup stays as written. The result is rendered as text nodes, never as HTML, so a
 * readme cannot inject markup into the page.
 */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  let list: string[] | undefined;
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    paragraph = [];
    list = undefined;
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const fence = /^\s*(```|~~~)/.exec(line);
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    const item = /^\s*[-*+]\s+(.*)$/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      while (++index < lines.length && !(lines[index] as string).trimStart().startsWith(fence[1] as string)) {
        code.push(lines[index] as string);
      }
      blocks.push({ kind: 'code', text: code.join('\n') });
    } else if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: (heading[1] as string).length, text: heading[2] as string });
    } else if (item) {
      if (list === undefined) {
        flush();
        list = [];
        blocks.push({ kind: 'list', items: list });
      }
      list.push(item[1] as string);
    } else if (line.trim() === '') {
      flush();
    } else {
      if (list !== undefined) list = undefined;
      paragraph.push(line.trim());
    }
  }
  flush();
  return blocks;
}
