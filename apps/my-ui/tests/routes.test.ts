import { describe, expect, it } from 'vitest';
import { listHref, PACKAGE_TABS, packageHref, parseRoute } from '../src/routes.ts';

describe('routes', () => {
  it('reads the list page with its query and offset', () => {
    expect(parseRoute('')).toEqual({ page: 'list', query: '', from: 0 });
    expect(parseRoute('#/?q=widgets&from=20')).toEqual({ page: 'list', query: 'widgets', from: 20 });
    expect(parseRoute('#/?from=-5')).toEqual({ page: 'list', query: '', from: 0 });
  });

  it('round-trips every link it makes', () => {
    for (const tab of PACKAGE_TABS) {
      expect(parseRoute(packageHref('@demo/widgets', tab))).toEqual({
        page: 'package',
        name: '@demo/widgets',
        tab,
      });
    }
    expect(parseRoute(listHref('ui widgets', 40))).toEqual({ page: 'list', query: 'ui widgets', from: 40 });
    expect(listHref()).toBe('#/');
    expect(packageHref('left-pad')).toBe('#/package/left-pad');
  });

  it('treats unknown pages, tabs and broken escapes as missing', () => {
    expect(parseRoute('#/settings').page).toBe('missing');
    expect(parseRoute('#/package/left-pad/secrets').page).toBe('missing');
    expect(parseRoute('#/package/%E0%A4%A')).toEqual({ page: 'missing', hash: '#/package/%E0%A4%A' });
  });
});
