import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import { RouterLink } from '../components/router-link.tsx';
import { HOME } from './routes.ts';

/** An address the console does not have. */
export function NotFound() {
  return (
    <Box>
      <Header variant="h1">Page not found</Header>
      <Box variant="p">
        The console has no page at this address.{' '}
        <RouterLink href={HOME}>Go to Snapshots</RouterLink>
      </Box>
    </Box>
  );
}
