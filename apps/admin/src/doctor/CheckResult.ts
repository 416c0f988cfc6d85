import type { TroubleKey } from './troubleshooting.ts';

/** One `doctor` check: `fail` makes the command exit 1, `warn` only reports. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'warn' | 'fail' | 'skipped';
  detail: string;
  /** The known trouble whose fix is printed under a warning or failure. */
  trouble?: TroubleKey;
  /** A fix more specific than the trouble's own (from a failed AWS call). */
  fix?: string;
}
