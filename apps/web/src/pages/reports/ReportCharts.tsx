import { useEffect, useRef } from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { ReportFigures } from '@app/report-figures';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

const MET = '#2e7d32';
const BREACHED = '#c62828';
const SEVERITY = { '1': '#b71c1c', '2': '#ef6c00', '3': '#1565c0' } as const;

/** One chart.js chart on a canvas, with a text alternative (the figures are in the tables below too). */
function ChartCanvas({ config, label }: { config: ChartConfiguration; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  // Drawn again only when the figures change (the label is made from them).
  const latest = useRef(config);
  latest.current = config;
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, latest.current);
    return () => chart.destroy();
  }, [label]);
  return (
    <div className="report-chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

export function FirstResponseChart({ f }: { f: ReportFigures }) {
  const c = f.firstResponseChart;
  const config: ChartConfiguration = {
    type: 'bar',
    data: {
      labels: c.labels.map((l) => `${l} (S1 · S2 · S3)`),
      datasets: c.series.flatMap((s) => [
        {
          label: `Severity ${s.severity} met`,
          data: s.met,
          backgroundColor: MET,
          stack: `s${s.severity}`,
        },
        {
          label: `Severity ${s.severity} breached`,
          data: s.breached,
          backgroundColor: BREACHED,
          stack: `s${s.severity}`,
        },
      ]),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: {
        // One entry per colour: the bars of each month are severity 1, 2 and 3 from left to right.
        legend: {
          labels: {
            generateLabels: () => [
              { text: 'met', fillStyle: MET, strokeStyle: MET, lineWidth: 0, datasetIndex: 0 },
              {
                text: 'breached',
                fillStyle: BREACHED,
                strokeStyle: BREACHED,
                lineWidth: 0,
                datasetIndex: 1,
              },
            ],
          },
          onClick: () => undefined,
        },
      },
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  };
  const text = c.labels
    .map(
      (l, i) =>
        `${l}: ${c.series.map((s) => `Severity ${s.severity} ${s.met[i]} met, ${s.breached[i]} breached`).join('; ')}`,
    )
    .join('. ');
  return (
    <ChartCanvas config={config} label={`Met and breached first responses per severity. ${text}`} />
  );
}

export function AvailabilityChart({ f }: { f: ReportFigures }) {
  const c = f.availabilityChart;
  const low = Math.min(...c.availability, ...c.goal, 100);
  const config: ChartConfiguration = {
    type: 'bar',
    data: {
      labels: c.labels.map((l, i) => `${l} (budget left ${c.budgetLeftText[i]})`),
      datasets: [
        {
          type: 'bar',
          label: 'Availability %',
          data: c.availability,
          backgroundColor: c.availability.map((a, i) =>
            a < (c.goal[i] ?? 0) ? BREACHED : '#1565c0',
          ),
        },
        {
          type: 'line',
          label: 'Goal %',
          data: c.goal,
          borderColor: BREACHED,
          borderDash: [6, 4],
          pointRadius: 0,
          fill: false,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { min: Math.max(0, Math.floor(low - 0.5)), max: 100 } },
    },
  };
  const text = c.labels
    .map(
      (l, i) =>
        `${l}: ${c.availabilityText[i]}, goal ${c.goal[i]}%, budget left ${c.budgetLeftText[i]}`,
    )
    .join('. ');
  return <ChartCanvas config={config} label={`Availability per month against the goal. ${text}`} />;
}

export function ChannelChart({ f }: { f: ReportFigures }) {
  const c = f.channelChart;
  const config: ChartConfiguration = {
    type: 'bar',
    data: {
      labels: c.labels,
      datasets: [{ label: 'Tickets created', data: c.values, backgroundColor: '#455a64' }],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
  const text = c.labels.map((l, i) => `${l} ${c.values[i]}`).join(', ');
  return <ChartCanvas config={config} label={`Tickets created by channel: ${text}`} />;
}

export function BacklogChart({ f }: { f: ReportFigures }) {
  const c = f.backlogChart;
  const config: ChartConfiguration = {
    type: 'bar',
    data: {
      labels: c.labels,
      datasets: c.series.map((s) => ({
        label: `Severity ${s.severity}`,
        data: s.values,
        backgroundColor: SEVERITY[s.severity],
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  };
  const text = c.labels
    .map(
      (l, i) => `${l}: ${c.series.map((s) => `Severity ${s.severity} ${s.values[i]}`).join(', ')}`,
    )
    .join('. ');
  return <ChartCanvas config={config} label={`Backlog age at the end of the period. ${text}`} />;
}
