import { json } from '@myorg/response';
import { describe, expect, it } from 'vitest';
import {
  authentication,
  bodyLimit,
  compose,
  errorMapping,
  type Handler,
  type Middleware,
  type RequestContext,
  requestId,
  requestLogging,
} from '../src/index.ts';
import { recordingContext, request } from './helpers.ts';

function tracing(name: string, trace: string[]): Middleware {
  return async (req, ctx, next) => {
    trace.push(`${name} in`);
    const response = await next(req, ctx);
    trace.push(`${name} out`);
    return response;
  };
}

describe('compose', () => {
  it('runs middleware outermost first around the handler', async () => {
    // Prepare
    const trace: string[] = [];
    const handler: Handler = async () => {
      trace.push('handler');
      return json(200, { ok: true });
    };
    const pipeline = compose(tracing('a', trace), tracing('b', trace))(handler);

    // Act
    const response = await pipeline(request(), recordingContext().ctx);

    // Assess
    expect(response.status).toBe(200);
    expect(trace).toEqual(['a in', 'b in', 'handler', 'b out', 'a out']);
  });

  it('lets a middleware answer without calling the handler', async () => {
    // Prepare
    let handled = false;
    const gate: Middleware = async () => json(403, { error: 'no' });
    const pipeline = compose(gate)(async () => {
      handled = true;
      return json(200, {});
    });

    // Act
    const response = await pipeline(request(), recordingContext().ctx);

    // Assess
    expect(response.status).toBe(403);
    expect(handled).toBe(false);
  });

  it('returns the handler itself when given no middleware', () => {
    // Prepare
    const handler: Handler = async () => json(200, {});

    // Act
    const pipeline = compose()(handler);

    // Assess
    expect(pipeline).toBe(handler);
  });

  it('combines the built-in middleware with an application context type', async () => {
    // Prepare
    interface AppContext extends RequestContext {
      tenant: string;
    }
    const { ctx } = recordingContext();
    const appCtx: AppContext = { ...ctx, tenant: 'acme' };
    const pipeline = compose<AppContext>(
      requestId(),
      requestLogging(),
      errorMapping(),
      bodyLimit(10),
      authentication(async () => undefined),
    )(async (_req, c) => json(200, { tenant: c.tenant }));

    // Act
    const response = await pipeline(request(), appCtx);

    // Assess
    expect(JSON.parse(response.body as string)).toEqual({ tenant: 'acme' });
    expect(response.headers['x-request-id']).toBe(appCtx.requestId);
  });

  it('shares the context and lets middleware replace the request', async () => {
    // Prepare
    const rewrite: Middleware = async (req, ctx, next) => {
      ctx.state.seen = req.path;
      return next({ ...req, path: '/rewritten' }, ctx);
    };
    const pipeline = compose(rewrite)(async (req, ctx) =>
      json(200, { path: req.path, seen: ctx.state.seen }),
    );

    // Act
    const response = await pipeline(request({ url: '/original' }), recordingContext().ctx);

    // Assess
    expect(JSON.parse(response.body as string)).toEqual({ path: '/rewritten', seen: '/original' });
  });
});
