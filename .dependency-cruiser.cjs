/**
 * Layer rules of STYLE.md: the domain core stays free of AWS, handlers stay free of local wiring
 * and of the deployment's code, and the facts both sides share live in the blueprint alone.
 */

/** Modules below `from` must not import what `to` matches; `comment` is what a violation says. */
function forbid(name, from, to, comment) {
  return { name, comment, severity: 'error', from: { path: from }, to };
}

const RUNTIME = '^(blueprint|core|functions|adapters)/';

module.exports = {
  forbidden: [
    // The blueprint holds the facts that the deployment and the runtime share. Every layer
    // imports it, so it imports nothing at all.
    forbid('blueprint-imports-nothing', '^blueprint/', {}, 'blueprint/ imports nothing'),
    // The core is the product: no SDK, no fs, no environment. The blueprint imports nothing, so
    // the core may use it.
    forbid('core-is-pure', '^core/', { pathNot: '^(core|blueprint)/' }, 'core/ imports only core/'),
    // Lambda code never depends on the embedded local cloud, the memory adapters or the CDK app:
    // what it shares with the deployment is in the blueprint.
    forbid(
      'functions-not-local-nor-infra',
      '^functions/',
      { path: '^(local|infra|adapters/memory|test|bench)/' },
      'handlers run in Lambda: no local cloud, CDK app, memory adapter, test or bench code',
    ),
    // Adapters implement ports; they never reach into handlers or the local cloud. The agent's
    // wire protocol (agent/protocol) is shared with the backend.
    forbid(
      'adapters-not-entry-points',
      '^adapters/',
      { path: '^(functions|local|infra)/|^agent/(?!protocol/)' },
      'adapters implement ports: no handler, local cloud, CDK app or agent code but its protocol',
    ),
    // The CDK app names function entry files; it imports no handler, adapter or agent code. What
    // it shares with them is in the blueprint.
    forbid(
      'infra-not-runtime-code',
      '^infra/',
      { path: '^(functions|adapters|local|agent)/' },
      'the CDK app imports no handler, adapter, local cloud or agent code',
    ),
    // The host agent ships to hypervisor hosts on its own, with the blueprint (which imports
    // nothing) and no Lambda or local-cloud code.
    forbid(
      'agent-is-standalone',
      '^agent/',
      { path: '^(functions|local|infra|adapters)/' },
      'the host agent ships alone: no handler, adapter, local cloud or CDK app code',
    ),
    // The console runs in the browser: besides itself it may use only the domain core and the
    // blueprint, free of Node and AWS.
    forbid(
      'console-is-a-browser-app',
      '^console/src/',
      { path: '^(functions|adapters|agent|local|infra|test|bench)/' },
      'the console runs in the browser: only console/, core/ and blueprint/',
    ),
    // The local cloud and the CDK app serve and deploy the console's build. What they share with
    // it (config.json, its headers) is in the blueprint.
    forbid(
      'console-app-stays-in-the-browser',
      '^(local|infra)/',
      { path: '^console/src/' },
      "the local cloud and the CDK app serve the console's build, not its code",
    ),
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    // devDependencies are absent from Lambda bundles.
    forbid(
      'not-to-dev-dep',
      RUNTIME,
      { dependencyTypes: ['npm-dev'], pathNot: ['node_modules/@types/'] },
      'runtime code must not depend on devDependencies',
    ),
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
