import {
  BatchGetProjectsCommand,
  CodeBuildClient,
  CreateProjectCommand,
  CreateWebhookCommand,
  DeleteProjectCommand,
  DeleteWebhookCommand,
  ImportSourceCredentialsCommand,
  InvalidInputException,
  ListSourceCredentialsCommand,
  OAuthProviderException,
  type Project,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateProjectCommand,
  UpdateWebhookCommand,
} from '@aws-sdk/client-codebuild';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  EntityAlreadyExistsException,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  NoSuchEntityException,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureProject } from '../src/codebuild/ensureProject.ts';
import { ensureServiceRole } from '../src/codebuild/ensureServiceRole.ts';
import { projectDefinition, webhookFilterGroups } from '../src/codebuild/projectDefinition.ts';
import { setupCodebuild } from '../src/commands/setupCodebuild.ts';
import type { CodeBuildConfig } from '../src/config/adminConfig.ts';
import { troubles } from '../src/doctor/troubleshooting.ts';
import { buildPolicy, codebuildTrustPolicy } from '../src/iam/policies.ts';
import { ACCOUNT, adminConfig, codebuildConfig, commandContext } from './support/fixtures.ts';
import { httpServer } from './support/httpServer.ts';
import { mockSdkClient } from './support/sdkMock.ts';
import { testIo } from './support/testIo.ts';

const $metadata = {};
const codebuild = mockSdkClient(CodeBuildClient);
const iam = mockSdkClient(IAMClient);
const roleArn = `arn:aws:iam::${ACCOUNT}:role/libs-release-service-role`;

/** CodeBuild and IAM as they are once setup-codebuild has run: the second run must find nothing to do. */
function inPlace(cb: CodeBuildConfig): void {
  const config = adminConfig('/x', { codebuild: cb });
  const project: Project = {
    ...projectDefinition(config, cb, ACCOUNT, roleArn),
    webhook: { filterGroups: webhookFilterGroups(cb), payloadUrl: 'https://hooks' },
  } as Project;
  codebuild.on(BatchGetProjectsCommand).resolves({ projects: [project] });
  codebuild
    .on(ListSourceCredentialsCommand)
    .resolves({ sourceCredentialsInfos: [{ serverType: 'GITHUB', authType: 'PERSONAL_ACCESS_TOKEN' }] });
  iam.on(GetRoleCommand).resolves({
    Role: {
      Arn: roleArn,
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(codebuildTrustPolicy(ACCOUNT))),
    } as never,
  });
  iam.on(GetRolePolicyCommand).resolves({
    PolicyDocument: encodeURIComponent(JSON.stringify(buildPolicy('codebuild', config, ACCOUNT))),
  } as never);
}

/** Nothing exists yet. */
function empty(): void {
  codebuild.on(BatchGetProjectsCommand).resolves({ projects: [], projectsNotFound: ['libs-release'] });
  codebuild.on(ListSourceCredentialsCommand).resolves({ sourceCredentialsInfos: [] });
  codebuild.on(ImportSourceCredentialsCommand).resolves({});
  codebuild.on(CreateProjectCommand).callsFake((input) => ({ project: { ...input } }));
  codebuild.on(CreateWebhookCommand).resolves({ webhook: { payloadUrl: 'https://hooks' } });
  iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: 'no role', $metadata }));
  iam.on(CreateRoleCommand).resolves({ Role: { Arn: roleArn } as never });
  iam.on(GetRolePolicyCommand).rejects(new NoSuchEntityException({ message: 'no policy', $metadata }));
  iam.on(PutRolePolicyCommand).resolves({});
}

describe('setup-codebuild', () => {
  let github: { url: string; close: () => Promise<void> };
  let scopes: string;
  let cb: CodeBuildConfig;

  beforeEach(async () => {
    scopes = 'repo, admin:repo_hook';
    github = await httpServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/user') {
        res.setHeader('x-oauth-scopes', scopes);
        res.end(JSON.stringify({ login: 'admin', id: 1 }));
      } else if (req.url === '/repos/myorg/platform') {
        res.end(JSON.stringify({ full_name: 'myorg/platform', default_branch: 'main', private: true }));
      } else {
        res.statusCode = 404;
        res.end('{"message":"Not Found"}');
      }
    });
    cb = codebuildConfig({ githubApiUrl: github.url });
  });
  afterEach(async () => {
    codebuild.reset();
    iam.reset();
    await github.close();
  });

  const run = (
    options: Partial<Parameters<typeof setupCodebuild>[1]> = {},
    env: Record<string, string> = { GITHUB_TOKEN: 'ghp_x' },
  ) => {
    const io = testIo('/x', env);
    const reports = setupCodebuild(commandContext(adminConfig('/x', { codebuild: cb }), io), {
      dryRun: false,
      remove: false,
      importGithubToken: false,
      roleRetryDelaysMs: [1, 1],
      ...options,
    });
    return { io, reports };
  };

  it('creates the role, the project and the webhook with the PUSH / main / libs filter group', async () => {
    // Prepare
    empty();

    // Act
    const reports = await run().reports;

    // Assess
    expect(reports.map((report) => `${report.title}: ${report.status}`)).toEqual([
      'GitHub token: checked',
      'AWS account: checked',
      'CodeBuild GitHub credentials: created',
      'Service role: created',
      'Project: created',
      'Webhook: created',
    ]);
    expect(codebuild.commandCalls(CreateWebhookCommand)[0]!.args[0].input).toEqual({
      projectName: 'libs-release',
      buildType: 'BUILD',
      filterGroups: [
        [
          { type: 'EVENT', pattern: 'PUSH' },
          { type: 'HEAD_REF', pattern: '^refs/heads/main$' },
          { type: 'FILE_PATH', pattern: '^libs/' },
        ],
      ],
    });
    const project = codebuild.commandCalls(CreateProjectCommand)[0]!.args[0].input;
    expect(project.serviceRole).toBe(roleArn);
    expect(project.source).toMatchObject({
      type: 'GITHUB',
      location: 'https://github.com/myorg/platform.git',
      gitCloneDepth: 0,
    });
    expect(codebuild.commandCalls(ImportSourceCredentialsCommand)[0]!.args[0].input).toEqual({
      token: 'ghp_x',
      serverType: 'GITHUB',
      authType: 'PERSONAL_ACCESS_TOKEN',
      shouldOverwrite: false,
    });
    expect(
      JSON.parse(iam.commandCalls(CreateRoleCommand)[0]!.args[0].input.AssumeRolePolicyDocument!),
    ).toEqual(codebuildTrustPolicy(ACCOUNT));
  });

  it('changes nothing when everything is already as configured', async () => {
    inPlace(cb);

    const { io, reports } = run();

    expect((await reports).map((report) => report.status)).toEqual([
      'checked',
      'checked',
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    expect(io.out()).toContain('Nothing changed: everything was already in place.');
  });

  it('refuses a token without the webhook scope, before touching AWS', async () => {
    scopes = 'repo';
    empty();

    const error = (await run().reports.catch((caught: unknown) => caught)) as Error & {
      details?: { fix?: string };
    };

    expect(error.message).toContain('admin:repo_hook');
    expect(error.details?.fix).toBe(troubles.githubScopes.fix);
    expect(codebuild.calls()).toHaveLength(0);
  });

  it('needs GITHUB_TOKEN and a codebuild section', async () => {
    await expect(run({}, {}).reports).rejects.toThrow('GITHUB_TOKEN is not set');
    const io = testIo('/x', { GITHUB_TOKEN: 't' });
    await expect(
      setupCodebuild(commandContext(adminConfig('/x'), io), {
        dryRun: false,
        remove: false,
        importGithubToken: false,
      }),
    ).rejects.toThrow('the config has no "codebuild" section');
  });

  it('updates what drifted: trust policy, role policy, project and webhook filters', async () => {
    inPlace(cb);
    iam
      .on(GetRoleCommand)
      .resolves({ Role: { Arn: roleArn, AssumeRolePolicyDocument: encodeURIComponent('{}') } as never });
    iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: encodeURIComponent('{}') } as never);
    codebuild.on(BatchGetProjectsCommand).resolves({
      projects: [
        {
          name: 'libs-release',
          webhook: { filterGroups: [[{ type: 'EVENT', pattern: 'PULL_REQUEST_CREATED' }]] },
        },
      ],
    });
    codebuild.on(UpdateProjectCommand).resolves({ project: { name: 'libs-release' } });
    codebuild.on(UpdateWebhookCommand).resolves({});

    const reports = await run().reports;

    expect(reports.slice(3).map((report) => report.status)).toEqual(['updated', 'updated', 'updated']);
    expect(reports[3]!.detail).toBe(
      'updated trust policy and policy codeartifact-publish of role libs-release-service-role',
    );
    expect(iam.commandCalls(UpdateAssumeRolePolicyCommand)).toHaveLength(1);
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(1);
    expect(codebuild.commandCalls(UpdateWebhookCommand)[0]!.args[0].input.filterGroups).toEqual(
      webhookFilterGroups(cb),
    );
  });

  it('reports drift without fixing it in a dry run, and can replace the GitHub credential', async () => {
    inPlace(cb);
    iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: encodeURIComponent('{}') } as never);
    codebuild.on(BatchGetProjectsCommand).resolves({ projects: [{ name: 'libs-release' }] });

    const reports = await run({ dryRun: true, importGithubToken: true }).reports;

    expect(reports.slice(2).map((report) => report.status)).toEqual([
      'would-update',
      'would-update',
      'would-update',
      'would-create',
    ]);
    expect(iam.commandCalls(PutRolePolicyCommand)).toHaveLength(0);
    expect(codebuild.commandCalls(ImportSourceCredentialsCommand)).toHaveLength(0);
  });

  it('explains that CodeBuild cannot reach GitHub when the webhook fails with OAuthProviderException', async () => {
    empty();
    codebuild
      .on(CreateWebhookCommand)
      .rejects(new OAuthProviderException({ message: 'no access', $metadata }));
    const { io, reports } = run();

    const error = (await reports.catch((caught: unknown) => caught)) as Error & {
      details?: { fix?: string };
    };

    expect(error.details?.fix).toBe(troubles.codebuildGithub.fix);
    expect(io.out()).toMatch(/created +Project: created project libs-release/);
  });

  it('removes the webhook, the project and the role, then finds nothing left to remove', async () => {
    inPlace(cb);
    codebuild.on(DeleteWebhookCommand).resolves({});
    codebuild.on(DeleteProjectCommand).resolves({});
    iam.on(DeleteRolePolicyCommand).resolves({});
    iam.on(DeleteRoleCommand).resolves({});

    const first = await run({ remove: true }, {}).reports;
    codebuild.on(BatchGetProjectsCommand).resolves({ projects: [] });
    iam.on(DeleteRolePolicyCommand).rejects(new NoSuchEntityException({ message: 'gone', $metadata }));
    iam.on(DeleteRoleCommand).rejects(new NoSuchEntityException({ message: 'gone', $metadata }));
    const second = await run({ remove: true }, {}).reports;
    const dry = await run({ remove: true, dryRun: true }, {}).reports;

    expect(first.map((report) => `${report.status} ${report.detail}`)).toEqual([
      'removed removed project libs-release and its webhook',
      'removed removed role libs-release-service-role',
    ]);
    expect(second.map((report) => report.status)).toEqual(['unchanged', 'unchanged']);
    expect(dry.map((report) => report.status)).toEqual(['unchanged', 'would-remove']);
    expect(codebuild.commandCalls(DeleteWebhookCommand)).toHaveLength(1);
  });
});

describe('the service role and the project on their own', () => {
  const iamClient = new IAMClient({ region: 'us-east-1' });
  const codebuildClient = new CodeBuildClient({ region: 'us-east-1' });
  const cb = codebuildConfig({ githubApiUrl: 'http://unused' });
  const definition = projectDefinition(adminConfig('/x'), cb, ACCOUNT, roleArn);
  afterEach(() => {
    codebuild.reset();
    iam.reset();
  });

  it('waits for a new role to propagate before CreateProject succeeds', async () => {
    codebuild.on(BatchGetProjectsCommand).resolves({ projects: [] });
    codebuild
      .on(CreateProjectCommand)
      .rejectsOnce(
        new InvalidInputException({
          message: 'CodeBuild is not authorized to perform: sts:AssumeRole on service role',
          $metadata,
        }),
      )
      .resolves({ project: { name: 'libs-release' } });

    const outcome = await ensureProject(codebuildClient, definition, {
      dryRun: false,
      roleRetryDelaysMs: [1],
    });

    expect(outcome.status).toBe('created');
    expect(codebuild.commandCalls(CreateProjectCommand)).toHaveLength(2);
  });

  it('gives up when the role never becomes usable, and handles a concurrent create', async () => {
    codebuild.on(BatchGetProjectsCommand).resolves({ projects: [] });
    codebuild
      .on(CreateProjectCommand)
      .rejects(new InvalidInputException({ message: 'invalid service role', $metadata }));
    await expect(
      ensureProject(codebuildClient, definition, { dryRun: false, roleRetryDelaysMs: [1] }),
    ).rejects.toThrow('CreateProject failed: InvalidInputException');

    codebuild.reset();
    codebuild
      .on(BatchGetProjectsCommand)
      .resolvesOnce({ projects: [] })
      .resolves({ projects: [definition as Project] });
    codebuild
      .on(CreateProjectCommand)
      .rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata }));
    expect((await ensureProject(codebuildClient, definition, { dryRun: false })).status).toBe('unchanged');
  });

  it('reads back a role created concurrently and passes other failures on', async () => {
    iam
      .on(GetRoleCommand)
      .rejectsOnce(new NoSuchEntityException({ message: 'no', $metadata }))
      .resolves({
        Role: {
          Arn: roleArn,
          AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(codebuildTrustPolicy(ACCOUNT))),
        } as never,
      });
    iam.on(CreateRoleCommand).rejects(new EntityAlreadyExistsException({ message: 'exists', $metadata }));
    iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: encodeURIComponent('{"a":1}') } as never);
    iam.on(PutRolePolicyCommand).resolves({});
    const input = {
      roleName: 'r',
      trustPolicy: codebuildTrustPolicy(ACCOUNT),
      policy: buildPolicy('codebuild', adminConfig('/x'), ACCOUNT),
      dryRun: false,
    };

    const outcome = await ensureServiceRole(iamClient, input);

    expect(outcome).toMatchObject({
      status: 'updated',
      roleArn,
      detail: 'updated policy codeartifact-publish of role r',
    });
    iam.on(GetRoleCommand).rejects(new ResourceNotFoundException({ message: 'x', $metadata }));
    iam.on(GetRoleCommand).rejects(Object.assign(new Error('boom'), { name: 'ServiceFailure' }));
    await expect(ensureServiceRole(iamClient, input)).rejects.toThrow('GetRole failed: ServiceFailure: boom');
  });
});
