import { NotFoundError } from '@myorg/error';
import type { RouteHandler } from '../../../http/types.ts';
import { AuthMessages } from '../../messages.ts';

/**
 * `POST /-/v1/login`: npm 11 tries web login first and falls back to its user name and password
 * prompt (the legacy PUT) on any 4xx; a 404 is what a registry without web login answers.
 */
export const webLoginHandler: RouteHandler = async () => {
  throw new NotFoundError(AuthMessages.webLoginUnsupported);
};
