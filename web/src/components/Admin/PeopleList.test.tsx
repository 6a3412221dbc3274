import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithMantine } from '../../test/renderWithMantine';
import type { Person, PersonIdentity } from './adminApi';
import { identitySummary, PeopleList } from './PeopleList';

const identity: PersonIdentity = {
  msp_id: 'CertifierMSP',
  enrollment_id: 'ines.moreau-1',
  role: 'admin',
  custody: 'server',
  created_at: '2026-01-10T09:00:00Z',
  revoked_at: null,
};

const ines: Person = {
  subject: 'ines.moreau',
  email: 'ines.moreau@certifier.provena.test',
  display_name: 'Inès Moreau',
  msp_id: 'CertifierMSP',
  organization_name: 'Veritas Organic Certification',
  roles: ['admin'],
  last_seen_at: '2026-03-02T12:00:00Z',
  ledger_identities: [identity],
};

describe('identitySummary', () => {
  it('says who holds the key of the newest identity, or that it is revoked', () => {
    expect(identitySummary(ines).label).toBe('Key sealed on the server');
    const browser = { ...identity, custody: 'browser' as const };
    expect(identitySummary({ ...ines, ledger_identities: [browser, identity] }).label).toBe(
      'Key in their browser',
    );
    const revoked = { ...identity, revoked_at: '2026-02-01T00:00:00Z' };
    expect(identitySummary({ ...ines, ledger_identities: [revoked] }).label).toBe('Identity revoked');
    expect(identitySummary({ ...ines, ledger_identities: [] }).label).toBe('No ledger identity yet');
  });
});

describe('PeopleList', () => {
  it('shows each person with organization, roles and ledger identity', () => {
    const tomas: Person = {
      ...ines,
      subject: 'tomas.herrera',
      display_name: 'Tomás Herrera',
      email: null,
      roles: ['producer'],
      ledger_identities: [],
    };
    renderWithMantine(<PeopleList people={[ines, tomas]} />);
    const [, first, second] = within(screen.getByRole('table', { name: 'People' })).getAllByRole('row');
    expect(first).toHaveTextContent('Inès Moreau');
    expect(first).toHaveTextContent('Veritas Organic Certification');
    expect(first).toHaveTextContent('Key sealed on the server');
    expect(first).toHaveTextContent('ines.moreau-1 · CertifierMSP · admin');
    expect(second).toHaveTextContent('no email');
    expect(second).toHaveTextContent('No ledger identity yet');
  });
});
