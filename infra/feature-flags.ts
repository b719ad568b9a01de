/**
 * Feature flags the stacks rely on. They are the app's context defaults, so that tests (which
 * build the app without the CLI) synthesize exactly what `cdk synth` does; a value in cdk.json
 * still wins over them.
 */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = {
  // Merged IAM statements: smaller policies, fewer duplicate findings.
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/aws-iam:importedRoleStackSafeDefaultPolicyName': true,
  '@aws-cdk/aws-kms:aliasNameRef': true,
  '@aws-cdk/aws-events:requireEventBusPolicySid': true,
  // Every cross-stack reference points at the data stack, whose resources are retained and must
  // never be removed from under the stacks using them: keep the producer-protecting exports.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  '@aws-cdk/core:enablePartitionLiterals': true,
  // Also in cdk.json; repeated so that tests name exports as the CLI does.
  '@aws-cdk/core:stackRelativeExports': true,
  '@aws-cdk/core:checkSecretUsage': true,
  '@aws-cdk/core:validateSnapshotRemovalPolicy': true,
};
