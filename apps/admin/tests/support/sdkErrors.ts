import {
  AccessDeniedException,
  ConflictException,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-codeartifact';

// The SDK's service errors as the mocked clients throw them; tests need no response metadata.
const $metadata = {};

export const notFound = (message = 'not found') => new ResourceNotFoundException({ message, $metadata });
export const conflict = (message = 'exists') => new ConflictException({ message, $metadata });
export const denied = (message = 'not allowed') => new AccessDeniedException({ message, $metadata });
export const throttled = (message = 'slow down') => new ThrottlingException({ message, $metadata });
