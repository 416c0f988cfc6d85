import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { type Html, trusted } from './html.ts';

// Anyone who can publish writes a README, and every reader's browser renders it: only this list
// survives. No scripts, styles, frames, forms or event handlers; links and images only by http(s)
// (and mailto for links), so `javascript:` and `data:` URLs are dropped with their attribute.
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'kbd',
    'samp',
    'em',
    'strong',
    'b',
    'i',
    's',
    'del',
    'ins',
    'sub',
    'sup',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'details',
    'summary',
  ],
  allowedAttributes: {
    // `rel` and `target` come from the transform below.
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
    code: ['class'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // A link out of a README leaves the registry without telling where from, and gets no handle on it.
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer', target: '_blank' }),
  },
};
const markdown = new Marked({ gfm: true, async: false });

/** A README (Markdown, which may hold raw HTML) as markup that runs nothing in the reader's browser. */
export function renderReadme(readme: string): Html {
  return trusted(sanitizeHtml(markdown.parse(readme, { async: false }), SANITIZE));
}
