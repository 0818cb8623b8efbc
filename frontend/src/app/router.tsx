import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
  type RouterHistory,
} from '@tanstack/react-router';

import { meQueryOptions } from '@/lib/me';
import { getAccessToken, getSessionState, refreshSession } from '@/lib/session';

import { AppLayout } from './routes/app-layout';
import { NotFoundPage } from './routes/not-found-page';
import { RootLayout } from './routes/root-layout';
import { RouteError } from './routes/route-error';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  // Any path without a route, however deep, renders this inside the layout.
  notFoundComponent: NotFoundPage,
});

interface LoginSearch {
  redirect?: string;
  expired?: boolean;
}

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): LoginSearch => ({
    ...(typeof search.redirect === 'string' ? { redirect: search.redirect } : {}),
    ...(search.expired === true ? { expired: true } : {}),
  }),
  beforeLoad: async () => {
    // A reload of the login page with a live refresh cookie goes straight in.
    if (getSessionState() === 'authenticated' || (getSessionState() === 'unknown' && (await refreshSession()))) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the router's redirect protocol
      throw redirect({ to: '/' });
    }
  },
  component: lazyRouteComponent(() => import('./routes/login-page'), 'LoginPage'),
});

/** The invitation or reset link's page: public, the token in the fragment. */
const setPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/set-password',
  component: lazyRouteComponent(() => import('@/features/auth/routes/set-password-page'), 'SetPasswordPage'),
});

/** Everything behind login. The session is restored from the refresh cookie on a fresh load. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const live = getAccessToken() !== null || (await refreshSession());
    if (!live) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the router's redirect protocol
      throw redirect({ to: '/login', search: { redirect: location.href } });
    }
    await context.queryClient.query(meQueryOptions());
  },
  component: AppLayout,
  errorComponent: RouteError,
});

const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  component: lazyRouteComponent(() => import('@/features/home/routes/home-page'), 'HomePage'),
});

const clientsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/clients',
  component: lazyRouteComponent(() => import('@/features/clients/routes/clients-page'), 'ClientsPage'),
});

const newClientRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/clients/new',
  component: lazyRouteComponent(() => import('@/features/clients/routes/new-client-page'), 'NewClientPage'),
});

const clientRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/clients/$clientId',
  component: lazyRouteComponent(() => import('./routes/client-page'), 'ClientPage'),
});

const editClientRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/clients/$clientId/edit',
  component: lazyRouteComponent(() => import('@/features/clients/routes/edit-client-page'), 'EditClientPage'),
});

const periodRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/periods/$periodId',
  component: lazyRouteComponent(() => import('./routes/period-page'), 'PeriodPage'),
});

const attendanceRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/attendance',
  component: lazyRouteComponent(() => import('@/features/attendance/routes/attendance-page'), 'AttendancePage'),
});

const groupRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/attendance/groups/$groupId',
  component: lazyRouteComponent(() => import('@/features/attendance/routes/group-page'), 'GroupPage'),
});

const daySheetRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/attendance/$sheetId/$date',
  component: lazyRouteComponent(() => import('@/features/attendance/routes/day-sheet-page'), 'DaySheetPage'),
});

const allowancesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/allowances',
  component: lazyRouteComponent(() => import('@/features/attendance/routes/allowances-page'), 'AllowancesPage'),
});

const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/account',
  component: lazyRouteComponent(() => import('@/features/auth/routes/account-page'), 'AccountPage'),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  setPasswordRoute,
  appRoute.addChildren([
    accountRoute,
    homeRoute,
    clientsRoute,
    newClientRoute,
    clientRoute,
    editClientRoute,
    periodRoute,
    attendanceRoute,
    groupRoute,
    daySheetRoute,
    allowancesRoute,
  ]),
]);

export function createAppRouter({ queryClient, history }: { queryClient: QueryClient; history?: RouterHistory }) {
  return createRouter({
    routeTree,
    context: { queryClient },
    ...(history ? { history } : {}),
    defaultPreload: 'intent',
    // Loaders read through the query cache, which decides freshness.
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
