import { RULES } from '../infra/catalog.ts';
import type { StartupRule } from './eventbridge/index.ts';
import { localFunctionArn, STATUS_CHANGE_DETAIL_TYPE } from './stepfunctions/index.ts';

/**
 * The catalog's rules on executions' status changes, as the local EventBridge's start-up rules on
 * the default bus: the same pattern CDK deploys, each invoking its local function.
 */
export function statusChangeRules(options: {
  region: string;
  accountId: string;
  stateMachineArns: readonly string[];
}): StartupRule[] {
  return RULES.map((rule) => ({
    name: rule.name,
    bus: 'default',
    eventPattern: {
      source: ['aws.states'],
      'detail-type': [STATUS_CHANGE_DETAIL_TYPE],
      detail: {
        status: [...rule.workflowStatuses],
        stateMachineArn: [...options.stateMachineArns],
      },
    },
    targets: [
      {
        id: rule.target.function,
        arn: localFunctionArn(options.region, options.accountId, rule.target.function),
      },
    ],
  }));
}
