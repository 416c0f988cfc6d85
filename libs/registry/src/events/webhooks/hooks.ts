import { randomBytes } from 'node:crypto';
import { BadRequestError, NotFoundError } from '@myorg/error';
import { isStorageError, listAll, type ObjectStorage, StorageError } from '@myorg/storage';
import { safeJsonParse } from '@myorg/utilities';
import { validatePackageName, z } from '@myorg/validation';
import { EventMessages } from '../messages.ts';
import type { RegistryAction } from '../RegistryEvents.ts';

/**
 * `webhooks/hooks.json`: every hook, in one document written with `ifMatch`, so `myorg-admin hooks`
 * on several machines never loses a change; `webhooks/deliveries/<hook id>/<time>-<random>.json`:
 * the latest deliveries of each hook (`KEPT_DELIVERIES`), for `hooks ls`.
 */
export const WEBHOOKS_PREFIX = 'webhooks/';
const HOOKS_KEY = `${WEBHOOKS_PREFIX}hooks.json`;
const DELIVERIES_PREFIX = `${WEBHOOKS_PREFIX}deliveries/`;
/** Deliveries kept per hook; older records are removed as new ones are written. */
export const KEPT_DELIVERIES = 20;

/** The actions a hook is told of: changes of what a package offers. */
export const HOOKED_ACTIONS: readonly RegistryAction[] = ['publish', 'unpublish', 'deprecate', 'dist-tag'];

const hookSchema = z.object({
  id: z.string(),
  /** `*` (every package), `@scope` (its packages) or one package name. */
  target: z.string(),
  url: z.string(),
  secret: z.string(),
  created: z.string(),
});
const hooksSchema = z.object({ hooks: z.array(hookSchema) });

export type Webhook = z.infer<typeof hookSchema>;

export interface DeliveryRecord {
  hook: string;
  time: string;
  action: RegistryAction;
  package?: string;
  version?: string;
  outcome: 'delivered' | 'failed';
  attempts: number;
  /** The receiver's last HTTP status, or why no answer came (`timeout`, `ECONNREFUSED`). */
  result: string;
}

export function hookMatches(hook: Webhook, name: string | undefined): boolean {
  if (name === undefined) return false;
  if (hook.target === '*') return true;
  return hook.target.startsWith('@') && !hook.target.includes('/')
    ? name.startsWith(`${hook.target}/`)
    : name === hook.target;
}

/** The hooks and the etag to change them with; none stored yet: an empty list. */
export async function readHooks(storage: ObjectStorage): Promise<{ hooks: Webhook[]; etag?: string }> {
  const stored = await storage.get(HOOKS_KEY);
  if (stored === undefined) return { hooks: [] };
  const parsed = safeJsonParse(stored.body);
  const checked = parsed.ok ? hooksSchema.safeParse(parsed.value) : undefined;
  if (!checked?.success) throw new Error(`${HOOKS_KEY} is not a list of webhooks`);
  return { hooks: checked.data.hooks, etag: stored.etag };
}

/** Checks what `myorg-admin hooks add` was given (400 for a bad target or URL). */
export function assertHookRequest(target: string, url: string): void {
  const scope = target.startsWith('@') && !target.includes('/');
  const name = scope ? `${target}/name` : target;
  if (target !== '*' && !validatePackageName(name, { legacy: true }).valid) {
    throw new BadRequestError(EventMessages.invalidHookTarget(target));
  }
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new BadRequestError(EventMessages.invalidHookUrl(url));
  }
}

/** Adds a hook; its id is new and random. */
export async function addHook(
  storage: ObjectStorage,
  request: { target: string; url: string; secret: string },
  now: Date,
): Promise<Webhook> {
  assertHookRequest(request.target, request.url);
  const hook: Webhook = { id: randomBytes(4).toString('hex'), ...request, created: now.toISOString() };
  await changeHooks(storage, (hooks) => [...hooks, hook]);
  return hook;
}

/** Removes the hook `id` and its delivery log; 404 when there is none. */
export async function removeHook(storage: ObjectStorage, id: string): Promise<void> {
  let found = false;
  await changeHooks(storage, (hooks) => {
    found = hooks.some((hook) => hook.id === id);
    return hooks.filter((hook) => hook.id !== id);
  });
  if (!found) throw new NotFoundError(EventMessages.noSuchHook(id));
  for await (const { key } of listAll(storage, deliveriesPrefix(id))) await storage.delete(key);
}

/** Read-modify-write of the hook list, retried when another writer got in between. */
async function changeHooks(storage: ObjectStorage, change: (hooks: Webhook[]) => Webhook[]): Promise<void> {
  for (;;) {
    const { hooks, etag } = await readHooks(storage);
    const body = JSON.stringify({ hooks: change(hooks) }, null, 2);
    try {
      await storage.put(HOOKS_KEY, body, etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag });
      return;
    } catch (error) {
      if (!(error instanceof StorageError && error.code === 'EPRECONDITION')) throw error;
    }
  }
}

function deliveriesPrefix(hookId: string): string {
  return `${DELIVERIES_PREFIX}${hookId}/`;
}

/** Records one delivery and removes the hook's records beyond `KEPT_DELIVERIES`, oldest first. */
export async function recordDelivery(storage: ObjectStorage, record: DeliveryRecord): Promise<void> {
  const time = record.time.replace(/[-:.]/g, '');
  const key = `${deliveriesPrefix(record.hook)}${time}-${randomBytes(4).toString('hex')}.json`;
  await storage.put(key, JSON.stringify(record), { ifNoneMatch: '*' });
  const keys: string[] = [];
  for await (const { key: each } of listAll(storage, deliveriesPrefix(record.hook))) keys.push(each);
  for (const old of keys.slice(0, Math.max(0, keys.length - KEPT_DELIVERIES))) await storage.delete(old);
}

/** The hook's latest deliveries, oldest first. */
export async function recentDeliveries(storage: ObjectStorage, hookId: string): Promise<DeliveryRecord[]> {
  const records: DeliveryRecord[] = [];
  for await (const { key } of listAll(storage, deliveriesPrefix(hookId))) {
    const stored = await storage.get(key);
    const parsed = stored === undefined ? undefined : safeJsonParse<DeliveryRecord>(stored.body);
    if (parsed?.ok) records.push(parsed.value);
  }
  return records;
}

const PENDING_PREFIX = `${WEBHOOKS_PREFIX}pending/`;

const pendingSchema = z.object({
  hook: z.string(),
  action: z.string(),
  package: z.string().optional(),
  version: z.string().optional(),
  /** The JSON posted, kept so every attempt sends the same delivery id. */
  body: z.string(),
  attempts: z.number(),
  /** ISO 8601: not tried again before. */
  next: z.string(),
  /** ISO 8601: an instance is trying it until then; another leaves it alone. */
  claimedUntil: z.string().optional(),
});

/**
 * A delivery not yet done, stored under `webhooks/pending/` before the request that caused it
 * answers (on Lambda, whose container may be frozen before it is sent), removed once it is
 * delivered or given up.
 */
export type PendingDelivery = Omit<z.infer<typeof pendingSchema>, 'action'> & { action: RegistryAction };

export interface StoredPending {
  key: string;
  etag: string;
  delivery: PendingDelivery;
}

/** Stores a new pending delivery; its key sorts by time, so older ones are drained first. */
export async function addPending(storage: ObjectStorage, delivery: PendingDelivery): Promise<StoredPending> {
  const key = `${PENDING_PREFIX}${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}.json`;
  const { etag } = await storage.put(key, JSON.stringify(delivery), { ifNoneMatch: '*' });
  return { key, etag, delivery };
}

/** Every pending delivery, oldest first; an unreadable one is skipped. */
export async function* pendingDeliveries(storage: ObjectStorage): AsyncGenerator<StoredPending> {
  for await (const { key } of listAll(storage, PENDING_PREFIX)) {
    const stored = await storage.get(key);
    const parsed = stored === undefined ? undefined : safeJsonParse(stored.body);
    const checked = parsed?.ok ? pendingSchema.safeParse(parsed.value) : undefined;
    if (stored !== undefined && checked?.success) {
      yield { key, etag: stored.etag, delivery: checked.data as PendingDelivery };
    }
  }
}

/**
 * Replaces a pending delivery read with `etag`; undefined when another instance changed or removed
 * it since (so it is theirs).
 */
export async function replacePending(
  storage: ObjectStorage,
  { key, etag }: StoredPending,
  delivery: PendingDelivery,
): Promise<StoredPending | undefined> {
  try {
    const written = await storage.put(key, JSON.stringify(delivery), { ifMatch: etag });
    return { key, etag: written.etag, delivery };
  } catch (error) {
    if (isStorageError(error, 'EPRECONDITION')) return undefined;
    throw error;
  }
}

/** Removes a pending delivery once done, unless another instance has changed it since. */
export async function removePending(storage: ObjectStorage, { key, etag }: StoredPending): Promise<void> {
  try {
    await storage.delete(key, { ifMatch: etag });
  } catch (error) {
    if (!isStorageError(error, 'EPRECONDITION')) throw error;
  }
}
