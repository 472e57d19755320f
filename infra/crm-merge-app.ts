import { App, type AppProps, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CrmMergeStack } from './crm-merge-stack';

/** Context key: `cdk synth -c crm-merge:removalPolicy=destroy` for throw-away stacks. Anything else retains. */
export const REMOVAL_POLICY_CONTEXT = 'crm-merge:removalPolicy';
/** Context key: the stack name. */
export const STACK_NAME_CONTEXT = 'crm-merge:stackName';
export const DEFAULT_STACK_NAME = 'CrmMerge';
/**
 * Context key: `existing` when this account and region already have an API Gateway CloudWatch role in their account
 * settings; the stack then leaves that setting alone. Anything else (or unset) lets the stack set it.
 */
export const API_GATEWAY_ACCOUNT_ROLE_CONTEXT = 'crm-merge:apiGatewayAccountRole';

/**
 * The crm-merge CDK app: one CrmMergeStack, checked by cdk-nag's AWS Solutions pack on every synth (cdk-nag 3 is a
 * policy validation plugin: an unacknowledged finding fails the synth). Tests build the same app with
 * `{ context: { 'aws:cdk:bundling-stacks': [] } }` to skip esbuild.
 */
export function createApp(props: AppProps = {}): { app: App; stack: CrmMergeStack } {
  const app = new App(props);
  const removal = app.node.tryGetContext(REMOVAL_POLICY_CONTEXT) as string | undefined;
  const stackName = (app.node.tryGetContext(STACK_NAME_CONTEXT) as string | undefined) ?? DEFAULT_STACK_NAME;
  const stack = new CrmMergeStack(app, stackName, {
    // Environment-agnostic unless the CLI knows the target account (cdk synth works offline).
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    removalPolicy: removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    configureApiGatewayAccount: app.node.tryGetContext(API_GATEWAY_ACCOUNT_ROLE_CONTEXT) !== 'existing',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
