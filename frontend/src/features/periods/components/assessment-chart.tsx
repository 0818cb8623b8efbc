import '@mantine/charts/styles.css';

import { LineChart } from '@mantine/charts';

import { formatDate } from '@/lib/format';

import type { AssessmentChart } from '../api/assessments';

const colors = ['highlight.6', 'success.6', 'warning.7', 'alert.6', 'depth.6', 'highlight.8', 'success.8', 'alert.8'];

/** Scores over time, a line per criterion (loaded on its own: the chart library is large). */
export default function AssessmentLineChart({ chart, name }: { chart: AssessmentChart; name: (series: AssessmentChart['series'][number]) => string }) {
  const dates = [...new Set(chart.series.flatMap((series) => series.points.map((point) => point.date)))].sort();
  const data = dates.map((date) => {
    const row: Record<string, string | number> = { date: formatDate(date) };
    for (const series of chart.series) {
      const point = series.points.find((p) => p.date === date);
      if (point) row[name(series)] = point.score;
    }
    return row;
  });
  const min = Math.min(...chart.series.map((series) => series.scale_min));
  const max = Math.max(...chart.series.map((series) => series.scale_max));
  return (
    <LineChart
      h={280}
      data={data}
      dataKey="date"
      series={chart.series.map((series, index) => ({ name: name(series), color: colors[index % colors.length] ?? 'highlight.6' }))}
      withLegend
      connectNulls
      curveType="linear"
      yAxisProps={{ domain: [min, max], allowDecimals: false }}
      // The table beside it is the accessible form of the same figures: the picture is hidden
      // from assistive technology and takes no keyboard focus.
      lineChartProps={{ accessibilityLayer: false }}
      aria-hidden
    />
  );
}
