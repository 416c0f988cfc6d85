/**
 * The parts of an API Gateway HTTP API event (payload format 2.0) and of the result the adapter
 * reads and writes, as "Create AWS Lambda proxy integrations for HTTP APIs in API Gateway"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html)
 * describes them. Structurally a subset of `APIGatewayProxyEventV2` / `APIGatewayProxyStructuredResultV2`
 * of @types/aws-lambda, so this library needs no Lambda packages.
 */
export interface ApiGatewayHttpEvent {
  version: '2.0';
  /** The path as sent, not decoded; with a named stage (not `$default`) it starts with `/<stage>`. */
  rawPath: string;
  rawQueryString: string;
  /** Every `Cookie` header of the request, split into single cookies. */
  cookies?: string[];
  /** Lower-case names; repeated headers joined with commas. */
  headers: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded: boolean;
  requestContext: {
    domainName: string;
    requestId: string;
    stage: string;
    http: { method: string; path: string; sourceIp: string };
  };
}

export interface ApiGatewayHttpResult {
  statusCode: number;
  headers: Record<string, string>;
  /** `Set-Cookie` values: payload 2.0 carries them here, not among the headers. */
  cookies?: string[];
  body?: string;
  isBase64Encoded: boolean;
}
