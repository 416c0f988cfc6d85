import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createLogger, type Logger } from '@myorg/logger';
import {
  type ApiGatewayHttpEvent,
  type ApiGatewayHttpResult,
  createApiGatewayHandler,
  LAMBDA_MAX_PAYLOAD_BYTES,
} from '@myorg/middleware';
import {
  createAuthProvider,
  createRegistry,
  createRegistryEvents,
  Messages,
  parseRegistryConfig,
  type RegistryConfig,
  startTemporarySweep,
} from '@myorg/registry';
import { storageFromUrl } from '@myorg/storage';
import { secretEnvironment } from './secretEnvironment.ts';

/** The Lambda function: one API Gateway event in, one result out. */
export type LambdaHandler = (event: ApiGatewayHttpEvent) => Promise<ApiGatewayHttpResult>;

export interface StartLambdaOptions {
  /** Reads REGISTRY_SECRETS; defaults to a client from the SDK's standard configuration. */
  secrets?: SecretsManagerClient;
  /** Defaults to JSON lines on stdout (CloudWatch Logs) at LOG_LEVEL. */
  logger?: Logger;
}

/**
 * The event of an EventBridge schedule: the stack's rule that has pending webhook deliveries
 * drained while no request comes.
 */
export interface ScheduledEvent {
  source: 'aws.events';
  'detail-type': 'Scheduled Event';
}

export function isScheduledEvent(event: unknown): event is ScheduledEvent {
  return (
    typeof event === 'object' &&
    event !== null &&
    'source' in event &&
    event.source === 'aws.events' &&
    'detail-type' in event &&
    event['detail-type'] === 'Scheduled Event'
  );
}

/** How often an invocation also starts draining pending webhook deliveries, per container. */
const DRAIN_EVERY_MS = 60_000;

/**
 * What an API Gateway event carries besides the body (headers up to 10,240 bytes per the HTTP API
 * quotas, the request context, JSON escapes of the body): the body limit leaves this much room.
 */
const EVENT_ENVELOPE_BYTES = 64 * 1024;

/**
 * Environment (with the secret of REGISTRY_SECRETS merged in) → the one config parser → storage →
 * registry → the API Gateway adapter; run once per container, so warm invocations reuse the
 * clients and the registry's caches. A storage that signs URLs (S3) serves tarballs and packuments
 * too large for a Lambda response by a redirect to storage.
 */
export async function startLambda(
  env: Readonly<Record<string, string | undefined>>,
  options: StartLambdaOptions = {},
): Promise<{ config: RegistryConfig; handler: LambdaHandler; scheduled: () => Promise<void> }> {
  const merged = await secretEnvironment(env, options.secrets ?? new SecretsManagerClient({}));
  // Lambda has no workspace to keep data in: REGISTRY_STORAGE must name one (s3://bucket/prefix).
  const config = parseRegistryConfig(merged, { storage: '', upstream: undefined });
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const storage = storageFromUrl(config.storage, { kmsKeyId: config.s3KmsKeyId });
  await storage.checkConditionalWrites?.();
  const auth = createAuthProvider(config, storage, logger);
  // The sweep runs at each cold start (and while the container is thawed); a lifecycle rule on
  // `pending/` is the backstop for containers that never start again.
  startTemporarySweep({ storage, maxAgeMs: config.temporaryMaxAgeMs, logger });
  const { url, ...upstreamSettings } = config.upstream;
  // Webhook deliveries are stored before an invocation answers, and drained by later ones.
  const events = createRegistryEvents(storage, logger, { durableWebhooks: true });
  let drained = Number.NEGATIVE_INFINITY;
  const registry = createRegistry({
    storage,
    auth,
    publicUrl: config.publicUrl,
    publicRead: config.publicRead,
    access: config.access,
    maxBodyBytes: Math.min(config.maxBodyBytes, LAMBDA_MAX_PAYLOAD_BYTES - EVENT_ENVELOPE_BYTES),
    maxUploadBytes: config.maxUploadBytes,
    cache: { maxBytes: config.packumentCacheBytes },
    tarballMemoryBytes: config.tarballMemoryBytes,
    metricsToken: config.metricsToken,
    // Lambda names each container's log stream: its counts are that container's alone.
    metricsInstance: env.AWS_LAMBDA_LOG_STREAM_NAME,
    bodyTooLargeMessage: Messages.bodyOverLambdaLimit,
    directReads: storage.signedUrl === undefined ? undefined : { maxResponseBytes: LAMBDA_MAX_PAYLOAD_BYTES },
    upstream: url === undefined ? undefined : { url, ...upstreamSettings, logger },
    releaseAge: config.releaseAge,
    events,
  });
  const handler = createApiGatewayHandler(registry, { logger });
  return {
    config,
    // Lambda freezes the container once an invocation answers, and may never thaw it: the
    // invocation's events are written before it answers.
    handler: async (event) => {
      // Deliveries earlier invocations left: retried beside this one (a frozen attempt's claim runs out).
      if (Date.now() - drained >= DRAIN_EVERY_MS) {
        drained = Date.now();
        void events.drain();
      }
      try {
        return await handler(event);
      } finally {
        await events.flush();
      }
    },
    // The schedule's invocation waits for its attempts: nothing is left running when it answers.
    scheduled: () => events.drain(),
  };
}
