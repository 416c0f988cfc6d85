import { createHash } from 'node:crypto';
import { ContentType } from '@myorg/constants';
import { retryOnConflict } from '@myorg/database';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '@myorg/error';
import type { ObjectStorage } from '@myorg/storage';
import { validatePackageName, z } from '@myorg/validation';
import semver from 'semver';
import { SingleFlight } from '../cache/SingleFlight.ts';
import { PolicyMessages } from './messages.ts';

/** Where the block list is kept: one object, so every instance on the storage reads the same list. */
export const BLOCK_LIST_KEY = 'policy/blocks.json';
/** Entries the list holds at most: it is read whole by every instance every few seconds. */
export const MAX_BLOCKS = 10_000;
export const MAX_REASON_CHARS = 500;
/** How long an instance serves the list it read before asking storage (a HEAD) whether it changed. */
const CHECK_AFTER_MS = 2000;
const RANGE_OPTIONS = { includePrerelease: true, loose: true };
const RETRY = { attempts: 20, baseDelayMs: 5, maxDelayMs: 250 };

const blockEntrySchema = z.object({
  name: z.string().min(1).max(214),
  /** A semver range; `*` blocks every version. */
  range: z.string().min(1).max(256),
  reason: z.string().min(1).max(MAX_REASON_CHARS),
  createdAt: z.string(),
  /** Who added it, as the admin CLI was told (`--by`) or the operating-system user. */
  createdBy: z.string().max(256).optional(),
});

const blockListSchema = z.object({ blocks: z.array(blockEntrySchema).max(MAX_BLOCKS) });

export type BlockEntry = z.output<typeof blockEntrySchema>;

/** One change of the block list, for whoever audits them. */
export interface BlockListChange {
  action: 'add' | 'remove';
  entries: readonly BlockEntry[];
}

/**
 * The audit seam of the block list: every change `BlockList.add` and `remove` store is passed here
 * once written (`myorg-admin block` records it in the audit trail).
 */
export type AuditBlockListChange = (change: BlockListChange) => void | Promise<void>;

/** The blocks of one package as the policy applies them, and a key that changes with them. */
export interface PackageBlocks {
  entries: readonly BlockEntry[];
  /** Equal for equal entries: part of the key of a cached body, so a change rebuilds it. */
  key: string;
}

const NO_BLOCKS: PackageBlocks = { entries: [], key: '' };

/** `<name>` or `<name>@<range>` split and checked, as `myorg-admin block add|rm` takes it. */
export function parseBlockSpec(spec: string): { name: string; range: string | undefined } {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  const name = at === -1 ? spec : spec.slice(0, at);
  const range = at === -1 ? undefined : spec.slice(at + 1).trim();
  const validation = validatePackageName(name, { legacy: true });
  if (!validation.valid) {
    throw new BadRequestError(PolicyMessages.blockNameInvalid(name, validation.errors.join('; ')));
  }
  if (range !== undefined && (range === '' || semver.validRange(range, RANGE_OPTIONS) === null)) {
    throw new BadRequestError(PolicyMessages.blockSpecInvalid(spec));
  }
  return { name, range };
}

/**
 * The block list in storage (`policy/blocks.json`, bounded to MAX_BLOCKS entries): read by every
 * registry instance, checked with one HEAD (its etag) once `CHECK_AFTER_MS` have passed, so a
 * change applies everywhere within seconds; changed by `myorg-admin block` with conditional
 * writes, so concurrent changes never lose each other.
 */
export class BlockList {
  readonly #storage: ObjectStorage;
  readonly #now: () => number;
  readonly #audit: AuditBlockListChange | undefined;
  readonly #checkAfterMs: number;
  readonly #loads = new SingleFlight<'list', void>();
  #held: { etag: string | undefined; byName: Map<string, PackageBlocks>; checkedAt: number } | undefined;

  constructor(
    storage: ObjectStorage,
    options: { now?: () => number; audit?: AuditBlockListChange; checkAfterMs?: number } = {},
  ) {
    this.#storage = storage;
    this.#now = options.now ?? Date.now;
    this.#audit = options.audit;
    this.#checkAfterMs = options.checkAfterMs ?? CHECK_AFTER_MS;
  }

  /**
   * The blocks of `name` (none: an empty list), from a copy at most `CHECK_AFTER_MS` old: without
   * waiting when the copy is recent, as every packument and tarball request asks.
   */
  forPackage(name: string): PackageBlocks | Promise<PackageBlocks> {
    const held = this.#held;
    if (held !== undefined && this.#now() - held.checkedAt < this.#checkAfterMs) {
      return held.byName.get(name) ?? NO_BLOCKS;
    }
    return this.#loads
      .run('list', () => this.#refresh())
      .then(() => this.#held?.byName.get(name) ?? NO_BLOCKS);
  }

  /** Every entry, as stored (read afresh). */
  async all(): Promise<BlockEntry[]> {
    return (await this.#read()).blocks;
  }

  /** Blocks `name@range` (`*`: every version) for `reason`; refused when the same block exists. */
  async add(entry: { name: string; range: string; reason: string; createdBy?: string }): Promise<BlockEntry> {
    const reason = entry.reason.trim();
    if (reason === '' || reason.length > MAX_REASON_CHARS) {
      throw new BadRequestError(PolicyMessages.blockReasonInvalid(MAX_REASON_CHARS));
    }
    const added: BlockEntry = { ...entry, reason, createdAt: new Date(this.#now()).toISOString() };
    await this.#change((blocks) => {
      if (blocks.some((block) => block.name === entry.name && block.range === entry.range)) {
        throw new ConflictError(PolicyMessages.blockExists(`${entry.name}@${entry.range}`));
      }
      if (blocks.length >= MAX_BLOCKS) throw new ConflictError(PolicyMessages.blockListFull(MAX_BLOCKS));
      return [...blocks, added];
    });
    await this.#audit?.({ action: 'add', entries: [added] });
    return added;
  }

  /** Removes the block of `name@range`, or with no range every block of `name`; what was removed. */
  async remove(name: string, range: string | undefined): Promise<BlockEntry[]> {
    const matches = (block: BlockEntry) =>
      block.name === name && (range === undefined || block.range === range);
    let removed: BlockEntry[] = [];
    await this.#change((blocks) => {
      removed = blocks.filter(matches);
      if (removed.length === 0)
        throw new NotFoundError(PolicyMessages.noSuchBlock(range ? `${name}@${range}` : name));
      return blocks.filter((block) => !matches(block));
    });
    await this.#audit?.({ action: 'remove', entries: removed });
    return removed;
  }

  async #refresh(): Promise<void> {
    const held = this.#held;
    if (held !== undefined) {
      const info = await this.#storage.head(BLOCK_LIST_KEY);
      if (info?.etag === held.etag) {
        held.checkedAt = this.#now();
        return;
      }
    }
    const checkedAt = this.#now();
    const { blocks, etag } = await this.#read();
    const byName = new Map<string, PackageBlocks>();
    for (const block of blocks) {
      const entries = [...(byName.get(block.name)?.entries ?? []), block];
      byName.set(block.name, { entries, key: '' });
    }
    for (const blocksOfName of byName.values()) {
      const text = JSON.stringify(blocksOfName.entries.map(({ range, reason }) => [range, reason]));
      blocksOfName.key = `b${createHash('sha256').update(text).digest('base64url').slice(0, 16)}`;
    }
    this.#held = { etag, byName, checkedAt };
  }

  async #read(): Promise<{ blocks: BlockEntry[]; etag: string | undefined }> {
    const stored = await this.#storage.get(BLOCK_LIST_KEY);
    if (stored === undefined) return { blocks: [], etag: undefined };
    let parsed: z.ZodSafeParseResult<z.output<typeof blockListSchema>>;
    try {
      parsed = blockListSchema.safeParse(JSON.parse(stored.body.toString('utf8')));
    } catch (error) {
      throw new AppError(PolicyMessages.blockListInvalid('not JSON'), { cause: error });
    }
    if (!parsed.success) throw new AppError(PolicyMessages.blockListInvalid(parsed.error.message));
    return { blocks: parsed.data.blocks, etag: stored.etag };
  }

  /** Read, change, write only if nobody wrote in between; retried from a fresh read otherwise. */
  async #change(next: (blocks: readonly BlockEntry[]) => BlockEntry[]): Promise<void> {
    await retryOnConflict(async () => {
      const { blocks, etag } = await this.#read();
      const text = `${JSON.stringify({ blocks: next(blocks) }, null, 2)}\n`;
      await this.#storage.put(BLOCK_LIST_KEY, text, {
        contentType: ContentType.JSON,
        ...(etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag }),
      });
    }, RETRY);
    this.#held = undefined;
  }
}

/** The first block among `blocks` whose range holds `version`. */
export function blockOf(blocks: PackageBlocks, version: string): BlockEntry | undefined {
  return blocks.entries.find((block) => semver.satisfies(version, block.range, RANGE_OPTIONS));
}
