import * as fs from 'node:fs';
import * as path from 'node:path';
import type { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createApp } from '../../infra/crm-merge-app';
import type { CrmMergeStack } from '../../infra/crm-merge-stack';

/**
 * The app exactly as `cdk synth` builds it (cdk.json's context, i.e. its feature flags, included) but with asset
 * bundling skipped, so no esbuild run per function; `context` adds `-c` values. Not synthesized yet.
 */
export function createTestApp(context: Record<string, unknown> = {}): { app: App; stack: CrmMergeStack } {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return createApp({ context: { ...cdkJson.context, ...context, 'aws:cdk:bundling-stacks': [] } });
}

/**
 * {@link createTestApp} and its stack's template (synthesizing runs the app's cdk-nag plugin, so this throws on an
 * unacknowledged finding). Build it once per test file and share the template across assertions.
 */
export function buildApp(): { app: App; stack: CrmMergeStack; template: Template } {
  const { app, stack } = createTestApp();
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id of a construct's CloudFormation resource (an L2's default child). */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return element.stack.getLogicalId(element);
}

/** Logical ids of the storage resources that IAM statements name. */
export function storageIds(storage: CrmMergeStack['storage']): Record<'input' | 'work' | 'reports' | 'profiles' | 'runs' | 'key' | 'salt', string> {
  return {
    input: logicalId(storage.inputBucket),
    work: logicalId(storage.workBucket),
    reports: logicalId(storage.reportsBucket),
    profiles: logicalId(storage.profileTable),
    runs: logicalId(storage.runsTable),
    key: logicalId(storage.key),
    salt: logicalId(storage.tombstoneSaltSecret),
  };
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An IAM policy statement as synthesized. */
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: Json;
  Condition?: Record<string, Record<string, Json>>;
}

export interface Resource {
  Type: string;
  Properties: Record<string, Json>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export function resources(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/** Every statement of every AWS::IAM::Policy attached to the role, plus the role's inline policies. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const statements: Statement[] = [];
  for (const policy of Object.values(resources(template, 'AWS::IAM::Policy'))) {
    const roles = (policy.Properties.Roles ?? []) as Json[];
    if (!roles.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }))) continue;
    statements.push(...((policy.Properties.PolicyDocument as unknown as { Statement?: Statement[] }).Statement ?? []));
  }
  const role = resources(template, 'AWS::IAM::Role')[roleLogicalId];
  for (const inline of (role?.Properties.Policies ?? []) as unknown as { PolicyDocument: { Statement: Statement[] } }[]) {
    statements.push(...inline.PolicyDocument.Statement);
  }
  return statements;
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return regex.test(action);
}

/**
 * The Allow statements of a role that grant `action` on a resource whose ARN expression mentions `resourceLogicalId`
 * (or on "*"; any resource when it is omitted). Conditions are not evaluated: callers inspect them.
 */
export function grants(statements: Statement[], action: string, resourceLogicalId?: string): Statement[] {
  return statements.filter(
    (statement) =>
      statement.Effect === 'Allow' &&
      asList(statement.Action).some((pattern) => actionMatches(pattern, action)) &&
      asList(statement.Resource).some(
        (resource) =>
          resourceLogicalId === undefined || resource === '*' || JSON.stringify(resource).includes(`"${resourceLogicalId}"`),
      ),
  );
}

/** Concrete values for rendering a synthesized ARN: pseudo parameters and a few resources' Refs. */
export interface RenderContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** `Ref` of a resource by logical id (e.g. a RestApi's id); a Stage's Ref is its StageName without an entry here. */
  readonly refs?: Readonly<Record<string, string>>;
}

export const SAMPLE_ENVIRONMENT: RenderContext = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };

/**
 * A synthesized value (string, Fn::Join, Ref, Fn::GetAtt of a known attribute) as a concrete string, the way
 * CloudFormation would resolve it in `context`. Throws on anything it cannot resolve, so a test never compares a
 * half-rendered ARN.
 */
export function renderValue(template: Template, value: Json, context: RenderContext): string {
  const all = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
  const render = (node: Json): string => {
    if (typeof node === 'string') return node;
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      const join = node['Fn::Join'];
      if (Array.isArray(join)) return (join[1] as Json[]).map(render).join(String(join[0]));
      const ref = node.Ref;
      if (typeof ref === 'string') {
        const pseudo: Record<string, string> = {
          'AWS::Partition': context.partition,
          'AWS::Region': context.region,
          'AWS::AccountId': context.account,
          'AWS::URLSuffix': 'amazonaws.com',
        };
        if (ref in pseudo) return pseudo[ref];
        if (context.refs?.[ref] !== undefined) return context.refs[ref];
        const resource = all[ref];
        if (resource?.Type === 'AWS::ApiGateway::Stage') return String(resource.Properties.StageName);
      }
    }
    throw new Error(`cannot render ${JSON.stringify(node)}`);
  };
  return render(value);
}

/**
 * IAM's decision for one request: an explicit Deny wins, else any Allow, else implicitly denied. Statements must be
 * plain (Action and Resource, no conditions, no NotAction/NotResource): the evaluator refuses anything else rather
 * than guess. Resources are matched with IAM's ARN wildcards (`*` crosses `/`).
 */
export function iamDecision(
  statements: readonly Statement[],
  action: string,
  resourceArn: string,
  renderResource: (resource: Json) => string,
  arnMatches: (pattern: string, value: string) => boolean,
): 'allow' | 'explicit-deny' | 'implicit-deny' {
  let allowed = false;
  for (const statement of statements) {
    const raw = statement as unknown as Record<string, unknown>;
    if ('NotAction' in raw || 'NotResource' in raw || statement.Condition !== undefined)
      throw new Error(`iamDecision does not evaluate conditions or Not* elements: ${JSON.stringify(statement)}`);
    if (!asList(statement.Action).some((pattern) => actionMatches(pattern, action))) continue;
    if (!asList(statement.Resource).some((resource) => arnMatches(renderResource(resource), resourceArn))) continue;
    if (statement.Effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}
