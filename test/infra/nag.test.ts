import { Validations, type Acknowledgment, type PolicyViolation } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildApp, createTestApp } from './support';

/** Every acknowledgement recorded in the tree: construct path, rule id (plugin prefix removed), reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return found;
}

const describeViolations = (violations: PolicyViolation[]): string[] =>
  violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`));

describe('cdk-nag AwsSolutions', () => {
  // buildApp synthesizes the stack, which runs the AwsSolutions plugin createApp registers: it would throw here.
  const { app, stack } = buildApp();

  it('reports no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(describeViolations(report.violations)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('leaves no unacknowledged CDK warning or error annotation', () => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });

  it('is registered on the app, so a finding fails `cdk synth`', () => {
    expect(() => app.synth({ force: true })).not.toThrow();
    const withFinding = createTestApp();
    // One unacknowledged wildcard grant: synth must now fail.
    withFinding.stack.pipelineFunctions.functions['mark-failed'].addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [`${withFinding.stack.storage.runsTable.tableArn}/*`] }),
    );
    expect(() => withFinding.app.synth()).toThrow(/validation-report\.json/);
  });

  it('acknowledges only AWS Solutions IAM5 findings, three API design decisions, the salt\'s rotation and one CDK warning, each with a specific reason', () => {
    const all = acknowledgements(stack);
    expect(all.filter((ack) => !ack.id.startsWith('AwsSolutions-')).map((ack) => `${ack.path} ${ack.id}`)).toEqual([
      'CrmMerge/Functions @aws-cdk/aws-lambda-nodejs:variableRuntimeExternals',
      'CrmMerge/Api @aws-cdk/aws-lambda-nodejs:variableRuntimeExternals',
    ]);
    const acks = all.filter((ack) => ack.id.startsWith('AwsSolutions-'));
    expect(acks.length).toBeGreaterThan(0);
    // Beyond IAM5 (wildcards in resource ARNs), only the API's: IAM callers, not Cognito users (COG4); no WAF (APIG3);
    // no execution logging, which would quote request values (APIG6). Each on the construct it is about.
    const { api } = stack.api;
    expect(acks.filter((ack) => !ack.id.startsWith('AwsSolutions-IAM5[')).map((ack) => `${ack.path} ${ack.id}`).sort()).toEqual(
      [
        `${api.node.path} AwsSolutions-COG4`,
        `${api.deploymentStage.node.path} AwsSolutions-APIG3`,
        `${api.deploymentStage.node.path} AwsSolutions-APIG6`,
        // The tombstone salt is never rotated: a new salt would orphan every tombstone.
        `${stack.storage.tombstoneSaltSecret.node.path} AwsSolutions-SMG4`,
      ].sort(),
    );
    for (const ack of acks) {
      if (ack.id.startsWith('AwsSolutions-IAM5')) expect(ack.id).toMatch(/^AwsSolutions-IAM5\[Resource::.+\]$/);
      // Specific: names what the grant is for, not a placeholder.
      expect(ack.reason.length).toBeGreaterThanOrEqual(60);
      expect(ack.reason).not.toMatch(/^(todo|n\/a|ok|suppressed|acknowledged)\b/i);
    }
    // Never blanket-acknowledged at stack or app level.
    expect(acks.filter((ack) => ack.path === stack.node.path || ack.path === '')).toEqual([]);
    // No IAM4 (managed policies) or L1 (runtime) acknowledgements: those findings are fixed, not accepted.
    expect(acks.filter((ack) => /IAM4|-L1$/.test(ack.id))).toEqual([]);
  });

  it('acknowledges exactly the findings that exist: no stale or speculative acknowledgement', () => {
    // The same app built with acknowledgements recorded but not applied: its findings are the raw ones.
    const recorded: { path: string; id: string }[] = [];
    const spy = jest
      .spyOn(Validations.prototype, 'acknowledge')
      .mockImplementation(function (this: Validations, ...rules: Acknowledgment[]) {
        const scope = (this as unknown as { scope: IConstruct }).scope;
        for (const rule of rules) if (rule.id.startsWith('AwsSolutions-')) recorded.push({ path: scope.node.path, id: rule.id });
      });
    let raw: PolicyViolation[];
    try {
      const bare = createTestApp();
      raw = new AwsSolutionsChecks().validateScope(bare.app).violations;
    } finally {
      spy.mockRestore();
    }
    const findings = raw.flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })));
    const covers = (ack: { path: string; id: string }, finding: { path: string; id: string }): boolean =>
      ack.id === finding.id && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`));

    expect(findings.filter((finding) => !recorded.some((ack) => covers(ack, finding)))).toEqual([]);
    expect(recorded.filter((ack) => !findings.some((finding) => covers(ack, finding)))).toEqual([]);
    // The spied build recorded the same acknowledgements the real app carries.
    const key = ({ path, id }: { path: string; id: string }): string => `${path} ${id}`;
    const nagAcks = acknowledgements(stack).filter((ack) => ack.id.startsWith('AwsSolutions-'));
    expect(recorded.map(key).sort()).toEqual(nagAcks.map(key).sort());
  });
});
