import type { ComponentType } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { PortalLayout } from './portal/PortalLayout';
import { HomePage } from './portal/HomePage';
import { NotFound, PageLoading, RouteError } from './components/RouteStates';
import { primePublicCatalogue } from './lib/endpoints';

/**
 * A route whose page is a separate chunk, fetched on first visit. The module
 * default-exports the page component.
 */
function lazyPage(load: () => Promise<{ default: ComponentType }>): RouteObject['lazy'] {
  return async () => ({ Component: (await load()).default });
}

export const routes: RouteObject[] = [
  {
    // Public portal: the home page is in the entry chunk, every other page
    // is loaded on demand.
    path: '/',
    Component: PortalLayout,
    ErrorBoundary: RouteError,
    HydrateFallback: PageLoading,
    children: [
      { index: true, Component: HomePage },
      { path: 'catalogue', lazy: lazyPage(() => import('./portal/CataloguePage')) },
      {
        path: 'catalogue/:town',
        // Start fetching the catalogue while the page's chunk downloads.
        loader: ({ params, request }) => {
          if (params.town) primePublicCatalogue(params.town, Number(new URL(request.url).searchParams.get('version')) || null);
          return null;
        },
        shouldRevalidate: () => false,
        lazy: lazyPage(() => import('./portal/TownCataloguePage')),
      },
      { path: 'catalogue/:town/items/:code', lazy: lazyPage(() => import('./portal/ItemPage')) },
      { path: 'catalogue/:town/versions', lazy: lazyPage(() => import('./portal/VersionsPage')) },
      { path: 'catalogue/:town/items/:code/apply', lazy: lazyPage(() => import('./portal/ApplyPage')) },
      { path: 'catalogue/:town/disclosures', lazy: lazyPage(() => import('./portal/DisclosuresPage')) },
      { path: 'progress', lazy: lazyPage(() => import('./portal/ProgressPage')) },
      { path: 'verify', lazy: lazyPage(() => import('./portal/VerifyPage')) },
      { path: '*', Component: NotFound },
    ],
  },
  {
    path: '/login',
    ErrorBoundary: RouteError,
    HydrateFallback: PageLoading,
    lazy: lazyPage(() => import('./login/LoginPage')),
  },
  {
    // Staff console: its layout and pages are lazy chunks of their own.
    path: '/console',
    ErrorBoundary: RouteError,
    HydrateFallback: PageLoading,
    lazy: lazyPage(() => import('./console/ConsoleLayout')),
    children: [
      { index: true, lazy: lazyPage(() => import('./console/DashboardPage')) },
      { path: 'regions', lazy: lazyPage(() => import('./console/RegionsPage')) },
      { path: 'catalogue', lazy: lazyPage(() => import('./console/PowersPage')) },
      { path: 'grants', lazy: lazyPage(() => import('./console/GrantsPage')) },
      { path: 'organisation', lazy: lazyPage(() => import('./console/OrganisationPage')) },
      { path: 'users', lazy: lazyPage(() => import('./console/UsersPage')) },
      { path: 'cases', lazy: lazyPage(() => import('./console/CasesPage')) },
      { path: 'cases/:id', lazy: lazyPage(() => import('./console/CasePage')) },
      { path: 'accountability', lazy: lazyPage(() => import('./console/AccountabilityPage')) },
      { path: 'evaluation', lazy: lazyPage(() => import('./console/EvaluationPage')) },
      { path: '*', Component: NotFound },
    ],
  },
];

export const router = createBrowserRouter(routes);
