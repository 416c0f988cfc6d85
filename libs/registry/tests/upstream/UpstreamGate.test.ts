import { BadGatewayError, BadRequestError } from '@myorg/error';
import { RegistryError } from '@myorg/services';
import { describe, expect, it } from 'vitest';
import { UpstreamGate, type UpstreamGateOptions } from '../../src/upstream/UpstreamGate.ts';

function gate(options: Partial<UpstreamGateOptions> = {}): UpstreamGate {
  return new UpstreamGate({
    maxConcurrent: 2,
    queueTimeoutMs: 1000,
    failuresBeforeDown: 2,
    downForMs: 10_000,
    ...options,
  });
}

/** A task that stays in flight until `finish` is called. */
function deferred<T>(value: T) {
  let finish: () => void = () => undefined;
  const done = new Promise<T>((resolve) => {
    finish = () => resolve(value);
  });
  return { task: () => done, finish };
}

const refused = () => Promise.reject(new BadGatewayError('unreachable', { code: 'ECONNREFUSED' }));

/** Marks the gate down: as many refused connections in a row as `gate()` allows (failuresBeforeDown: 2). */
async function markDown(subject: UpstreamGate): Promise<void> {
  await subject.run(refused).catch(() => undefined);
  await subject.run(refused).catch(() => undefined);
}

describe('UpstreamGate', () => {
  it('runs at most maxConcurrent tasks at once and starts the next as one finishes', async () => {
    // Prepare
    const subject = gate();
    const first = deferred('a');
    const second = deferred('b');
    let thirdStarted = false;

    // Act
    const running = [subject.run(first.task), subject.run(second.task)];
    const third = subject.run(async () => {
      thirdStarted = true;
      return 'c';
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const startedEarly = thirdStarted;
    first.finish();
    second.finish();

    // Assess
    expect(startedEarly).toBe(false);
    expect(await Promise.all([...running, third])).toEqual(['a', 'b', 'c']);
  });

  it('fails a task that waited longer than the queue timeout for a slot', async () => {
    // Prepare
    const subject = gate({ maxConcurrent: 1, queueTimeoutMs: 50 });
    const busy = deferred('done');
    const running = subject.run(busy.task);

    // Act
    const failure = await subject.run(async () => 'never').catch((error: unknown) => error);
    busy.finish();

    // Assess
    expect(failure).toMatchObject({ status: 503, code: 'EUPSTREAMBUSY' });
    expect(await running).toBe('done');
    expect(await subject.run(async () => 'free again')).toBe('free again');
  });

  it('marks the upstream down after consecutive failures and refuses waiting tasks at once', async () => {
    // Prepare
    let now = 0;
    const subject = gate({ maxConcurrent: 1, now: () => now });
    await subject.run(refused).catch(() => undefined);
    const busy = deferred(undefined);
    const slot = subject.run(async () => {
      await busy.task();
      throw new BadGatewayError('unreachable', { code: 'ECONNRESET' });
    });
    const waiting = subject.run(async () => 'queued').catch((error: unknown) => error);

    // Act
    busy.finish();
    await slot.catch(() => undefined);

    // Assess
    expect(subject.isDown).toBe(true);
    expect(await waiting).toMatchObject({
      status: 503,
      code: 'EUPSTREAMDOWN',
      headers: { 'retry-after': '10' },
    });
    now += 9_500;
    expect(await subject.run(async () => 'x').catch((error: unknown) => error)).toMatchObject({
      code: 'EUPSTREAMDOWN',
      headers: { 'retry-after': '1' },
    });
  });

  it('lets one probe through after the down period; its success closes the breaker', async () => {
    // Prepare
    let now = 0;
    const subject = gate({ now: () => now });
    await markDown(subject);
    now = 10_000;
    const probe = deferred('probe');

    // Act
    const probing = subject.run(probe.task);
    const meanwhile = await subject.run(async () => 'other').catch((error: unknown) => error);
    probe.finish();

    // Assess
    expect(meanwhile).toMatchObject({ code: 'EUPSTREAMDOWN' });
    expect(await probing).toBe('probe');
    expect(subject.isDown).toBe(false);
    expect(await subject.run(async () => 'open')).toBe('open');
  });

  it('reports its breaker for health checks: open with the last failure while down, closed after a success', async () => {
    // Prepare
    let now = 5_000;
    const subject = gate({ now: () => now });

    // Act
    const fresh = subject.state;
    await markDown(subject);
    const down = subject.state;
    now += 10_000;
    await subject.run(async () => 'probe');
    const recovered = subject.state;

    // Assess
    expect(fresh).toEqual({ breaker: 'closed', consecutiveFailures: 0 });
    expect(down).toEqual({
      breaker: 'open',
      consecutiveFailures: 2,
      lastFailure: { at: 5_000, reason: 'ECONNREFUSED' },
    });
    expect(recovered).toEqual({
      breaker: 'closed',
      consecutiveFailures: 0,
      lastFailure: { at: 5_000, reason: 'ECONNREFUSED' },
    });
  });

  it('marks the upstream down again at once when the probe fails', async () => {
    // Prepare
    let now = 0;
    const subject = gate({ now: () => now });
    await markDown(subject);
    now = 10_000;

    // Act
    await subject.run(refused).catch(() => undefined);

    // Assess
    expect(subject.isDown).toBe(true);
  });

  it('frees the probe when it could not get a slot', async () => {
    // Prepare
    let now = 0;
    const subject = gate({ maxConcurrent: 1, queueTimeoutMs: 20, now: () => now });
    const busy = deferred('busy');
    const holding = subject.run(busy.task);
    await markDown(subject);
    now = 10_000;

    // Act
    const probe = await subject.run(async () => 'probe').catch((error: unknown) => error);
    busy.finish();
    await holding;

    // Assess: the probe timed out in the queue; the next request may probe instead.
    expect(probe).toMatchObject({ code: 'EUPSTREAMBUSY' });
    expect(await subject.run(async () => 'second probe')).toBe('second probe');
  });

  it('counts only unavailability: 5xx and 429 do, a 404 or a bad request does not', async () => {
    // Prepare
    const subject = gate();
    const answered = (status: number) => () =>
      Promise.reject(new RegistryError(`HTTP ${status}`, { status, method: 'GET', url: 'http://u.test/x' }));

    // Act
    await subject.run(answered(404)).catch(() => undefined);
    await subject.run(() => Promise.reject(new BadRequestError('no'))).catch(() => undefined);
    await subject.run(() => Promise.reject(new Error('bug'))).catch(() => undefined);
    const stillUp = !subject.isDown;
    await subject.run(answered(429)).catch(() => undefined);
    await subject.run(answered(502)).catch(() => undefined);

    // Assess
    expect(stillUp).toBe(true);
    expect(subject.isDown).toBe(true);
  });
});
