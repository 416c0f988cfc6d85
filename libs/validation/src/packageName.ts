import { builtinModules } from 'node:module';
import { quote } from './quote.ts';
import { isUrlSafe } from './urlSafe.ts';
import { ValidationError } from './ValidationError.ts';

const maxNameLength = 214;
const blockedNames = new Set(['node_modules', 'favicon.ico']);
const coreModuleNames = new Set(builtinModules);
const specialCharacters = /[~'!()*]/;
const scopedName = /^@([^/]+)\/([^/]+)$/;

export interface PackageNameOptions {
  /**
   * Also accept names npm once allowed and still serves but no longer lets anyone create:
   * capital letters (`JSONStream`), more than 214 characters, `~'!()*`, and Node core module
   * names (`events`, `buffer`). They come back as warnings instead of errors. For read paths of
   * a registry that proxies an upstream; never for publishing.
   */
  legacy?: boolean;
}

export interface PackageNameValidation {
  /** True when `errors` is empty. */
  valid: boolean;
  /** Every rule the name breaks, in npm's wording. */
  errors: string[];
  /** Retired rules the name breaks; only filled in `legacy` mode, where they do not fail it. */
  warnings: string[];
}

export interface ParsedPackageName {
  /** `@scope` with its `@`, or undefined for an unscoped name. */
  scope: string | undefined;
  /** The name without its scope: what npm uses in tarball file names. */
  name: string;
  /** The name as given: `@scope/name` or `name`. */
  fullName: string;
}

/**
 * Checks a package name against the rules npm applies to new packages. Core module names
 * (`http`, `fs`) are refused too, as npm refuses them for new packages; `legacy` mode relaxes
 * every retired rule for names that already exist upstream.
 */
export function validatePackageName(name: unknown, options: PackageNameOptions = {}): PackageNameValidation {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (typeof name !== 'string') {
    if (name === null) errors.push('name cannot be null');
    else if (name === undefined) errors.push('name cannot be undefined');
    else errors.push('name must be a string');
    return { valid: false, errors, warnings };
  }
  const retired = options.legacy ? warnings : errors;
  const lowerCased = name.toLowerCase();
  const scoped = scopedName.exec(name);
  const unscoped = scoped?.[2] ?? name;

  if (name.length === 0) errors.push('name length must be greater than zero');
  if (unscoped.startsWith('.')) errors.push('name cannot start with a period');
  // Stricter than npm, which lets `@../name` through: scopes become directory names in storage.
  if (scoped?.[1]?.startsWith('.')) errors.push('scope cannot start with a period');
  if (name.startsWith('-')) errors.push('name cannot start with a hyphen');
  if (name.startsWith('_')) errors.push('name cannot start with an underscore');
  if (name.trim() !== name) errors.push('name cannot contain leading or trailing spaces');
  if (blockedNames.has(lowerCased)) errors.push(`${lowerCased} is not a valid package name`);
  if (coreModuleNames.has(lowerCased)) retired.push(`${name} is a core module name`);
  if (name.length > maxNameLength)
    retired.push(`name can no longer contain more than ${maxNameLength} characters`);
  if (lowerCased !== name) retired.push('name can no longer contain capital letters');
  if (specialCharacters.test(unscoped))
    retired.push('name can no longer contain special characters ("~\'!()*")');
  if (!isUrlSafe(name) && !(scoped && isUrlSafe(scoped[1]!) && isUrlSafe(scoped[2]!))) {
    errors.push('name can only contain URL-friendly characters');
  }
  return { valid: errors.length === 0, errors, warnings };
}

/** Returns `name` when it is valid, else throws a ValidationError (code EINVALIDPACKAGENAME). */
export function assertPackageName(name: unknown, options: PackageNameOptions = {}): string {
  const { errors } = validatePackageName(name, options);
  if (errors.length > 0) {
    throw new ValidationError(errors, {
      subject: `invalid package name ${quote(name)}`,
      code: 'EINVALIDPACKAGENAME',
    });
  }
  return name as string;
}

/** Splits a valid name into scope and unscoped name; throws a ValidationError for an invalid one. */
export function parsePackageName(name: string, options: PackageNameOptions = {}): ParsedPackageName {
  const fullName = assertPackageName(name, options);
  const slash = fullName.indexOf('/');
  if (slash === -1) return { scope: undefined, name: fullName, fullName };
  return { scope: fullName.slice(0, slash), name: fullName.slice(slash + 1), fullName };
}
