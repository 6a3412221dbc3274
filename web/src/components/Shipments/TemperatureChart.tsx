/**
 * The temperature readings drawn against the cold-chain band. Recharts is large, so this
 * module is its own chunk: the detail page loads it with React.lazy, only when there
 * are readings to draw.
 */
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { COLD_CHAIN, type TemperaturePoint } from './temperature';
import { formatMoment } from '../Certificates/format';

const IN_BAND = 'var(--mantine-color-teal-7)';
const OUTSIDE = 'var(--mantine-color-red-8)';

interface DotProps {
  readonly cx?: number;
  readonly cy?: number;
  readonly payload?: TemperaturePoint;
}

/** Readings outside the band are larger, red and square, so the mark does not rely on colour. */
function ReadingDot({ cx, cy, payload }: DotProps) {
  if (cx === undefined || cy === undefined || payload === undefined) return null;
  if (payload.outside) {
    return <rect x={cx - 5} y={cy - 5} width={10} height={10} fill={OUTSIDE} data-outside="true" />;
  }
  return <circle cx={cx} cy={cy} r={4} fill={IN_BAND} />;
}

export default function TemperatureChart({ points }: { readonly points: readonly TemperaturePoint[] }) {
  const values = points.map((point) => point.celsius);
  const low = Math.floor(Math.min(COLD_CHAIN.min - 1, ...values));
  const high = Math.ceil(Math.max(COLD_CHAIN.max + 1, ...values));
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={[...points]} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <ReferenceArea
          y1={COLD_CHAIN.min}
          y2={COLD_CHAIN.max}
          fill="var(--mantine-color-teal-2)"
          fillOpacity={0.5}
          ifOverflow="extendDomain"
        />
        <XAxis
          dataKey="time"
          type="number"
          scale="time"
          domain={['dataMin', 'dataMax']}
          tickFormatter={(time: number) => formatMoment(new Date(time).toISOString())}
          fontSize={11}
          minTickGap={40}
        />
        <YAxis domain={[low, high]} unit=" °C" fontSize={11} width={56} />
        <Tooltip
          labelFormatter={(time) => formatMoment(new Date(Number(time)).toISOString())}
          formatter={(value) => [`${String(value)} °C`, 'Temperature']}
        />
        <Line
          type="monotone"
          dataKey="celsius"
          stroke={IN_BAND}
          strokeWidth={2}
          dot={<ReadingDot />}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
