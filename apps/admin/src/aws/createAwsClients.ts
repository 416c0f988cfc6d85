import { CodeartifactClient } from '@aws-sdk/client-codeartifact';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';

export interface AwsClientOptions {
  region: string;
  /** A named profile from the shared config files; otherwise the SDK's default credential chain. */
  profile?: string;
  /** One endpoint for every client, such as the CodeArtifact stand-in on loopback. */
  endpoint?: string;
  /** Attempts per call, retries included. Defaults to the SDK's standard retry policy (3). */
  maxAttempts?: number;
}

export interface AwsClients {
  codeartifact: CodeartifactClient;
  sts: STSClient;
  codebuild: CodeBuildClient;
  iam: IAMClient;
}

/** Every AWS client the CLI uses, built from one set of options so that none can drift from the others. */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const config = {
    region: options.region,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  };
  return {
    codeartifact: new CodeartifactClient(config),
    sts: new STSClient(config),
    codebuild: new CodeBuildClient(config),
    iam: new IAMClient(config),
  };
}
