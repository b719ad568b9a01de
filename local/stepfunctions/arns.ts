/** ARN shapes of the local endpoint: the same formats as in AWS, with the configured region and account. */

/** The local ARN of a Lambda function name: arn:aws:lambda:<region>:<account>:function:<name>. */
export function localFunctionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

export function stateMachineArnOf(region: string, accountId: string, name: string): string {
  return `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
}

export function executionArnOf(
  region: string,
  accountId: string,
  stateMachineName: string,
  name: string,
): string {
  return `arn:aws:states:${region}:${accountId}:execution:${stateMachineName}:${name}`;
}

/** The role the local endpoint reports for every state machine; nothing checks it. */
export function localRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/local-stepfunctions`;
}

const FUNCTION_ARN = /^arn:[\w-]+:lambda:[\w-]*:\d*:function:([\w-]+)(?::[\w$-]+)?$/;
const PARTIAL_FUNCTION_ARN = /^\d+:function:([\w-]+)(?::[\w$-]+)?$/;
const FUNCTION_NAME = /^([\w-]+)(?::[\w$-]+)?$/;

/**
 * The function name behind any reference Lambda accepts (full ARN, partial ARN or name, each with an
 * optional version or alias qualifier, which the local cloud ignores); undefined when it is none of them.
 */
export function functionNameOf(reference: string): string | undefined {
  const match =
    FUNCTION_ARN.exec(reference) ??
    PARTIAL_FUNCTION_ARN.exec(reference) ??
    FUNCTION_NAME.exec(reference);
  return match?.[1];
}

/** Whether a Task `Resource` is a Lambda function ARN (the bare, non-integration form). */
export function isFunctionArn(resource: string): boolean {
  return FUNCTION_ARN.test(resource);
}
