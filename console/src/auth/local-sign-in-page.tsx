import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import { useState } from 'react';
import { ProblemAlert } from '../components/problem-alert.tsx';
import type { LocalAuthConfig } from '../config/console-config.ts';
import { signInLocally } from './local-session.ts';
import type { Session } from './session.ts';

/**
 * The account chooser of the local identity provider (`npm start`): any account name signs in,
 * as `npm run local -- token --account <id>` would. Each account sees only its own resources.
 */
export function LocalSignInPage(props: {
  config: LocalAuthConfig;
  onSignedIn: (session: Session) => void;
  onSignOut: () => void;
}) {
  const [account, setAccount] = useState(props.config.defaultAccount);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setPending(true);
    setError(null);
    try {
      props.onSignedIn(
        await signInLocally(props.config, account.trim(), { onSignOut: props.onSignOut }),
      );
    } catch (failure) {
      setError(failure);
      setPending(false);
    }
  };
  return (
    <Box padding={{ vertical: 'xxxl', horizontal: 'l' }}>
      <div style={{ maxWidth: 480, margin: '0 auto' }}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!pending && account.trim()) void submit();
          }}
        >
          <Form
            header={
              <Header
                variant="h1"
                description="The local cloud of npm start signs in any account: each sees only its own slices and snapshots."
              >
                Sign in to Slice snapshots
              </Header>
            }
            actions={
              <Button variant="primary" loading={pending} disabled={!account.trim()}>
                Sign in
              </Button>
            }
            errorText={error ? <ProblemAlert error={error} header="Sign-in failed" /> : undefined}
          >
            <Container>
              <FormField
                label="Account"
                description={`npm start printed a token for ${props.config.defaultAccount}.`}
              >
                <Input
                  value={account}
                  onChange={({ detail }) => setAccount(detail.value)}
                  autoFocus
                  ariaRequired
                />
              </FormField>
            </Container>
          </Form>
        </form>
      </div>
    </Box>
  );
}
