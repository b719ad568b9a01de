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

describe('dispatchAgentCommand', () => {
  const given = givenPorts(() => ({}), { hosts: [HOST] });

  it("sends the command to the host's agent with the task token as its callback", async () => {
    const { ports } = given;
    await dispatchAgentCommand(ports, {
      taskToken: 'token-1',
      sliceId: 'slc_1',
      hostId: 'fra1-a',
      command: { type: 'create-disk', sizeBytes: 1024 },
    });

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
    await expect(
      dispatchAgentCommand(ports, {
        taskToken: 'token-1',
        sliceId: 'slc_1',
        hostId: 'gone-host',
        command: { type: 'power-on' },
      }),
    ).rejects.toThrow(UnknownHostError);
    expect(ports.agents.dispatched).toEqual([]);
  });

  it('passes an unreachable agent on under its error name', async () => {
    const { ports } = given;
    ports.agents.failWith(new AgentUnreachableError('fra1-a', 'ECONNREFUSED'));

    const dispatching = dispatchAgentCommand(ports, {
      taskToken: 'token-1',
      sliceId: 'slc_1',
      hostId: 'fra1-a',
      command: { type: 'power-on' },
    });

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
      {
        taskToken: 'token-1',
        accountId: 'acct-1',
        sliceId: 'slc_1',
        hostId: 'fra1-a',
        command: { type: 'upload', captureId: 'snp_1' },
        reportsOn: { operationId: 'op_1', snapshotId: 'snp_1' },
      },
    );

    expect(seenWhenDispatched).toEqual([
      { accountId: 'acct-1', hostId: 'fra1-a', operationId: 'op_1', snapshotId: 'snp_1' },
    ]);
  });

  it('records nothing for a command that reports on nothing', async () => {
    const { ports } = given;
    await dispatchAgentCommand(ports, {
      taskToken: 'token-1',
      accountId: 'acct-1',
      sliceId: 'slc_1',
      hostId: 'fra1-a',
      command: { type: 'power-on' },
    });

    expect(await ports.commandContexts.find('token-1')).toBeNull();
  });
});
