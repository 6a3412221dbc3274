import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Readiness } from '../../api/types';
import { healthy, ledgerDown } from '../../test/fixtures';
import { renderWithMantine } from '../../test/renderWithMantine';
import { ReadinessView } from './ReadinessView';

const updatedAt = new Date('2025-06-01T10:15:30Z');

describe('ReadinessView', () => {
  it('shows a card per check with its status, detail and latency', () => {
    renderWithMantine(<ReadinessView readiness={ledgerDown} updatedAt={updatedAt} />);

    const checks = within(screen.getByRole('list', { name: 'Readiness checks' })).getAllByRole('listitem');
    expect(checks).toHaveLength(4);

    const database = screen.getByRole('listitem', { name: 'Database' });
    expect(within(database).getByText('database')).toBeInTheDocument();
    expect(within(database).getByText('ok')).toBeInTheDocument();
    expect(within(database).getByText('sqlite')).toBeInTheDocument();
    expect(within(database).getByText('Answered in 0.42 ms')).toBeInTheDocument();

    const ledger = screen.getByRole('listitem', { name: 'Ledger' });
    expect(within(ledger).getByText('fail')).toBeInTheDocument();
    expect(within(ledger).getByText(/Connection refused/)).toBeInTheDocument();
    expect(within(ledger).getByText('Answered in 1.50 s')).toBeInTheDocument();
  });

  it('gives the overall status and when it was checked', () => {
    renderWithMantine(<ReadinessView readiness={ledgerDown} updatedAt={updatedAt} />);
    const overall = screen.getByRole('region', { name: 'Overall status' });
    expect(within(overall).getByText('1 of 4 checks failing')).toBeInTheDocument();
    expect(within(overall).getByText('fail')).toBeInTheDocument();
    expect(overall.querySelector('time')).toHaveAttribute('dateTime', '2025-06-01T10:15:30.000Z');
  });

  it('says all is well when it is', () => {
    renderWithMantine(<ReadinessView readiness={healthy} updatedAt={updatedAt} />);
    const overall = screen.getByRole('region', { name: 'Overall status' });
    expect(within(overall).getByText('All systems operational')).toBeInTheDocument();
    expect(within(overall).getByText('ok')).toBeInTheDocument();
  });

  it('renders checks and statuses it does not know, and a missing detail', () => {
    const report: Readiness = {
      status: 'fail',
      checks: [
        { name: 'kubo_rpc', status: 'degraded' as Readiness['status'], detail: null, latency_ms: 250 },
      ],
    };
    renderWithMantine(<ReadinessView readiness={report} updatedAt={updatedAt} />);
    const check = screen.getByRole('listitem', { name: 'Kubo rpc' });
    expect(within(check).getByText('degraded')).toBeInTheDocument();
    expect(within(check).getByText('No detail')).toBeInTheDocument();
    expect(screen.getByText('1 of 1 check failing')).toBeInTheDocument();
  });

  it('says so when there are no checks', () => {
    renderWithMantine(<ReadinessView readiness={{ status: 'ok', checks: [] }} updatedAt={updatedAt} />);
    expect(screen.getByText('The API reported no checks.')).toBeInTheDocument();
  });
});
