export { Header, type HeaderName } from './headers.ts';
export { HttpStatus, type HttpStatusCode, isClientError, isServerError, reasonPhrase } from './httpStatus.ts';
export { ContentEncoding, type ContentEncodingName, ContentType, NpmMediaType } from './mediaTypes.ts';
