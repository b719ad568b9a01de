/** Layer rules of STYLE.md: the domain core stays free of AWS, handlers stay free of local wiring. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'core/ is the product: it imports nothing outside core/ (no SDK, no fs, no env).',
      severity: 'error',
      from: { path: '^core/' },
      to: { pathNot: '^core/' },
    },
    {
      name: 'functions-not-local',
      comment: 'Lambda code never depends on the embedded local cloud or the memory adapters.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(local|adapters/memory|test|bench)/' },
    },
    {
      name: 'adapters-not-entry-points',
      comment:
        'Adapters implement ports; they never reach into handlers or the local cloud. The agent wire protocol (agent/protocol) is shared with the backend.',
      severity: 'error',
      from: { path: '^adapters/' },
      to: { path: '^(functions|local|infra)/|^agent/(?!protocol/)' },
    },
    {
      name: 'infra-not-function-internals',
      comment: 'The CDK app names function entry files; it does not import handler code.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(functions|local|agent)/' },
    },
    {
      name: 'agent-is-standalone',
      comment:
        'The host agent ships to hypervisor hosts on its own: no Lambda or local-cloud code.',
      severity: 'error',
      from: { path: '^agent/' },
      to: { path: '^(functions|local|infra|adapters)/' },
    },
    {
      name: 'console-is-a-browser-app',
      comment:
        'The console runs in the browser: besides itself it may use only the domain core, which is free of Node and AWS.',
      severity: 'error',
      from: { path: '^console/src/' },
      to: { path: '^(functions|adapters|agent|local|infra|test|bench)/' },
    },
    {
      name: 'only-the-console-config-contract',
      comment:
        "The local cloud and the CDK app write the console's config.json: they share its type, not the app.",
      severity: 'error',
      from: { path: '^(local|infra)/' },
      to: { path: '^console/src/', pathNot: '^console/src/config/console-config\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-dev-dep',
      comment:
        'Runtime code must not depend on devDependencies (they are absent from Lambda bundles).',
      severity: 'error',
      from: { path: '^(core|functions|adapters)/' },
      to: { dependencyTypes: ['npm-dev'], pathNot: ['node_modules/@types/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|cdk.out|\\.data)/|^console/dist' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
