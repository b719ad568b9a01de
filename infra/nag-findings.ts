import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one IAM wildcard finding of cdk-nag, and only that one. cdk-nag 3 matches
 * acknowledgments by exact finding ID, which spells the resource the way it flattens
 * CloudFormation references (`<LogicalId.Arn>/*`, `arn:<AWS::Partition>:…`); the ID is derived
 * here from the very value the policy holds, so it follows renames and environments.
 * `resource` must belong to the stack of `construct`.
 */
export function acknowledgeWildcardResource(
  construct: IConstruct,
  resource: string,
  reason: string,
): void {
  const flattened = flattenReference(Stack.of(construct).resolve(resource));
  Validations.of(construct).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${flattened}]`,
    reason,
  });
}

function flattenReference(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value === 'object' && value !== null) {
    if ('Fn::Join' in value && Array.isArray(value['Fn::Join'])) {
      const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if ('Fn::GetAtt' in value && Array.isArray(value['Fn::GetAtt'])) {
      const [resource, attribute] = value['Fn::GetAtt'] as unknown[];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if ('Ref' in value) return `<${flattenReference(value.Ref)}>`;
  }
  throw new Error(`Cannot name ${JSON.stringify(value)} as cdk-nag does`);
}
