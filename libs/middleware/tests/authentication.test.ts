import { UnauthorizedError } from '@myorg/error';
import { json } from '@myorg/response';
import { describe, expect, it } from 'vitest';
import {
  authentication,
  compose,
  getPrincipal,
  type Principal,
  requireAuthenticated,
  requirePrincipal,
} from '../src/index.ts';
import { recordingContext, request } from './helpers.ts';

interface User extends Principal {
  name: string;
}

const byToken = authentication<User>(async (req) =>
  req.headers.authorization === 'Bearer good' ? { id: 'u1', name: 'ada' } : undefined,
);

describe('authentication', () => {
  it('stores the resolved principal in the context state', async () => {
    // Prepare
    const { ctx } = recordingContext();
    const pipeline = compose(byToken)(async (_req, c) => json(200, requirePrincipal<User>(c)));

    // Act
    const response = await pipeline(request({ headers: { authorization: 'Bearer good' } }), ctx);

    // Assess
    expect(JSON.parse(response.body as string)).toEqual({ id: 'u1', name: 'ada' });
    expect(ctx.state.principal).toEqual({ id: 'u1', name: 'ada' });
  });

  it('lets anonymous requests through for the handler to decide', async () => {
    // Prepare
    const pipeline = compose(byToken)(async (_req, c) =>
      json(200, { anonymous: getPrincipal(c) === undefined }),
    );

    // Act
    const response = await pipeline(request(), recordingContext().ctx);

    // Assess
    expect(JSON.parse(response.body as string)).toEqual({ anonymous: true });
  });

  it('propagates errors the resolver throws', async () => {
    // Prepare
    const strict = authentication(async () => {
      throw new UnauthorizedError('token revoked');
    });
    const pipeline = compose(strict)(async () => json(200, {}));

    // Act
    const attempt = pipeline(request(), recordingContext().ctx);

    // Assess
    await expect(attempt).rejects.toThrow('token revoked');
  });
});

describe('requirePrincipal', () => {
  it('throws a 401 that names the Bearer scheme when nobody is signed in', () => {
    // Prepare
    const { ctx } = recordingContext();

    // Act
    const attempt = () => requirePrincipal(ctx);

    // Assess
    expect(attempt).toThrow(UnauthorizedError);
    try {
      attempt();
    } catch (error) {
      expect((error as UnauthorizedError).status).toBe(401);
      expect((error as UnauthorizedError).headers).toEqual({ 'www-authenticate': 'Bearer' });
    }
  });

  it('uses the challenge it is given', () => {
    // Prepare
    const { ctx } = recordingContext();

    // Act
    const error = (() => {
      try {
        requirePrincipal(ctx, 'Basic realm="registry"');
      } catch (caught) {
        return caught as UnauthorizedError;
      }
    })();

    // Assess
    expect(error?.headers['www-authenticate']).toBe('Basic realm="registry"');
  });
});

describe('requireAuthenticated', () => {
  it('answers the principal it is given, and a 401 with the message and challenge given without one', () => {
    const principal = { name: 'alice' };

    const refusal = (() => {
      try {
        requireAuthenticated(undefined, { message: 'log in first', challenge: 'Bearer realm="registry"' });
      } catch (caught) {
        return caught;
      }
    })();

    expect(requireAuthenticated(principal)).toBe(principal);
    expect(refusal).toBeInstanceOf(UnauthorizedError);
    expect(refusal).toMatchObject({
      status: 401,
      message: 'log in first',
      headers: { 'www-authenticate': 'Bearer realm="registry"' },
    });
  });
});
