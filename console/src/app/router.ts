import { useSyncExternalStore } from 'react';

/**
 * The console's few addresses need no router library: the History API, one event for changes
 * made here, and `popstate` for the browser's back and forward.
 */
const NAVIGATED = 'slice-snapshots:navigated';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

function currentAddress(): string {
  return `${window.location.pathname}${window.location.search}`;
}

/** Goes to `to` (a path with its query) inside the console. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATED));
  window.scrollTo?.(0, 0);
}

export interface Location {
  readonly pathname: string;
  readonly query: URLSearchParams;
}

/** The current address, re-rendering on every navigation. */
export function useLocation(): Location {
  const address = useSyncExternalStore(subscribe, currentAddress);
  const url = new URL(address, 'http://console');
  return { pathname: url.pathname, query: url.searchParams };
}

/**
 * For Cloudscape's `onFollow` (links, side navigation, breadcrumbs): a plain click on an address
 * of the console navigates here instead of loading the page again.
 */
export function followInConsole(event: CustomEvent<{ href?: string; external?: boolean }>): void {
  const { href, external } = event.detail;
  if (!href || external || !href.startsWith('/')) return;
  event.preventDefault();
  navigate(href);
}
