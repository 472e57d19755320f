import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding on a construct and everything below it (cdk-nag 3: CDK's native
 * `Validations.of(scope).acknowledge`, one rule or one `RuleId[Finding]` per call). The reason must say why this
 * specific finding is acceptable here, not restate the rule.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * The finding text cdk-nag's IAM5 rule reports for a resource ARN that may contain tokens: `Fn::GetAtt` becomes
 * `<LogicalId.Attr>`, `Ref` becomes `<LogicalId>`, `Fn::Join` is joined (mirrors cdk-nag's flattenCfnReference, which
 * its package does not export). Lets an acknowledgement name the exact resource instead of a hard-coded logical id.
 */
export function nagResource(scope: IConstruct, arn: string): string {
  return flatten(Stack.of(scope).resolve(arn));
}

/** `AwsSolutions-IAM5[Resource::<...>]` for an ARN (see {@link nagResource}). */
export function iam5Resource(scope: IConstruct, arn: string): string {
  return `AwsSolutions-IAM5[Resource::${nagResource(scope, arn)}]`;
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    const join = record['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if ('Fn::Sub' in record) return flatten(record['Fn::Sub']);
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${flatten(getAtt[0])}.${flatten(getAtt[1])}>`;
    if ('Fn::ImportValue' in record) return flatten(record['Fn::ImportValue']);
    if ('Ref' in record) return `<${flatten(record.Ref)}>`;
  }
  return JSON.stringify(node);
}
