import Link, { type LinkProps } from '@cloudscape-design/components/link';
import { followInConsole } from '../app/router.ts';

/** A Cloudscape link to an address of the console. */
export function RouterLink(props: LinkProps & { href: string }) {
  return <Link {...props} onFollow={followInConsole} />;
}
