import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { ApiError } from '@/lib/problem';
import { renderWithProviders } from '@/testing/test-utils';

import { ErrorState } from './states';

const forbidden = (permission?: 'allowances_read') =>
  new ApiError(403, {
    type: 'urn:polku:problem:forbidden',
    title: 'Forbidden',
    status: 403,
    detail: 'No.',
    ...(permission ? { permission } : {}),
  });

describe('a refused request', () => {
  it('names the permission the server says it takes', () => {
    renderWithProviders(<ErrorState error={forbidden('allowances_read')} />);
    expect(screen.getByTestId('forbidden')).toHaveTextContent('Tarvittava käyttöoikeus: kulukorvausraportin luku.');
  });

  it('prefers what the view says it needs, and names nothing when nobody does', () => {
    const { unmount } = renderWithProviders(
      <ErrorState error={forbidden('allowances_read')} permissions={['clients_reveal']} />,
    );
    expect(screen.getByTestId('forbidden')).not.toHaveTextContent('kulukorvausraportin luku');
    expect(screen.getByTestId('forbidden')).toHaveTextContent('Tarvittava käyttöoikeus');
    unmount();
    renderWithProviders(<ErrorState error={forbidden()} />);
    expect(screen.getByTestId('forbidden')).not.toHaveTextContent('Tarvittava käyttöoikeus');
  });
});
