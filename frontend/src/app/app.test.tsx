import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';

import en from '@/locales/en.json';
import fi from '@/locales/fi.json';
import sv from '@/locales/sv.json';
import { readyResponse, renderApp, respondWith } from '@/testing/test-utils';

async function expectNoAxeViolations() {
  const results = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
  expect(results.violations.map(({ id, help, nodes }) => ({ id, help, targets: nodes.map((node) => node.target) }))).toEqual(
    [],
  );
}

describe('App', () => {
  it('renders the home page in Finnish with landmarks, the server status and a link to the API docs', async () => {
    vi.stubGlobal('fetch', vi.fn(respondWith(readyResponse)));

    renderApp('/');

    expect(await screen.findByRole('heading', { level: 1, name: 'Polku' })).toBeVisible();
    expect(screen.getByText(fi.app.description)).toBeVisible();
    expect(screen.getByRole('banner')).toBeInTheDocument();
    expect(screen.getByRole('main')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: fi.app.apiDocs })).toHaveAttribute('href', '/api/docs/');
    expect(screen.getByRole('link', { name: fi.app.skipToContent })).toHaveAttribute('href', '#main-content');
    await waitFor(() => {
      expect(screen.getByTestId('server-status')).toHaveAttribute('data-state', 'ready');
    });
    expect(document.documentElement.lang).toBe('fi');
    expect(document.title).toBe('Polku');
    await expectNoAxeViolations();
  });

  it('switches language from the header and remembers the choice', async () => {
    vi.stubGlobal('fetch', vi.fn(respondWith(readyResponse)));
    const user = userEvent.setup();
    renderApp('/');
    await screen.findByRole('heading', { level: 1 });

    await user.selectOptions(screen.getByRole('combobox', { name: fi.language.label }), 'sv');

    expect(await screen.findByText(sv.app.description)).toBeVisible();
    expect(screen.getByRole('combobox', { name: sv.language.label })).toHaveValue('sv');
    expect(document.documentElement.lang).toBe('sv');
    expect(localStorage.getItem('polku.language')).toBe('sv');

    await user.selectOptions(screen.getByRole('combobox', { name: sv.language.label }), 'en');

    expect(await screen.findByText(en.app.description)).toBeVisible();
    expect(document.documentElement.lang).toBe('en');
  });

  it('renders the not-found page inside the layout for an unknown deep path', async () => {
    vi.stubGlobal('fetch', vi.fn(respondWith(readyResponse)));

    renderApp('/some/deep/route');

    expect(await screen.findByRole('heading', { level: 1, name: fi.notFound.title })).toBeVisible();
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
    const main = screen.getByRole('main');
    expect(within(main).getByRole('link', { name: fi.notFound.backHome })).toHaveAttribute('href', '/');
    expect(screen.getByRole('banner')).toBeInTheDocument();
    expect(document.title).toBe(`${fi.notFound.title} – Polku`);
    await expectNoAxeViolations();
  });
});
