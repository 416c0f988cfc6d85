import { flatFields } from './flatFields.ts';
import { isLogLevel, passesThreshold } from './levels.ts';
import { defaultRedactKeys, redactText, type SecretKeyTest, secretKeyTest } from './redact.ts';
import { safeWrite } from './safeWrite.ts';
import { setOwn } from './setOwn.ts';
import { streamSink } from './streamSink.ts';
import { toLogValue } from './toLogValue.ts';
import type { LogFields, Logger, LogLevel, LogRecord, LogSink } from './types.ts';

export interface LoggerOptions {
  /** Lowest level written. Defaults to the `LOG_LEVEL` environment variable, then `info`. */
  level?: LogLevel;
  /** Where records go. Defaults to one JSON line per record on stdout. */
  sink?: LogSink;
  /** Fields added to every record. */
  context?: LogFields;
  /** Keys to redact on top of `defaultRedactKeys`; `*` at either end matches any ending or beginning. */
  redact?: string[];
}

interface LoggerState {
  level: LogLevel;
  sink: LogSink;
  isSecretKey: SecretKeyTest;
}

/** The keys every record starts with; fields of the same name are kept under `_<key>`. */
const ownKeys = new Set(['level', 'time', 'msg']);

let stdoutSink: LogSink | undefined;

/** A structured JSON logger; see the package README for the record format and redaction rules. */
export function createLogger(options: LoggerOptions = {}): Logger {
  if (options.level !== undefined && !isLogLevel(options.level)) {
    throw new TypeError(`unknown log level: ${String(options.level)}`);
  }
  const fromEnv = process.env.LOG_LEVEL?.trim().toLowerCase();
  const envLevel = isLogLevel(fromEnv) ? fromEnv : undefined;
  const state: LoggerState = {
    level: options.level ?? envLevel ?? 'info',
    sink: options.sink ?? defaultSink(),
    isSecretKey: secretKeyTest([...defaultRedactKeys, ...(options.redact ?? [])]),
  };
  const logger = bind(state, toFields(options.context, state.isSecretKey));
  if (options.level === undefined && fromEnv && !envLevel) {
    logger.warn('LOG_LEVEL is not a known level; using info', { LOG_LEVEL: process.env.LOG_LEVEL });
  }
  return logger;
}

/** One stdout sink for all loggers, so its backpressure queue and drop count are shared. */
function defaultSink(): LogSink {
  stdoutSink ??= streamSink();
  return stdoutSink;
}

function bind(state: LoggerState, context: LogFields): Logger {
  const log = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (!passesThreshold(level, state.level)) return;
    const time = isoNow();
    let record: LogRecord;
    try {
      record = { level, time, msg: redactText(String(msg)) };
      assign(record, context);
      assign(record, toFields(fields, state.isSecretKey));
    } catch (error) {
      // Only exotic values get here (a Proxy whose traps throw); the line itself must survive.
      record = {
        level,
        time,
        msg: redactText(String(msg)),
        logError: `fields could not be logged: ${String(error)}`,
      };
    }
    safeWrite(state.sink, record);
  };
  return {
    level: state.level,
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    child: (extra) => bind(state, { ...context, ...toFields(extra, state.isSecretKey) }),
    isLevelEnabled: (level) => passesThreshold(level, state.level),
  };
}

/** Fields as a redacted, JSON-safe object. An Error passed as the fields themselves becomes `err`. */
function toFields(fields: LogFields | undefined, isSecretKey: SecretKeyTest): LogFields {
  if (fields === undefined || fields === null) return {};
  const flat = flatFields(fields, isSecretKey);
  if (flat !== undefined) return flat;
  const value = toLogValue(fields instanceof Error ? { err: fields } : fields, isSecretKey);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as LogFields)
    : { fields: value };
}

function assign(record: LogRecord, fields: LogFields): void {
  for (const key of Object.keys(fields)) {
    setOwn(record, ownKeys.has(key) ? `_${key}` : key, fields[key]);
  }
}

// Under load many records share a millisecond: its timestamp is formatted once.
let lastMillis = Number.NaN;
let lastTime = '';

function isoNow(): string {
  const now = Date.now();
  if (now !== lastMillis) {
    lastMillis = now;
    lastTime = new Date(now).toISOString();
  }
  return lastTime;
}
