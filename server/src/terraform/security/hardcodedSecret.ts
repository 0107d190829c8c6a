/**
 * `tf/hardcoded-secret`: a password, token or key written as a literal in the code, where
 * everyone who can read the repository (and its history, forever) can read it too.
 *
 * Looked for in:
 * - provider blocks (and their nested blocks): every argument whose name says secret
 *   (`secret_key`, `token`, `password`, `client_secret`, `access_key`…); Google's `credentials`
 *   only when it holds a service-account key rather than a file path. An AWS provider with
 *   `skip_credentials_validation = true` is a mock's (LocalStack, tests) and is skipped;
 * - the defaults of variables whose name says secret (`db_password`, `api_key`…), also
 *   inside an object default (`{ password = "..." }`). `sensitive = true` hides a value from
 *   plan output; it does not make a literal default any less stored in the code;
 * - locals, module inputs, resource and data source arguments, and the `terraform` block's
 *   backend and cloud settings, whose name says secret; and the arguments that hold a secret
 *   whatever their name (`azurerm_key_vault_secret.value`, a SecureString `aws_ssm_parameter`'s
 *   value, `github_actions_secret.plaintext_value`, every entry of a `kubernetes_secret`'s data).
 *
 * A name "says secret" when it ends with a secret word (password, passphrase, secret, token,
 * or a key such as api_key, access_key, private_key), optionally followed by a word for its
 * value (`secret_string`, `password_wo`). Names that merely mention one (`password_length`,
 * `secret_name`, `token_ttl`, `kms_key_id`) do not. Only non-empty literal strings are
 * reported, never references, calls or interpolations, and never values that point to a
 * secret instead of holding one (a file path, an ARN, a Secret Manager name).
 *
 * Messages never include the value.
 */
import type { Block, Expression } from '../model';
import { address, type Report, type SecurityModule, type SecurityRule } from './context';
import { staticBool, staticString, unwrap } from './values';

export const hardcodedSecret: SecurityRule = {
  id: 'tf/hardcoded-secret',
  defaultSeverity: 'warning',
  description: 'Passwords, tokens and keys should not be written as literals in provider blocks, variable defaults, locals or arguments.',
  check(module, report) {
    checkProviders(module, report);
    checkVariables(module, report);
    checkOthers(module, report);
  },
};

// ---------------------------------------------------------------------------------------------
// Names and values.

const SECRET_WORDS = new Set(['password', 'passwords', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'apikey', 'apikeys']);
/** Words that make `..._key` a secret: `api_key`, `secret_key`, `private_key`, `account_key`… */
const KEY_QUALIFIERS = new Set(['api', 'access', 'secret', 'private', 'client', 'app', 'application', 'auth', 'signing', 'master', 'shared', 'account', 'storage', 'primary', 'secondary', 'subscription', 'license', 'admin']);
/** `creation_token`, `next_token`: idempotency and pagination tokens, not credentials. */
const NOT_SECRET_TOKENS = new Set(['creation', 'idempotency', 'continuation', 'next', 'pagination', 'page', 'request']);
/** Trailing words that name the value of the secret rather than something about it. */
const VALUE_WORDS = new Set(['value', 'string', 'data', 'text', 'plaintext', 'pem', 'wo', 'b64', 'base64', 'raw', 'literal']);

const ENCODERS = new Set(['jsonencode', 'yamlencode', 'base64encode', 'sensitive', 'nonsensitive', 'tostring']);

/** The words of a name: `dbPassword`, `db_password` and `db-password` are all `db password`. */
function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[_\-.\s]+/).filter((word) => word !== '');
}

export function looksSecret(name: string): boolean {
  const parts = words(name);
  while (parts.length > 1 && VALUE_WORDS.has(parts[parts.length - 1])) parts.pop();
  const last = parts[parts.length - 1];
  if (last === undefined) return false;
  if (SECRET_WORDS.has(last)) return !(last === 'token' && parts.length > 1 && NOT_SECRET_TOKENS.has(parts[parts.length - 2]));
  if ((last === 'key' || last === 'keys') && parts.length > 1) return KEY_QUALIFIERS.has(parts[parts.length - 2]);
  return last === 'string' && parts[parts.length - 2] === 'connection';
}

const SETTING_WORDS = new Set(['required', 'optional', 'enabled', 'disabled', 'true', 'false', 'none', 'auto']);

/** A non-empty literal string that holds a secret, as opposed to pointing to one. */
function isSecretLiteral(value: string): boolean {
  const text = value.trim();
  if (text === '') return false;
  // File paths, ARNs and secret-store names point to a secret.
  if (/^(~|\.{1,2})?\/\S*$/.test(text) || /^[A-Za-z]:\\/.test(text)) return false;
  if (/^arn:aws[\w-]*:/.test(text)) return false;
  if (/^projects\/[^/]+\/secrets\//.test(text)) return false;
  if (/^https:\/\/[^/]+\.vault\.azure\.net\//i.test(text)) return false;
  // A mode, not a credential: `http_tokens = "required"` (IMDSv2), `token = "disabled"`.
  if (SETTING_WORDS.has(text.toLowerCase())) return false;
  // Placeholders for another tool to fill in: `$DB_PASSWORD`, `{{ db_password }}`.
  if (/^\$[A-Za-z_]\w*$/.test(text) || /^\{\{.*\}\}$/.test(text)) return false;
  return true;
}

/**
 * Arguments that hold a secret whatever their name: the value of a secret-store entry, the
 * data of a Kubernetes Secret (every entry). `aws_ssm_parameter`'s value counts only for a
 * SecureString parameter.
 */
const SECRET_ARGUMENTS: Record<string, { name: string; everyEntry?: boolean; when?: (block: Block) => boolean }[]> = {
  azurerm_key_vault_secret: [{ name: 'value' }],
  aws_ssm_parameter: [{ name: 'value', when: (block) => staticString(block, 'type') === 'SecureString' }, { name: 'insecure_value', when: (block) => staticString(block, 'type') === 'SecureString' }],
  github_actions_secret: [{ name: 'plaintext_value' }],
  github_actions_environment_secret: [{ name: 'plaintext_value' }],
  github_dependabot_secret: [{ name: 'plaintext_value' }],
  github_codespaces_secret: [{ name: 'plaintext_value' }],
  kubernetes_secret: [{ name: 'data', everyEntry: true }, { name: 'binary_data', everyEntry: true }],
  kubernetes_secret_v1: [{ name: 'data', everyEntry: true }, { name: 'binary_data', everyEntry: true }],
};

/** Is `name`, an argument of the top level of `block`, one that holds a secret? */
function secretArgument(block: Block, name: string): { everyEntry: boolean } | undefined {
  if (block.type !== 'resource' || block.labels.length !== 2) return undefined;
  const argument = SECRET_ARGUMENTS[block.labels[0].value]?.find((a) => a.name === name && (a.when?.(block) ?? true));
  return argument ? { everyEntry: argument.everyEntry ?? false } : undefined;
}

/**
 * The literal secrets in a value: the value itself when it is a literal string, the elements
 * of a list, and the entries of an object whose key says secret.
 */
function literalSecrets(expression: Expression, nameIsSecret: boolean, everyEntry = false): Expression[] {
  const inner = unwrap(expression);
  if (inner.kind === 'object') {
    return (inner.entries ?? []).flatMap((entry) => (entry.name === undefined ? [] : literalSecrets(entry.value, everyEntry || looksSecret(entry.name), everyEntry)));
  }
  if (!nameIsSecret) return [];
  // `jsonencode({ password = "..." })`: the literal is still in the code.
  if (inner.kind === 'call' && inner.call && ENCODERS.has(inner.call.name)) return inner.call.args.flatMap((arg) => literalSecrets(arg, true));
  if (inner.kind === 'tuple') return (inner.elements ?? []).flatMap((element) => literalSecrets(element, true));
  return inner.isStatic && typeof inner.value === 'string' && isSecretLiteral(inner.value) ? [inner] : [];
}

// ---------------------------------------------------------------------------------------------
// Providers

/** Where each provider can read its credentials from instead. */
const PROVIDER_ADVICE: Record<string, string> = {
  aws: 'let the provider find credentials itself (the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables, a profile, an IAM role or OIDC)',
  azurerm: 'let the provider find credentials itself (ARM_CLIENT_SECRET, a managed identity, OIDC or the Azure CLI)',
  azuread: 'let the provider find credentials itself (ARM_CLIENT_SECRET, a managed identity, OIDC or the Azure CLI)',
  google: 'let the provider find credentials itself (GOOGLE_CREDENTIALS, application default credentials or workload identity)',
};

function checkProviders(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.blocks('provider')) {
    const provider = block.labels[0]?.value ?? '';
    // An AWS provider that skips credential validation talks to a mock (LocalStack, tests): its keys are placeholders.
    if (provider === 'aws' && staticBool(block, 'skip_credentials_validation') === true) continue;
    const advice = PROVIDER_ADVICE[provider] ?? 'pass it through an environment variable the provider reads, or a variable with no default marked sensitive';
    const visit = (body: Block, path: string): void => {
      for (const attribute of body.attributes.values()) {
        const where = `${path}${attribute.name}`;
        let found: Expression[];
        if (provider === 'google' && attribute.name === 'credentials') {
          // `credentials` is either a key file's path or its content: only the content is a secret.
          const inner = unwrap(attribute.expression);
          found = inner.isStatic && typeof inner.value === 'string' && /private_key|-----BEGIN/.test(inner.value) ? [inner] : [];
        } else {
          found = literalSecrets(attribute.expression, looksSecret(attribute.name));
        }
        for (const secret of found) {
          report(uri, secret.range, `The ${provider} provider's ${where} argument holds a literal secret, readable by anyone with access to the repository. Remove it and ${advice}.`);
        }
      }
      for (const child of body.blocks) visit(child, `${path}${child.type}.`);
    };
    visit(block, '');
  }
}

// ---------------------------------------------------------------------------------------------
// Variables

function checkVariables(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.blocks('variable')) {
    const name = block.labels[0]?.value;
    const value = block.attributes.get('default')?.expression;
    if (name === undefined || !value) continue;
    const sensitive = block.attributes.get('sensitive')?.expression;
    const note = sensitive?.isStatic && sensitive.value === true ? ' sensitive = true only hides it from plan output; it is still stored in the code.' : '';
    for (const secret of literalSecrets(value, looksSecret(name))) {
      report(
        uri,
        secret.range,
        `The default of variable "${name}" is a literal secret, stored in the code and readable by anyone with access to the repository.${note} Remove the default and pass the value at run time (TF_VAR_${name}, a secret store, or your CI's secrets).`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Locals, module inputs, resource and data source arguments

function checkOthers(module: SecurityModule, report: Report): void {
  const advice = 'Read it from a secret store (a data source such as aws_secretsmanager_secret_version, google_secret_manager_secret_version or azurerm_key_vault_secret), or pass it in through a variable with no default marked sensitive.';
  const reportAll = (uri: string, expression: Expression, name: string, subject: string, known?: { everyEntry: boolean }): void => {
    for (const secret of literalSecrets(expression, known !== undefined || looksSecret(name), known?.everyEntry)) {
      report(uri, secret.range, `${subject} is a literal secret in the code, readable by anyone with access to the repository. ${advice}`);
    }
  };
  for (const { uri, block } of module.blocks('locals')) {
    for (const attribute of block.attributes.values()) reportAll(uri, attribute.expression, attribute.name, `local.${attribute.name}`);
  }
  const blocks = [...module.blocks('terraform'), ...module.blocks('module'), ...module.blocks('resource'), ...module.blocks('data')];
  for (const { uri, block } of blocks) {
    const visit = (body: Block, path: string): void => {
      for (const attribute of body.attributes.values()) {
        if (block.type === 'module' && path === '' && MODULE_META_ARGUMENTS.has(attribute.name)) continue;
        const name = `${path}${attribute.name}`;
        const subject = block.type === 'module' ? `The input "${name}" of module "${block.labels[0]?.value ?? ''}"`
          : block.type === 'terraform' ? `The argument "${name}" of the terraform block`
          : `The argument "${name}" of ${address(block)}`;
        reportAll(uri, attribute.expression, attribute.name, subject, path === '' ? secretArgument(block, attribute.name) : undefined);
      }
      for (const child of body.blocks) if (child.type !== 'lifecycle') visit(child, `${path}${child.type}.`);
    };
    visit(block, '');
  }
}

const MODULE_META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
