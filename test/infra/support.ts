import * as fs from 'node:fs';
import * as path from 'node:path';
import type { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createApp } from '../../infra/crm-merge-app';
import type { CrmMergeStack } from '../../infra/crm-merge-stack';

/**
 * The app exactly as `cdk synth` builds it (cdk.json's context, i.e. its feature flags, included) but with asset
 * bundling skipped, so no esbuild run per function. Not synthesized yet.
 */
export function createTestApp(): { app: App; stack: CrmMergeStack } {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return createApp({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
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
