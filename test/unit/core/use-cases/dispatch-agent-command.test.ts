import { describe, expect, it } from 'vitest';
import { AgentUnreachableError } from '../../../../core/agents/agent-errors.ts';
import { UnknownHostError } from '../../../../core/hosts/host-errors.ts';
import { dispatchAgentCommand } from '../../../../core/use-cases/dispatch-agent-command.ts';
import { givenPorts } from './support/given-ports.ts';

const HOST = {
  id: 'fra1-a',
  region: 'fra1',
  url: 'https://a.fra1.test',
  secret: 'a-host-secret-of-at-least-32-characters',
};

type CommandDispatch = Parameters<typeof dispatchAgentCommand>[1];

/** A power-on of slice slc_1 on HOST, under task token-1, with `changes` over it. */
function aDispatch(changes: Partial<CommandDispatch> = {}): CommandDispatch {
  return {
    taskToken: 'token-1',
    sliceId: 'slc_1',
    hostId: 'fra1-a',
    command: { type: 'power-on' },
    ...changes,
  };
}

describe('dispatchAgentCommand', () => {
  const given = givenPorts(() => ({}), { hosts: [HOST] });

  it("sends the command to the host's agent with the task token as its callback", async () => {
    const { ports } = given;
    await dispatchAgentCommand(
      ports,
      aDispatch({ command: { type: 'create-disk', sizeBytes: 1024 } }),
    );

    expect(ports.agents.dispatched).toEqual([
      {
        host: { id: 'fra1-a', region: 'fra1', url: 'https://a.fra1.test' },
        request: {
          sliceId: 'slc_1',
          command: { type: 'create-disk', sizeBytes: 1024 },
          callback: { url: 'https://api.test/agent/v1/callbacks', taskToken: 'token-1' },
        },
        commandId: 'cmd-token-1',
      },
    ]);
  });

  it('refuses a host the registry does not list', async () => {
    const { ports } = given;
    await expect(dispatchAgentCommand(ports, aDispatch({ hostId: 'gone-host' }))).rejects.toThrow(
      UnknownHostError,
    );
    expect(ports.agents.dispatched).toEqual([]);
  });

  it('passes an unreachable agent on under its error name', async () => {
    const { ports } = given;
    ports.agents.failWith(new AgentUnreachableError('fra1-a', 'ECONNREFUSED'));

    const dispatching = dispatchAgentCommand(ports, aDispatch());

    await expect(dispatching).rejects.toMatchObject({ name: 'AgentUnreachable' });
  });

  it('records what the command reports progress on before the agent gets it', async () => {
    const { ports } = given;
    const seenWhenDispatched: unknown[] = [];
    const agents = {
      dispatch: async () => {
        seenWhenDispatched.push(await ports.commandContexts.find('token-1'));
        return { commandId: 'cmd-token-1' };
      },
      run: async () => ({}),
    };

    await dispatchAgentCommand(
      { ...ports, agents },
      aDispatch({
        accountId: 'acct-1',
        command: { type: 'upload', captureId: 'snp_1' },
        reportsOn: { operationId: 'op_1', snapshotId: 'snp_1' },
      }),
    );

    expect(seenWhenDispatched).toEqual([
      { accountId: 'acct-1', hostId: 'fra1-a', operationId: 'op_1', snapshotId: 'snp_1' },
    ]);
  });

  it('records nothing for a command that reports on nothing', async () => {
    const { ports } = given;
    await dispatchAgentCommand(ports, aDispatch({ accountId: 'acct-1' }));

    expect(await ports.commandContexts.find('token-1')).toBeNull();
  });
});
