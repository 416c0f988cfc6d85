import { epochSeconds } from './awsResponses.ts';
import type { CodeArtifactState, DomainRecord, RepositoryRecord } from './CodeArtifactState.ts';

/** The API's DomainDescription structure. */
export function domainDescription(state: CodeArtifactState, domain: DomainRecord) {
  return {
    name: domain.name,
    owner: domain.owner,
    arn: `arn:aws:codeartifact:${state.region}:${domain.owner}:domain/${domain.name}`,
    status: 'Active',
    createdTime: epochSeconds(domain.createdTime),
    encryptionKey: `arn:aws:kms:${state.region}:${domain.owner}:alias/aws/codeartifact`,
    repositoryCount: state.repositoriesOf(domain.name).length,
    assetSizeBytes: 0,
  };
}

/** The API's RepositoryDescription structure. */
export function repositoryDescription(state: CodeArtifactState, repository: RepositoryRecord) {
  return {
    name: repository.name,
    administratorAccount: state.account,
    domainName: repository.domain,
    domainOwner: state.account,
    arn: `arn:aws:codeartifact:${state.region}:${state.account}:repository/${repository.domain}/${repository.name}`,
    ...(repository.description === undefined ? {} : { description: repository.description }),
    upstreams: repository.upstreams.map((repositoryName) => ({ repositoryName })),
    externalConnections: repository.externalConnections.map((externalConnectionName) => ({
      externalConnectionName,
      packageFormat: state.packageFormatOf(externalConnectionName),
      status: 'AVAILABLE',
    })),
    createdTime: epochSeconds(repository.createdTime),
  };
}
