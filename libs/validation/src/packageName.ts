import validateNpmPackageName from 'validate-npm-package-name';
import { quote } from './quote.ts';
import { ValidationError } from './ValidationError.ts';

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

/**
 * Checks a package name against the rules npm applies to new packages (validate-npm-package-name,
 * whose warnings are the retired rules), plus one of the registry's own: a scope must not start
 * with a period. `legacy` mode turns the retired rules into warnings for names that already exist
 * upstream.
 */
export function validatePackageName(name: unknown, options: PackageNameOptions = {}): PackageNameValidation {
  const npm = npmVerdict(name);
  const errors = npm.errors ?? [];
  const retired = npm.warnings ?? [];
  // npm lets `@../name` through; scopes become directory names in storage.
  if (typeof name === 'string' && name.startsWith('@.')) errors.push('scope cannot start with a period');
  if (options.legacy) return { valid: errors.length === 0, errors, warnings: retired };
  errors.push(...retired);
  return { valid: errors.length === 0, errors, warnings: [] };
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

/** The name without its scope, as npm uses it in tarball file names; throws a ValidationError for an invalid name. */
export function unscopedPackageName(name: string, options: PackageNameOptions = {}): string {
  const fullName = assertPackageName(name, options);
  return fullName.slice(fullName.indexOf('/') + 1);
}

/**
 * validate-npm-package-name takes any value (it reports `null` and non-strings itself) but throws
 * on a lone surrogate, which `encodeURIComponent` cannot encode: such a name is not URL-friendly.
 */
function npmVerdict(name: unknown): { errors?: string[]; warnings?: string[] } {
  try {
    return validateNpmPackageName(name as string);
  } catch {
    return { errors: ['name can only contain URL-friendly characters'] };
  }
}
