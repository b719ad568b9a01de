/**
 * Layer rules of STYLE.md: the domain core stays free of AWS, handlers stay free of local wiring
 * and of the deployment's code, and the facts both sides share live in the blueprint alone.
 */
module.exports = {
  forbidden: [
    {
      name: 'blueprint-imports-nothing',
      comment:
        'blueprint/ holds the facts the deployment and the runtime share; every layer imports it, so it imports nothing at all.',
      severity: 'error',
      from: { path: '^blueprint/' },
      to: {},
    },
    {
      name: 'core-is-pure',
      comment:
        'core/ is the product: it imports nothing outside core/ (no SDK, no fs, no env) but the blueprint, which imports nothing.',
      severity: 'error',
      from: { path: '^core/' },
      to: { pathNot: '^(core|blueprint)/' },
    },
    {
      name: 'functions-not-local-nor-infra',
      comment:
        'Lambda code never depends on the embedded local cloud, the memory adapters or the CDK app: what it shares with the deployment is in the blueprint.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(local|infra|adapters/memory|test|bench)/' },
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
      name: 'infra-not-runtime-code',
      comment:
        'The CDK app names function entry files; it imports no handler, adapter or agent code. What it shares with them is in the blueprint.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^(functions|adapters|local|agent)/' },
    },
    {
      name: 'agent-is-standalone',
      comment:
        'The host agent ships to hypervisor hosts on its own: no Lambda or local-cloud code (the blueprint, which imports nothing, ships with it).',
      severity: 'error',
      from: { path: '^agent/' },
      to: { path: '^(functions|local|infra|adapters)/' },
    },
    {
      name: 'console-is-a-browser-app',
      comment:
        'The console runs in the browser: besides itself it may use only the domain core and the blueprint, free of Node and AWS.',
      severity: 'error',
      from: { path: '^console/src/' },
      to: { path: '^(functions|adapters|agent|local|infra|test|bench)/' },
    },
    {
      name: 'console-app-stays-in-the-browser',
      comment:
        "The local cloud and the CDK app serve and deploy the console's build; what they share with it (config.json, its headers) is in the blueprint.",
      severity: 'error',
      from: { path: '^(local|infra)/' },
      to: { path: '^console/src/' },
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
      from: { path: '^(blueprint|core|functions|adapters)/' },
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
