/**
 * `tf/iam-wildcard`: permissions that amount to "everything, everywhere" or "anyone".
 *
 * - AWS: a policy statement with Effect "Allow", Action "*" and Resource "*" (full
 *   administrator access) in `aws_iam_policy`, `aws_iam_role_policy`, `aws_iam_user_policy`,
 *   `aws_iam_group_policy`, the `inline_policy` blocks of `aws_iam_role`, and the `statement`
 *   blocks of `data "aws_iam_policy_document"` (whose effect defaults to Allow). A policy is
 *   read from `jsonencode({...})`, where each value is checked on its own so a statement with
 *   a literal Action and Resource is found even when the rest of the policy is not static, or
 *   from a JSON string or heredoc without interpolations. A statement with a Condition is still
 *   reported: a condition narrows when the access applies, not what it allows.
 * - Google Cloud: a project, folder or organization IAM member or binding that grants a role to
 *   `allUsers` (anyone on the internet) or `allAuthenticatedUsers` (any Google account).
 * - Azure: an `azurerm_role_definition` whose permissions allow every action (`"*"`) with no
 *   `not_actions`, at subscription or management-group scope (a literal scope, or a reference
 *   to the `id` of an `azurerm_subscription` or `azurerm_management_group`).
 */
import type { Range } from '../../core/types';
import type { Block, Expression, Reference } from '../model';
import { address, type Report, type SecurityModule, type SecurityRule } from './context';
import { elementsOf, matchingElements, matchingValue, nestedBlocks, staticString, stringOf, unwrap } from './values';

export const iamWildcard: SecurityRule = {
  id: 'tf/iam-wildcard',
  defaultSeverity: 'warning',
  description: 'IAM should not grant every action on every resource (AWS "*" on "*", Azure custom roles with "*"), nor grant roles to allUsers or allAuthenticatedUsers on Google Cloud projects.',
  check(module, report) {
    checkAwsPolicies(module, report);
    checkAwsPolicyDocuments(module, report);
    checkGoogle(module, report);
    checkAzure(module, report);
  },
};

const AWS_ADVICE = 'Grant only the actions the principal needs, on the resources it needs them for.';

// ---------------------------------------------------------------------------------------------
// AWS policies written as JSON: one shape for `jsonencode({...})` and for parsed JSON text.

interface PolicyNode {
  /** Where to report: the value itself in HCL, the whole string for JSON text. */
  range: Range;
  /** A string, when known. */
  text?: string;
  object?: Map<string, PolicyNode>;
  array?: PolicyNode[];
}

function fromExpression(expression: Expression): PolicyNode {
  const inner = unwrap(expression);
  const node: PolicyNode = { range: inner.range };
  if (inner.kind === 'object') {
    node.object = new Map((inner.entries ?? []).flatMap((entry) => (entry.name === undefined ? [] : [[entry.name, fromExpression(entry.value)] as const])));
  } else if (inner.kind === 'tuple') {
    node.array = (inner.elements ?? []).map(fromExpression);
  } else if (inner.isStatic && typeof inner.value === 'string') {
    node.text = inner.value;
  }
  return node;
}

function fromJson(value: unknown, range: Range): PolicyNode {
  if (typeof value === 'string') return { range, text: value };
  if (Array.isArray(value)) return { range, array: value.map((element) => fromJson(element, range)) };
  if (typeof value === 'object' && value !== null) return { range, object: new Map(Object.entries(value).map(([key, v]) => [key, fromJson(v, range)])) };
  return { range };
}

/** The policy document an argument holds, when it is `jsonencode({...})` or JSON text known statically. */
function policyOf(expression: Expression): PolicyNode | undefined {
  const inner = unwrap(expression);
  const call = inner.kind === 'call' ? inner.call : undefined;
  if (call) return call.name === 'jsonencode' && call.args.length === 1 && !call.expandFinal ? fromExpression(call.args[0]) : undefined;
  if (!inner.isStatic || typeof inner.value !== 'string') return undefined;
  try {
    return fromJson(JSON.parse(inner.value), inner.range);
  } catch {
    return undefined;
  }
}

/** `"*"`, or a list with a `"*"`: the node to report. */
function wildcard(node: PolicyNode | undefined): PolicyNode | undefined {
  if (!node) return undefined;
  if (node.text === '*') return node;
  return node.array?.find((element) => element.text === '*');
}

/** The Action wildcards of the statements that allow every action on every resource. */
function adminStatements(policy: PolicyNode): PolicyNode[] {
  const statement = policy.object?.get('Statement');
  const statements = statement?.array ?? (statement?.object ? [statement] : []);
  return statements.flatMap((s) => {
    const fields = s.object;
    if (!fields || fields.get('Effect')?.text !== 'Allow') return [];
    const action = wildcard(fields.get('Action'));
    return action && wildcard(fields.get('Resource')) ? [action] : [];
  });
}

function checkPolicy(report: Report, uri: string, expression: Expression | undefined, subject: string): void {
  const policy = expression && policyOf(expression);
  if (!policy) return;
  const seen = new Set<string>();
  for (const action of adminStatements(policy)) {
    // Statements inside JSON text all share the string's range: one finding for the string.
    const key = JSON.stringify(action.range);
    if (seen.has(key)) continue;
    seen.add(key);
    report(uri, action.range, `${subject} allows every action ("*") on every resource ("*"), which is full administrator access. ${AWS_ADVICE}`);
  }
}

const AWS_POLICY_RESOURCES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];

function checkAwsPolicies(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.resourcesOf(AWS_POLICY_RESOURCES)) {
    checkPolicy(report, uri, block.attributes.get('policy')?.expression, `Policy ${address(block)}`);
  }
  for (const { uri, block } of module.resources('aws_iam_role')) {
    for (const inline of nestedBlocks(block, 'inline_policy')) {
      checkPolicy(report, uri, inline.attributes.get('policy')?.expression, `An inline policy of ${address(block)}`);
    }
  }
}

function checkAwsPolicyDocuments(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.dataSources('aws_iam_policy_document')) {
    for (const statement of nestedBlocks(block, 'statement')) {
      // The effect defaults to Allow; one that is not a literal is not guessed.
      if (statement.attributes.has('effect') && staticString(statement, 'effect') !== 'Allow') continue;
      const isStar = (value: string): boolean => value === '*';
      const actions = matchingElements(statement, 'actions', isStar);
      if (actions.length === 0 || matchingElements(statement, 'resources', isStar).length === 0) continue;
      report(uri, actions[0].range, `A statement of ${address(block)} allows every action ("*") on every resource ("*"), which is full administrator access. ${AWS_ADVICE}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Google Cloud

const PUBLIC_MEMBERS: Record<string, string> = {
  allUsers: 'allUsers (anyone on the internet, without signing in)',
  allAuthenticatedUsers: 'allAuthenticatedUsers (anyone with a Google account)',
};

const GOOGLE_LEVELS: Record<string, string> = { project: 'project', folder: 'folder', organization: 'organization' };

function checkGoogle(module: SecurityModule, report: Report): void {
  for (const [prefix, level] of Object.entries(GOOGLE_LEVELS)) {
    for (const { uri, block } of module.resourcesOf([`google_${prefix}_iam_member`, `google_${prefix}_iam_binding`])) {
      const isPublic = (value: string): boolean => value in PUBLIC_MEMBERS;
      const members = [...matchingValue(block, 'member', isPublic), ...matchingElements(block, 'members', isPublic)];
      const role = staticString(block, 'role');
      const what = role === undefined ? 'a role' : role === 'roles/owner' || role === 'roles/editor' ? `${role} (control of nearly everything in it)` : role;
      for (const member of members) {
        const name = stringOf(unwrap(member)) ?? '';
        report(uri, member.range, `${address(block)} grants ${what} on the whole ${level} to ${PUBLIC_MEMBERS[name]}. Grant roles to specific users, groups or service accounts instead.`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Azure

/** The traversal an expression is, also when written `"${...}"`. */
function traversalOf(expression: Expression): Reference | undefined {
  const inner = unwrap(expression);
  if (inner.kind === 'reference') return inner.traversal;
  return inner.interpolationOnly && inner.references.length === 1 ? inner.references[0] : undefined;
}

/** `the subscription`, `the management group`, or undefined for a narrower or unknown scope. */
function broadScope(expression: Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const text = stringOf(unwrap(expression));
  if (text !== undefined) {
    if (/^\/subscriptions\/[^/]+\/?$/i.test(text)) return 'the whole subscription';
    if (/^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+\/?$/i.test(text)) return 'the whole management group';
    return undefined;
  }
  const traversal = traversalOf(expression);
  if (!traversal) return undefined;
  const names = traversal.steps.map((step) => (step.kind === 'attribute' ? step.name : '[]'));
  const path = [traversal.root, ...names];
  const last = path[path.length - 1];
  if (last !== 'id') return undefined;
  if (path[0] === 'data' && path[1] === 'azurerm_subscription' && path.length === 4) return 'the whole subscription';
  if (path[0] === 'data' && path[1] === 'azurerm_management_group' && path.length === 4) return 'the whole management group';
  if (path[0] === 'azurerm_management_group' && path.length === 3) return 'the whole management group';
  return undefined;
}

function checkAzure(module: SecurityModule, report: Report): void {
  for (const { uri, block } of module.resources('azurerm_role_definition')) {
    const scope = broadScope(block.attributes.get('scope')?.expression);
    if (!scope) continue;
    for (const permissions of nestedBlocks(block, 'permissions')) {
      if (!noExclusions(permissions)) continue;
      const star = matchingElements(permissions, 'actions', (value) => value === '*')[0];
      if (!star) continue;
      report(
        uri,
        star.range,
        `Custom role ${address(block)} allows every action ("*") across ${scope}, the same power as the built-in Owner role. List the actions the role needs, or exclude the dangerous ones with not_actions as the built-in Contributor role does.`,
      );
    }
  }
}

/** True when `not_actions` is absent or a literal empty list. */
function noExclusions(permissions: Block): boolean {
  const notActions = permissions.attributes.get('not_actions')?.expression;
  if (!notActions) return true;
  const elements = elementsOf(notActions);
  return elements !== undefined && elements.length === 0;
}
