import AppLayout from '@cloudscape-design/components/app-layout';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import SideNavigation from '@cloudscape-design/components/side-navigation';
import Spinner from '@cloudscape-design/components/spinner';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { Suspense, useEffect } from 'react';
import { useSession } from '../api/api-context.tsx';
import { NotFound } from './not-found.tsx';
import { NotificationsBar } from './notifications.tsx';
import { followInConsole, navigate, useLocation } from './router.ts';
import { HOME, matchRoute, SECTIONS } from './routes.ts';

const PRODUCT = 'Slice snapshots';

/** The signed-in console: top bar, side navigation, notices, breadcrumbs, and the page. */
export function ConsoleApp() {
  const session = useSession();
  const { pathname } = useLocation();
  useEffect(() => {
    if (pathname === '/' || pathname === '') navigate(HOME, { replace: true });
  }, [pathname]);
  const matched = matchRoute(pathname === '/' ? HOME : pathname);
  const section = SECTIONS.find((each) => each.href === matched?.route.section);
  useEffect(() => {
    document.title = matched ? `${matched.route.title} | ${PRODUCT}` : PRODUCT;
  }, [matched]);

  const breadcrumbs = [
    { text: PRODUCT, href: HOME },
    ...(section ? [{ text: section.text, href: section.href }] : []),
    ...(matched && matched.route.path !== section?.href
      ? [{ text: matched.route.title, href: pathname }]
      : []),
  ];
  const Page = matched?.route.page;

  return (
    <>
      <div id="top-navigation">
        <TopNavigation
          identity={{ href: HOME, title: PRODUCT, onFollow: followInConsole }}
          utilities={[
            {
              type: 'menu-dropdown',
              text: session.userName,
              description: `Account ${session.account}`,
              iconName: 'user-profile',
              items: [{ id: 'sign-out', text: 'Sign out' }],
              onItemClick: ({ detail }) => {
                if (detail.id === 'sign-out') session.signOut();
              },
            },
          ]}
        />
      </div>
      <AppLayout
        headerSelector="#top-navigation"
        toolsHide
        navigation={
          <SideNavigation
            header={{ href: HOME, text: PRODUCT }}
            activeHref={section?.href ?? pathname}
            onFollow={followInConsole}
            items={SECTIONS.map((each) => ({ type: 'link', text: each.text, href: each.href }))}
          />
        }
        notifications={<NotificationsBar />}
        breadcrumbs={
          <BreadcrumbGroup items={breadcrumbs} onFollow={followInConsole} ariaLabel="Breadcrumbs" />
        }
        ariaLabels={{
          navigation: 'Side navigation',
          navigationClose: 'Close side navigation',
          navigationToggle: 'Open side navigation',
          notifications: 'Notifications',
        }}
        content={
          <Suspense fallback={<Spinner size="large" />}>
            {Page && matched ? <Page params={matched.params} /> : <NotFound />}
          </Suspense>
        }
      />
    </>
  );
}
