import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/** What a page receives: the named segments of its address (`/operations/:id` → `{ id }`). */
export interface PageProps {
  readonly params: Record<string, string>;
}

export interface ConsoleRoute {
  /** The address, with `:name` segments. */
  readonly path: string;
  readonly title: string;
  /** The side navigation's entry this page sits under. */
  readonly section: string;
  readonly page: LazyExoticComponent<ComponentType<PageProps>>;
}

/**
 * The side navigation's sections, in order. Each page of the console lives under one; new
 * features add a section and its routes here.
 */
export const SECTIONS = [
  { href: '/slices', text: 'Slices' },
  { href: '/snapshots', text: 'Snapshots' },
  { href: '/policies', text: 'Snapshot policies' },
  { href: '/recycle-bin', text: 'Recycle bin' },
  { href: '/storage', text: 'Storage' },
  { href: '/operations', text: 'Operations' },
  { href: '/billing', text: 'Billing' },
] as const;

/** Where `/` goes: the documentation's panel is the Snapshots table. */
export const HOME = '/snapshots';

/** Every page, each its own chunk, loaded when first visited. */
export const ROUTES: readonly ConsoleRoute[] = [
  {
    path: '/slices',
    title: 'Slices',
    section: '/slices',
    page: lazy(() => import('../pages/slices/slices-page.tsx')),
  },
  {
    path: '/slices/create',
    title: 'Create slice',
    section: '/slices',
    page: lazy(() => import('../pages/slices/create-slice-page.tsx')),
  },
  {
    path: '/snapshots',
    title: 'Snapshots',
    section: '/snapshots',
    page: lazy(() => import('../pages/snapshots/snapshots-page.tsx')),
  },
  {
    path: '/snapshots/:id',
    title: 'Snapshot',
    section: '/snapshots',
    page: lazy(() => import('../pages/snapshots/snapshot-page.tsx')),
  },
  {
    path: '/policies',
    title: 'Snapshot policies',
    section: '/policies',
    page: lazy(() => import('../pages/policies/policies-page.tsx')),
  },
  {
    path: '/policies/create',
    title: 'Create policy',
    section: '/policies',
    page: lazy(() => import('../pages/policies/create-policy-page.tsx')),
  },
  {
    path: '/policies/:id',
    title: 'Policy',
    section: '/policies',
    page: lazy(() => import('../pages/policies/policy-page.tsx')),
  },
  {
    path: '/policies/:id/edit',
    title: 'Edit policy',
    section: '/policies',
    page: lazy(() => import('../pages/policies/edit-policy-page.tsx')),
  },
  {
    path: '/recycle-bin',
    title: 'Recycle bin',
    section: '/recycle-bin',
    page: lazy(() => import('../pages/recycle-bin/recycle-bin-page.tsx')),
  },
  {
    path: '/storage',
    title: 'Storage',
    section: '/storage',
    page: lazy(() => import('../pages/storage/storage-page.tsx')),
  },
  {
    path: '/operations',
    title: 'Operations',
    section: '/operations',
    page: lazy(() => import('../pages/operations/operations-page.tsx')),
  },
  {
    path: '/operations/:id',
    title: 'Operation',
    section: '/operations',
    page: lazy(() => import('../pages/operations/operation-page.tsx')),
  },
  {
    path: '/billing',
    title: 'Billing',
    section: '/billing',
    page: lazy(() => import('../pages/billing/billing-page.tsx')),
  },
];

export interface MatchedRoute {
  readonly route: ConsoleRoute;
  readonly params: Record<string, string>;
}

/** The route of an address, with its parameters; undefined when none matches. */
export function matchRoute(
  pathname: string,
  routes: readonly ConsoleRoute[] = ROUTES,
): MatchedRoute | undefined {
  const segments = pathname.replace(/\/+$/, '').split('/');
  for (const route of routes) {
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      const segment = segments[index] ?? '';
      if (part.startsWith(':')) {
        params[part.slice(1)] = decodeURIComponent(segment);
        return segment !== '';
      }
      return part === segment;
    });
    if (matches) return { route, params };
  }
  return undefined;
}
