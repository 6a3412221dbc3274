import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithMantine } from '../../test/renderWithMantine';
import { AccreditationList } from './AccreditationList';
import type { Accreditation } from './adminApi';

const veritas: Accreditation = {
  msp_id: 'CertifierMSP',
  organization_name: 'Veritas Organic Certification',
  schemes: [
    { scheme: 'EU-ORGANIC', since: '2026-01-10T09:00:00Z', withdrawn_at: null, tx_id: 'a'.repeat(64) },
    {
      scheme: 'FAIRTRADE',
      since: '2026-01-10T09:00:00Z',
      withdrawn_at: '2026-03-02T12:00:00Z',
      tx_id: 'b'.repeat(64),
    },
  ],
};

function table() {
  return screen.getByRole('table', { name: 'Accreditations' });
}

describe('AccreditationList', () => {
  it('shows each scheme since its grant and marks the withdrawn one', () => {
    renderWithMantine(<AccreditationList accreditations={[veritas]} />);
    const rows = within(table()).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('Veritas Organic Certification');
    expect(rows[1]).toHaveTextContent('EU-ORGANICAccredited');
    expect(rows[1]).toHaveTextContent('since 10 Jan 2026');
    expect(rows[2]).toHaveTextContent('FAIRTRADEWithdrawn');
    expect(rows[2]).toHaveTextContent('since 10 Jan 2026, withdrawn 2 Mar 2026');
    expect(screen.queryByRole('button', { name: /Withdraw/ })).toBeNull();
  });

  it('offers governors to withdraw only what is in force', async () => {
    const onWithdraw = vi.fn();
    renderWithMantine(<AccreditationList accreditations={[veritas]} onWithdraw={onWithdraw} />);
    const buttons = within(table()).getAllByRole('button', { name: /Withdraw/ });
    expect(buttons).toHaveLength(1);
    await userEvent.click(
      within(table()).getByRole('button', { name: 'Withdraw EU-ORGANIC from CertifierMSP' }),
    );
    expect(onWithdraw).toHaveBeenCalledWith('CertifierMSP', 'EU-ORGANIC');
  });

  it('says when nobody is accredited', () => {
    renderWithMantine(<AccreditationList accreditations={[]} />);
    expect(screen.getByText('No certification body has been accredited yet.')).toBeInTheDocument();
  });
});
