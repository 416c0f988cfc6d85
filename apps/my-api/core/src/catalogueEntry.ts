import { assertPackageName, parseConfig, z } from '@myorg/validation';

const tag = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { error: 'lower-case letters, digits and "-"' });

/** What a client sends for an entry; the package name comes from the URL. */
const entryInputSchema = z.strictObject({
  description: z.string().max(500).default(''),
  owner: z.string().min(1).max(100),
  tags: z
    .array(tag)
    .max(20)
    .default([])
    .refine((tags) => new Set(tags).size === tags.length, { error: 'tags must not repeat' }),
  repository: z.url({ protocol: /^https?$/ }).optional(),
});

const storedEntrySchema = entryInputSchema.extend({ name: z.string() });

/** A catalogued package: who owns it and what it is for. */
export type CatalogueEntry = z.infer<typeof storedEntrySchema>;

/** An entry for `name` from a request body; a 400 lists everything wrong with it. */
export function parseEntryInput(name: string, body: unknown): CatalogueEntry {
  return { name: assertPackageName(name), ...parseConfig(entryInputSchema, body, 'catalogue entry') };
}

/** The store's guard on every document it writes or reads back. */
export function parseStoredEntry(value: unknown): CatalogueEntry {
  const entry = parseConfig(storedEntrySchema, value, 'catalogue entry');
  assertPackageName(entry.name);
  return entry;
}
