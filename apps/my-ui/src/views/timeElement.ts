import { h } from '../dom.ts';
import { displayTime } from '../relativeTime.ts';

/** `3d ago`, with the exact ISO time as a tooltip and in `datetime`; a dash when unknown. */
export function timeElement(date: Date | undefined): HTMLElement {
  if (date === undefined) return h('span', { class: 'muted' }, '–');
  const { relative, iso } = displayTime(date);
  return h('time', { datetime: iso, title: iso }, relative);
}
