/**
 * HTML built by templates: a value of this class is markup; anything else interpolated into `html`
 * is text and is escaped. Templates therefore escape by default, and only `trusted` (markup this
 * code wrote, or the sanitiser's output) opts out.
 */
export class Html {
  readonly markup: string;

  constructor(markup: string) {
    this.markup = markup;
  }

  toString(): string {
    return this.markup;
  }
}

/** What a template may interpolate: text, numbers, markup, and lists of those; nothing renders as nothing. */
export type Interpolation = Html | string | number | undefined | null | false | readonly Interpolation[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => ESCAPES[character] ?? character);
}

function render(value: Interpolation): string {
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** The template tag: `html\`<p>${text}</p>\`` escapes `text` unless it is already `Html`. */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): Html {
  let markup = strings[0] ?? '';
  for (let index = 0; index < values.length; index += 1) {
    markup += render(values[index]) + (strings[index + 1] ?? '');
  }
  return new Html(markup);
}

/** Markup that is already safe: the sanitiser's output, or a fixed string of this code. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
