/**
 * A small local stand-in for the AWS Systems Manager (SSM) Parameter Store JSON API, so a
 * test can point Terraform's AWS provider at 127.0.0.1 (`endpoints { ssm = ... }`), apply an
 * `aws_ssm_parameter` for real, change it behind Terraform's back and see real drift.
 *
 * It speaks the AWS JSON 1.1 protocol as documented in the SSM API reference: `POST /` with
 * `X-Amz-Target: AmazonSSM.<Operation>` and a JSON body; errors are HTTP 400 with
 * `{"__type": "<ErrorName>", "message": ...}` (ParameterNotFound, ParameterAlreadyExists,
 * ValidationException, InvalidResourceId for tagging, InvalidAction for an operation it does
 * not implement). Signatures are
 * not checked: the credentials are dummies and nothing here is live.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeParameter {
  name: string;
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
  description?: string;
  version: number;
  lastModified: number;
  tags: Map<string, string>;
  allowedPattern?: string;
  tier: string;
  dataType: string;
}

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export class FakeAwsSsm {
  readonly parameters = new Map<string, FakeParameter>();
  /** Every operation received, in order, for tests that want to know what the provider asked. */
  readonly operations: string[] = [];
  private server: http.Server | undefined;

  get endpoint(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('The fake SSM server is not listening.');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Changes a parameter as someone would in the AWS console: a new version, Terraform not told. */
  changeOutsideTerraform(name: string, change: { value?: string; tags?: Record<string, string> }): void {
    const parameter = this.parameters.get(name);
    if (!parameter) throw new Error(`No parameter ${name} in the fake SSM.`);
    if (change.value !== undefined) {
      parameter.value = change.value;
      parameter.version++;
      parameter.lastModified = nowSeconds();
    }
    if (change.tags) parameter.tags = new Map(Object.entries(change.tags));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : target;
      this.operations.push(operation);
      let status = 200;
      let body: unknown;
      try {
        if (request.method !== 'POST') throw new AwsError('InvalidAction', `Only POST is supported, not ${request.method}.`);
        const input = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
        body = this.dispatch(operation, input);
      } catch (error) {
        status = 400;
        const type = error instanceof AwsError ? error.type : error instanceof SyntaxError ? 'SerializationException' : 'InternalServerError';
        if (type === 'InternalServerError') status = 500;
        body = { __type: type, message: (error as Error).message };
        response.setHeader('x-amzn-ErrorType', type);
      }
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text), 'x-amzn-RequestId': `fake-${this.operations.length}` });
      response.end(text);
    });
  }

  private dispatch(operation: string, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'PutParameter':
        return this.putParameter(input);
      case 'GetParameter':
        return { Parameter: this.view(this.require(String(input.Name))) };
      case 'GetParameters': {
        const names = (input.Names as string[] | undefined) ?? [];
        return {
          Parameters: names.filter((name) => this.parameters.has(name)).map((name) => this.view(this.parameters.get(name)!)),
          InvalidParameters: names.filter((name) => !this.parameters.has(name)),
        };
      }
      case 'DescribeParameters':
        return { Parameters: this.describe(input) };
      case 'ListTagsForResource':
        return { TagList: [...this.tagged(input).tags].map(([Key, Value]) => ({ Key, Value })) };
      case 'AddTagsToResource': {
        const parameter = this.tagged(input);
        for (const tag of (input.Tags as { Key: string; Value: string }[] | undefined) ?? []) parameter.tags.set(tag.Key, tag.Value);
        return {};
      }
      case 'RemoveTagsFromResource': {
        const parameter = this.tagged(input);
        for (const key of (input.TagKeys as string[] | undefined) ?? []) parameter.tags.delete(key);
        return {};
      }
      case 'DeleteParameter':
        this.require(String(input.Name));
        this.parameters.delete(String(input.Name));
        return {};
      default:
        throw new AwsError('InvalidAction', `The action ${operation} is not valid for this web service.`);
    }
  }

  private putParameter(input: Record<string, unknown>): unknown {
    const name = String(input.Name ?? '');
    if (!name) throw new AwsError('ValidationException', '1 validation error detected: Value null at \'name\' failed to satisfy constraint: Member must not be null');
    const existing = this.parameters.get(name);
    const tags = (input.Tags as { Key: string; Value: string }[] | undefined) ?? [];
    if (existing && input.Overwrite !== true) throw new AwsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    if (existing && tags.length > 0) throw new AwsError('ValidationException', 'Invalid request: tags and overwrite can\'t be used together. To create a parameter with tags, please remove overwrite flag. To update tags on an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.');
    const parameter: FakeParameter = {
      name,
      type: (input.Type as FakeParameter['type'] | undefined) ?? existing?.type ?? 'String',
      value: String(input.Value ?? ''),
      description: (input.Description as string | undefined) ?? existing?.description,
      version: (existing?.version ?? 0) + 1,
      lastModified: nowSeconds(),
      tags: existing?.tags ?? new Map(tags.map((tag) => [tag.Key, tag.Value])),
      allowedPattern: input.AllowedPattern as string | undefined,
      tier: (input.Tier as string | undefined) ?? 'Standard',
      dataType: (input.DataType as string | undefined) ?? 'text',
    };
    this.parameters.set(name, parameter);
    return { Version: parameter.version, Tier: parameter.tier };
  }

  private describe(input: Record<string, unknown>): unknown[] {
    const filters = (input.ParameterFilters as { Key: string; Option?: string; Values: string[] }[] | undefined) ?? [];
    let parameters = [...this.parameters.values()];
    for (const filter of filters) {
      if (filter.Key !== 'Name') continue;
      const option = filter.Option ?? 'Equals';
      parameters = parameters.filter((p) => filter.Values.some((value) => (option === 'BeginsWith' ? p.name.startsWith(value) : p.name === value)));
    }
    return parameters.map((p) => ({
      Name: p.name,
      ARN: arnOf(p.name),
      Type: p.type,
      Description: p.description,
      AllowedPattern: p.allowedPattern,
      LastModifiedDate: p.lastModified,
      LastModifiedUser: `arn:aws:iam::${ACCOUNT}:user/test`,
      Version: p.version,
      Tier: p.tier,
      Policies: [],
      DataType: p.dataType,
    }));
  }

  private require(name: string): FakeParameter {
    const parameter = this.parameters.get(name);
    if (!parameter) throw new AwsError('ParameterNotFound', `Parameter ${name} not found.`);
    return parameter;
  }

  /** The parameter a tagging operation names; these report a missing one as an invalid resource id, not ParameterNotFound. */
  private tagged(input: Record<string, unknown>): FakeParameter {
    if (input.ResourceType !== 'Parameter') throw new AwsError('InvalidResourceType', `The resource type ${String(input.ResourceType)} is not valid for this fake: only Parameter is.`);
    const parameter = this.parameters.get(String(input.ResourceId));
    if (!parameter) throw new AwsError('InvalidResourceId', 'The resource ID is not valid. Verify that you entered the correct ID and try again.');
    return parameter;
  }

  private view(p: FakeParameter): unknown {
    return { Name: p.name, Type: p.type, Value: p.value, Version: p.version, LastModifiedDate: p.lastModified, ARN: arnOf(p.name), DataType: p.dataType };
  }
}

function arnOf(name: string): string {
  return `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
