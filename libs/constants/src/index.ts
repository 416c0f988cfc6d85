export { Header } from './headers.ts';
export { HttpStatus, isServerError, reasonPhrase } from './httpStatus.ts';
export { ContentEncoding, type ContentEncodingName, ContentType, NpmMediaType } from './mediaTypes.ts';
