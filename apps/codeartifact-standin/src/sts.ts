// STS GetCallerIdentity as the AWS STS API Reference (API_GetCallerIdentity) documents it, in the
// Query protocol: a form-encoded POST, an XML answer, and the ErrorResponse document for failures.
import { randomUUID } from 'node:crypto';
import { type HttpRequest, readBody } from '@myorg/middleware';
import type { HttpResponse } from '@myorg/response';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

function xml(status: number, body: string): HttpResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }, body };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The access key id from a SigV4 `Credential=AKID/date/region/service/aws4_request`. */
function accessKeyId(req: HttpRequest): string {
  return /Credential=([^/,\s]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'ANONYMOUS';
}

/** Whether a request is an STS Query call (POST / with a form body), the only STS shape served. */
export function isStsRequest(req: HttpRequest): boolean {
  return (
    req.method === 'POST' &&
    req.path === '/' &&
    (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
  );
}

/**
 * STS GetCallerIdentity in the Query protocol, so `setup` can find the account when the config
 * leaves it out: any signed caller is a user of the stand-in's account.
 */
export async function sts(req: HttpRequest, account: string): Promise<HttpResponse> {
  const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
  const action = form.get('Action');
  if (action !== 'GetCallerIdentity') {
    return xml(
      400,
      `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${escapeXml(
        `the stand-in serves GetCallerIdentity only, not ${action ?? 'nothing'}`,
      )}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    );
  }
  const userId = escapeXml(accessKeyId(req));
  return xml(
    200,
    `<GetCallerIdentityResponse xmlns="${NAMESPACE}"><GetCallerIdentityResult><Arn>arn:aws:iam::${account}:user/codeartifact-stand-in</Arn><UserId>${userId}</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  );
}
