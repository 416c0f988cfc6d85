export {
  authentication,
  getPrincipal,
  type Principal,
  type ResolvePrincipal,
  requireAuthenticated,
  requirePrincipal,
} from './authentication.ts';
export { bodyLimit } from './bodyLimit.ts';
export { compose, type Handler, type Middleware } from './compose.ts';
export { type CorsOptions, cors } from './cors.ts';
export { type ErrorMappingOptions, errorMapping } from './errorMapping.ts';
export type { HttpRequest } from './HttpRequest.ts';
export type { ApiGatewayHttpEvent, ApiGatewayHttpResult } from './lambda/apiGatewayTypes.ts';
export {
  type ApiGatewayHandlerOptions,
  createApiGatewayHandler,
  LAMBDA_MAX_PAYLOAD_BYTES,
} from './lambda/createApiGatewayHandler.ts';
export type { TooLargeMessage } from './limitBody.ts';
export { BodyMessages } from './messages.ts';
export { createNodeListener, type NodeListenerOptions } from './node/createNodeListener.ts';
export { createRequestContext, type RequestContext } from './RequestContext.ts';
export { parseJsonBody, readBody, readJson } from './readBody.ts';
export { requestId } from './requestId.ts';
export { requestLogging } from './requestLogging.ts';
