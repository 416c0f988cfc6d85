import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noopLogger } from '@myorg/logger';
import type { HttpRequest } from '@myorg/middleware';
import { errorResponse } from '@myorg/response';
import { FileSystemStorage, listAll, MemoryStorage, type ObjectStorage } from '@myorg/storage';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { createLocalAuth, type LocalAuthOptions } from '../../src/auth/index.ts';
import { createLocalUser } from '../../src/auth/local/addUser.ts';
import type { AuthProvider } from '../../src/auth/types.ts';
import type { RegistryContext, Route } from '../../src/http/types.ts';
import { comparableBody } from '../support/comparableBody.ts';

export interface CallOptions {
  /** Sent as JSON; a string is sent as it is. */
  body?: unknown;
  authorization?: string;
  /** Shorthand for `authorization: Bearer <token>`. */
  token?: string;
  remoteAddress?: string;
  params?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON body; tests assert its shape. */
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are whatever the endpoint sent, checked by the assertions
  body: any;
}

export interface Harness {
  auth: AuthProvider;
  storage: ObjectStorage;
  /**
   * Calls the provider's route for `method` and `pattern` (the route's own path, e.g.
   * `/-/user/:user`) the way the registry core does: the principal comes from `authenticate`,
   * thrown errors become error responses.
   */
  call(method: Route['method'], pattern: string, options?: CallOptions): Promise<CallResult>;
  /** `PUT /-/user/org.couchdb.user:<name>` as npm's adduser sends it. */
  adduser(name: string, password: string, extra?: Record<string, unknown>): Promise<CallResult>;
  /** The same call as npm login sends it: the document without email or date. */
  login(name: string, password: string): Promise<CallResult>;
  /** Every stored object as key → UTF-8 text. */
  snapshot(): Promise<Map<string, string>>;
}

/**
 * scrypt's cost for the users tests create: ~3 ms a hash instead of ~110 ms at PASSWORD_HASH_COST,
 * which made up half the CPU of this project's tests. The tests about the production cost
 * (passwordHash, createLocalUser, the token check that must not hash) keep it.
 */
export const CHEAP_PASSWORD_HASH_COST = 2 ** 10;

/** A local user stored at CHEAP_PASSWORD_HASH_COST, for tests where the hashing cost is not the point. */
export function createTestUser(storage: ObjectStorage, user: Parameters<typeof createLocalUser>[1]) {
  return createLocalUser(storage, user, { passwordHashCost: CHEAP_PASSWORD_HASH_COST });
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export function createHarness(storage: ObjectStorage, options: Partial<LocalAuthOptions> = {}): Harness {
  const auth = createLocalAuth({
    storage,
    allowRegistration: true,
    passwordHashCost: CHEAP_PASSWORD_HASH_COST,
    ...options,
  });
  const routes = auth.routes();

  async function call(method: Route['method'], pattern: string, callOptions: CallOptions = {}) {
    const route = routes.find((candidate) => candidate.method === method && candidate.path === pattern);
    if (route === undefined) throw new Error(`no route ${method} ${pattern}`);
    const params = callOptions.params ?? {};
    const path = pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
    const authorization =
      callOptions.authorization ??
      (callOptions.token === undefined ? undefined : `Bearer ${callOptions.token}`);
    const req = request(method, path, callOptions.body, authorization, callOptions.remoteAddress);
    const ctx: RegistryContext = {
      requestId: 'test',
      logger: noopLogger,
      startedAt: performance.now(),
      state: {},
      principal: await auth.authenticate(authorization, callOptions.remoteAddress),
      baseUrl: 'http://127.0.0.1',
      path,
    };
    let response: Awaited<ReturnType<Route['handler']>>;
    try {
      response = await route.handler(req, ctx, params);
    } catch (error) {
      response = errorResponse(error);
    }
    const text = typeof response.body === 'string' ? response.body : '';
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
  }

  function putUser(name: string, fields: Record<string, unknown>) {
    return call('PUT', '/-/user/:user', {
      params: { user: `org.couchdb.user:${name}` },
      body: { _id: `org.couchdb.user:${name}`, name, type: 'user', roles: [], ...fields },
    });
  }

  return {
    auth,
    storage,
    call,
    adduser: (name, password, extra = {}) =>
      putUser(name, {
        password,
        email: `${name}@example.com`,
        date: new Date().toISOString(),
        ...extra,
      }),
    login: (name, password) => putUser(name, { password }),
    async snapshot() {
      const out = new Map<string, string>();
      for await (const info of listAll(storage)) {
        const stored = await storage.get(info.key);
        if (stored) out.set(info.key, comparableBody(info.key, stored.body).toString('utf8'));
      }
      return out;
    },
  };
}

function request(
  method: string,
  path: string,
  body: unknown,
  authorization: string | undefined,
  remoteAddress: string | undefined,
): HttpRequest {
  const bytes =
    body === undefined
      ? undefined
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  return {
    method,
    url: path,
    path,
    query: new URLSearchParams(),
    headers: {
      authorization,
      'content-type': bytes === undefined ? undefined : 'application/json',
      'content-length': bytes === undefined ? undefined : String(bytes.byteLength),
    },
    body:
      bytes === undefined
        ? undefined
        : (async function* () {
            yield bytes;
          })(),
    remoteAddress,
  };
}

type OpenStorage = () => Promise<{ storage: ObjectStorage; close: () => Promise<void> }>;

/** The storages every behaviour runs on: memory, and the filesystem in a fresh temp dir. */
export const storageKinds: Array<{ kind: string; open: OpenStorage }> = [
  { kind: 'memory', open: async () => ({ storage: new MemoryStorage(), close: async () => {} }) },
  {
    kind: 'filesystem',
    open: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'registry-auth-'));
      return { storage: new FileSystemStorage(dir), close: () => rm(dir, { recursive: true, force: true }) };
    },
  },
];

/**
 * Opens a fresh storage before each test of the calling `describe` and closes it after.
 * Returns the current test's storage; hooks the caller registers later run after the open.
 */
export function storagePerTest(open: OpenStorage): () => ObjectStorage {
  let opened: Awaited<ReturnType<OpenStorage>> | undefined;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  return () => {
    if (opened === undefined) throw new Error('storage is only open while a test runs');
    return opened.storage;
  };
}

/**
 * A user signed up once for the calling `describe`, as `adduser` leaves it in an empty storage:
 * its objects and its login token. Each test copies them into its fresh storage, which is the
 * state an `adduser` per test would leave, without a full-strength scrypt hash per test (the
 * password checks the tests make themselves still hash at full cost).
 */
export function signedUpOnce(
  name: string,
  password: string,
): { token(): string; copyInto(storage: ObjectStorage): Promise<void> } {
  const objects = new Map<string, Buffer>();
  let token: string | undefined;
  beforeAll(async () => {
    const template = new MemoryStorage();
    const response = await createHarness(template).adduser(name, password);
    if (response.status !== 201) throw new Error(`adduser ${name} answered ${response.status}`);
    token = response.body.token;
    for await (const info of listAll(template)) {
      const stored = await template.get(info.key);
      if (stored) objects.set(info.key, stored.body);
    }
  });
  return {
    token() {
      if (token === undefined) throw new Error(`${name} is signed up only once the tests run`);
      return token;
    },
    async copyInto(storage) {
      for (const [key, body] of objects) await storage.put(key, body);
    },
  };
}
