export { errorResponse } from './errorResponse.ts';
export type { HttpResponse, RequestHeaders, ResponseBody } from './HttpResponse.ts';
export { isNotModified } from './isNotModified.ts';
export { negotiateEncoding } from './negotiateEncoding.ts';
export { type PreparedBody, prepareBody } from './prepareBody.ts';
export { empty, json, redirect, stream, text } from './responses.ts';
export { sendPrepared } from './sendPrepared.ts';
