import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { david } from '../../test/fixtures';
import { renderWithMantine } from '../../test/renderWithMantine';
import { OrganizationCard } from './OrganizationCard';
import { RoleBadges } from './RoleBadges';

describe('RoleBadges', () => {
  it('lists each role as a badge', () => {
    renderWithMantine(<RoleBadges roles={['admin', 'certifier', 'auditor']} />);
    const roles = within(screen.getByRole('list', { name: 'Roles' })).getAllByRole('listitem');
    expect(roles.map((role) => role.textContent)).toEqual(['admin', 'certifier', 'auditor']);
  });

  it('says when there are none', () => {
    renderWithMantine(<RoleBadges roles={[]} />);
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
    expect(screen.getByText('No roles')).toBeInTheDocument();
  });
});

describe('OrganizationCard', () => {
  it('shows the name, MSP id and kind', () => {
    renderWithMantine(<OrganizationCard organization={david.organization} />);
    const card = screen.getByRole('region', { name: 'Organization' });
    const values = within(card)
      .getAllByRole('definition')
      .map((value) => value.textContent);
    expect(values).toEqual(['Veritas Organic Certification', 'CertifierMSP', 'Certification body']);
  });

  it('makes an unknown kind readable', () => {
    renderWithMantine(
      <OrganizationCard
        organization={{ msp_id: 'LabMSP', name: 'Test Lab', kind: 'testing_lab' as 'producer' }}
      />,
    );
    expect(screen.getByText('Testing lab')).toBeInTheDocument();
  });

  it('says when the person has no organization', () => {
    renderWithMantine(<OrganizationCard organization={null} />);
    expect(screen.getByText(/No organization/)).toBeInTheDocument();
  });
});
