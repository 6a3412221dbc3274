import { Text } from '@mantine/core';
import { lazy, Suspense } from 'react';
import type { CheckpointView } from './api';
import { COLD_CHAIN, temperaturePoints } from './temperature';
import { PageLoader } from '../PageLoader';
import { MUTED } from '../Transaction/colors';
import { Section } from '../Verify/Section';

const TemperatureChart = lazy(() => import('./TemperatureChart'));

/** The chart, with its finding in words for those who cannot see it. */
export function TemperatureSection({ checkpoints }: { readonly checkpoints: readonly CheckpointView[] }) {
  const points = temperaturePoints(checkpoints);
  if (points.length === 0) return null;
  const outside = points.filter((point) => point.outside).length;
  return (
    <Section title="Temperature">
      <Text size="sm" role="status" aria-label="Temperature summary">
        {points.length} {points.length === 1 ? 'reading' : 'readings'};{' '}
        {outside === 0
          ? `all within ${String(COLD_CHAIN.min)}–${String(COLD_CHAIN.max)} °C.`
          : `${String(outside)} outside ${String(COLD_CHAIN.min)}–${String(COLD_CHAIN.max)} °C (red squares).`}
      </Text>
      <div
        role="img"
        aria-label={`Temperature readings against the ${String(COLD_CHAIN.min)}–${String(COLD_CHAIN.max)} °C band`}
      >
        <Suspense fallback={<PageLoader label="Drawing the chart…" />}>
          <TemperatureChart points={points} />
        </Suspense>
      </div>
      <Text size="xs" c={MUTED}>
        The shaded band is the cold chain’s {COLD_CHAIN.min}–{COLD_CHAIN.max} °C.
      </Text>
    </Section>
  );
}
