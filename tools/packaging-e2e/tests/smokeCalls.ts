/**
 * One call per published library, written as JavaScript over the imported module `m`, with the value
 * it must produce. The same call runs under `import` and under `require`, so both builds are proven.
 */
export const smokeCalls: Record<string, { call: string; expected: unknown }> = {
  '@myorg/array': { call: 'm.chunk([1, 2, 3, 4, 5], 2)', expected: [[1, 2], [3, 4], [5]] },
  '@myorg/constants': { call: 'm.NpmMediaType.ABBREVIATED', expected: 'application/vnd.npm.install-v1+json' },
  '@myorg/database': {
    call: `(async () => {
      const { MemoryStorage } = await import('@myorg/storage');
      const store = new m.DocumentStore(new MemoryStorage());
      await store.create('pkg', { n: 1 });
      const updated = await store.update('pkg', (current) => ({ n: current.value.n + 1 }));
      return updated.value;
    })()`,
    expected: { n: 2 },
  },
  '@myorg/date': { call: 'm.parseDuration("1h30m")', expected: 5_400_000 },
  '@myorg/error': {
    call: 'm.toClientBody(new m.NotFoundError("no such package"))',
    expected: { error: 'no such package', code: 'E404' },
  },
  '@myorg/libraries': {
    call: 'm.array.uniq([1, 1, 2]).concat(m.validation.isValidVersion("1.0.0") ? [3] : [])',
    expected: [1, 2, 3],
  },
  '@myorg/logger': {
    call: `(() => {
      const sink = m.memorySink();
      m.createLogger({ sink }).info('hello', { authorization: 'Bearer secret' });
      return [sink.records[0].msg, sink.records[0].authorization];
    })()`,
    expected: ['hello', '[REDACTED]'],
  },
  '@myorg/middleware': {
    call: `(async () => {
      const { createLogger, memorySink } = await import('@myorg/logger');
      const handler = m.compose(m.errorMapping())(async () => { throw new Error('hidden'); });
      const res = await handler(
        { method: 'GET', url: '/', path: '/', query: new URLSearchParams(), headers: {}, body: undefined },
        { requestId: 'r1', logger: createLogger({ sink: memorySink() }), startedAt: Date.now(), state: {} },
      );
      return res.status;
    })()`,
    expected: 500,
  },
  '@myorg/registry': {
    call: `(async () => {
      const { MemoryStorage } = await import('@myorg/storage');
      const { createLogger, memorySink } = await import('@myorg/logger');
      const storage = new MemoryStorage();
      const handler = m.createRegistry({ storage, auth: m.createLocalAuth({ storage, allowRegistration: true }) });
      const res = await handler(
        { method: 'GET', url: '/-/ping', path: '/-/ping', query: new URLSearchParams(), headers: { host: 'localhost' }, body: undefined },
        { requestId: 'r1', logger: createLogger({ sink: memorySink() }), startedAt: Date.now(), state: {} },
      );
      return res.status;
    })()`,
    expected: 200,
  },
  '@myorg/response': { call: 'm.negotiateEncoding("gzip, br;q=0")', expected: 'gzip' },
  '@myorg/services': {
    call: 'typeof new m.RegistryClient({ registry: "http://127.0.0.1:9/" }).getPackument',
    expected: 'function',
  },
  '@myorg/storage': {
    call: `(async () => {
      const storage = new m.MemoryStorage();
      await storage.put('a/b.json', '{"ok":true}');
      return (await storage.get('a/b.json')).body.toString();
    })()`,
    expected: '{"ok":true}',
  },
  '@myorg/utilities': { call: 'm.substituteEnv("${A}-${B:-two}", { A: "one" }).value', expected: 'one-two' },
  '@myorg/validation': {
    call: 'm.validatePackageName("@myorg/ok").valid && !m.validatePackageName("Bad Name").valid',
    expected: true,
  },
};
