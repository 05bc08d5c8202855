import { useId } from 'react';
import type { Translate } from '@/lib/shared/i18n';

const WIDTH = 300;
const HEIGHT = 80;
const GAP = 2;

/**
 * A small bar chart of counts per day, drawn as inline SVG on the server (no script, no library).
 * Screen readers get the title and a one-line summary; the exact numbers are in a table below it,
 * folded away by default.
 */
export function DailyChart({ t, title, unit, days }: { t: Translate; title: string; unit: string; days: { day: string; count: number }[] }) {
  const id = useId();
  const max = Math.max(1, ...days.map((d) => d.count));
  const total = days.reduce((sum, d) => sum + d.count, 0);
  const barWidth = days.length ? WIDTH / days.length - GAP : 0;
  const first = days[0]?.day ?? '';
  const last = days[days.length - 1]?.day ?? '';
  const summary = t('chart.summary', { total, unit, first, last, max: Math.max(0, ...days.map((d) => d.count)) });
  return (
    <figure className="stack" style={{ margin: 0 }}>
      <figcaption><strong>{title}</strong> <span className="muted">{t('chart.in_days', { total, days: days.length })}</span></figcaption>
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${WIDTH} ${HEIGHT + 14}`} width="100%" style={{ maxWidth: '32rem' }}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        <line x1={0} y1={HEIGHT + 0.5} x2={WIDTH} y2={HEIGHT + 0.5} stroke="currentColor" strokeOpacity={0.3} />
        {days.map((d, i) => {
          const h = d.count === 0 ? 0 : Math.max(2, (d.count / max) * (HEIGHT - 4));
          return (
            <rect key={d.day} x={i * (barWidth + GAP)} y={HEIGHT - h} width={barWidth} height={h} fill="currentColor" fillOpacity={0.7}>
              <title>{`${d.day}: ${d.count}`}</title>
            </rect>
          );
        })}
        <text x={0} y={HEIGHT + 12} fontSize={9} fill="currentColor">{first.slice(5)}</text>
        <text x={WIDTH} y={HEIGHT + 12} fontSize={9} fill="currentColor" textAnchor="end">{last.slice(5)}</text>
        <text x={WIDTH} y={9} fontSize={9} fill="currentColor" textAnchor="end">{t('chart.max', { max })}</text>
      </svg>
      <details>
        <summary>{t('chart.as_table', { title })}</summary>
        <table aria-label={t('chart.per_day', { title })}>
          <thead><tr><th>{t('chart.day')}</th><th className="num">{unit}</th></tr></thead>
          <tbody>{days.map((d) => <tr key={d.day}><td>{d.day}</td><td className="num">{d.count}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}
