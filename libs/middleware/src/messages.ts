import { jsonTooDeepMessage, jsonTooManyMembersMessage } from '@myorg/utilities';

/** What clients are told about a request body they sent (npm prints it after the status line). */
export const BodyMessages = {
  unreadable: 'the request body could not be read',
  empty: 'the request body is empty; a JSON document was expected',
  notJson: (reason: string) => `the request body is not valid JSON: ${reason}`,
  /** `the request body nests deeper than 64 levels`; a streaming parser of a body refuses with it too. */
  tooDeep: jsonTooDeepMessage('the request body'),
  tooManyMembers: (limit: number) => jsonTooManyMembersMessage('the request body', limit),
} as const;
