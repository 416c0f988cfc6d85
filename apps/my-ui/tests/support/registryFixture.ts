const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

/** A fixed little registry, with publish times relative to when the fixture is made. */
export function registryFixture(now = Date.now()) {
  const at = (ms: number) => new Date(now - ms).toISOString();
  const version = (name: string, v: string, extra: Record<string, unknown> = {}) => ({
    name,
    version: v,
    dist: { tarball: `http://registry.invalid/${name}/-/${v}.tgz`, shasum: '0'.repeat(40) },
    ...extra,
  });
  /** A package with one version, published `age` ago. */
  const single = (name: string, description: string, v: string, age: number) => ({
    name,
    description,
    'dist-tags': { latest: v },
    versions: { [v]: version(name, v) },
    time: { created: at(age), modified: at(age), [v]: at(age) },
  });
  const packuments: Record<string, Record<string, unknown>> = {
    '@demo/widgets': {
      name: '@demo/widgets',
      description: 'Reusable widgets for demo pages',
      'dist-tags': { latest: '1.1.0', next: '2.0.0-beta.1' },
      versions: {
        '1.0.0': version('@demo/widgets', '1.0.0', { deprecated: 'use 1.1.0' }),
        '1.1.0': version('@demo/widgets', '1.1.0'),
        '2.0.0-beta.1': version('@demo/widgets', '2.0.0-beta.1'),
      },
      time: {
        created: at(30 * DAY),
        modified: at(2 * HOUR),
        '1.0.0': at(30 * DAY),
        '1.1.0': at(3 * DAY + HOUR),
        '2.0.0-beta.1': at(2 * HOUR + 60_000),
      },
      readme: [
        '# @demo/widgets',
        '',
        'Widgets for **demo** pages.',
        '',
        '## Install',
        '',
        '```sh',
        'npm install @demo/widgets',
        '```',
        '',
        '- small',
        '- fast',
        '',
        '<script>document.title = "owned"</script>',
      ].join('\n'),
    },
    '@demo/gadgets': single('@demo/gadgets', 'Gadgets that go with the widgets', '0.3.0', 10 * DAY),
    'left-pad': single('left-pad', 'String padding', '1.3.0', 400 * DAY),
  };
  const keywords: Record<string, string[]> = {
    '@demo/widgets': ['ui', 'widgets', 'ui'],
    '@demo/gadgets': ['ui'],
    'left-pad': ['string'],
  };
  return { packuments, keywords };
}
