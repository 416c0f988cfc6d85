import { expect } from 'vitest';
import type { HttpResult } from './httpClient.ts';

/**
 * The registry's error contract: the status, a JSON body whose `error` npm prints (other fields,
 * such as a machine-readable `code`, may come along), and never a stack trace.
 */
export function expectJsonError(result: HttpResult, status: number): void {
  expect(result.status, result.text).toBe(status);
  expect(result.headers['content-type']).toMatch(/^application\/json/);
  expect(result.json).toMatchObject({ error: expect.stringMatching(/\S/) });
  expect(result.json).not.toHaveProperty('stack');
  // Stack frames look like "at fn (file:line:col)": none may reach a client.
  expect(result.text).not.toMatch(/\bat .+:\d+:\d+/);
}
