import { MemoryStorage } from '@myorg/storage';
import { describe, expect, it } from 'vitest';
import {
  addHook,
  hookMatches,
  readHooks,
  removeHook,
  type Webhook,
} from '../../src/events/webhooks/hooks.ts';
import { signWebhook, verifyWebhook } from '../../src/events/webhooks/signWebhook.ts';

describe('signWebhook', () => {
  it('signs the body with HMAC-SHA256 of the secret, as GitHub-style receivers verify it', () => {
    // Act
    const signature = signWebhook('{"action":"publish"}', "It's a Secret to Everybody");

    // Assess: the same digest as `openssl dgst -sha256 -hmac <secret>` of the body.
    expect(signature).toBe('sha256=28c2d86d28030a9ef614f8d58b05590d40383dca6ed870fc622758fd5f19c0c1');
  });

  it('verifies only the exact body under the exact secret', () => {
    // Prepare
    const body = '{"action":"publish","package":"a"}';
    const signature = signWebhook(body, 'secret');

    // Act, Assess
    expect(verifyWebhook(body, 'secret', signature)).toBe(true);
    expect(verifyWebhook(`${body} `, 'secret', signature)).toBe(false);
    expect(verifyWebhook(body, 'other', signature)).toBe(false);
    expect(verifyWebhook(body, 'secret', 'sha256=00')).toBe(false);
    expect(verifyWebhook(body, 'secret', undefined)).toBe(false);
  });
});

describe('hooks', () => {
  const hook = (target: string): Webhook => ({ id: 'x', target, url: 'http://h', secret: 's', created: '' });

  it('match every package, a scope, or one name', () => {
    expect(hookMatches(hook('*'), 'a')).toBe(true);
    expect(hookMatches(hook('@myorg'), '@myorg/a')).toBe(true);
    expect(hookMatches(hook('@myorg'), '@myorgx/a')).toBe(false);
    expect(hookMatches(hook('a'), 'a')).toBe(true);
    expect(hookMatches(hook('a'), 'ab')).toBe(false);
    expect(hookMatches(hook('*'), undefined)).toBe(false);
  });

  it('are added and removed in storage, refusing a bad target or URL', async () => {
    // Prepare
    const storage = new MemoryStorage();

    // Act
    const added = await addHook(
      storage,
      { target: '@myorg', url: 'https://ci.example/hook', secret: 's' },
      new Date(),
    );
    const badTarget = addHook(
      storage,
      { target: 'Not A Name', url: 'https://ci.example', secret: 's' },
      new Date(),
    );
    const badUrl = addHook(storage, { target: '*', url: 'file:///etc/passwd', secret: 's' }, new Date());
    const listed = await readHooks(storage);
    await removeHook(storage, added.id);

    // Assess
    await expect(badTarget).rejects.toMatchObject({ status: 400 });
    await expect(badUrl).rejects.toMatchObject({ status: 400 });
    expect(listed.hooks).toEqual([added]);
    expect((await readHooks(storage)).hooks).toEqual([]);
    await expect(removeHook(storage, added.id)).rejects.toMatchObject({ status: 404 });
  });
});
