// The quarterly report as a PDF of a few pages, made on the server with pdfkit: the tiles, the same
// charts as the web page drawn as vector graphics, the tables of figures, the incident list and the
// definitions as footnotes. Every number comes from figures.ts, as on the web page.
import PDFDocument from 'pdfkit';
import type { QuarterlyReport } from '../report.types';
import {
  reportFigures,
  type Rag,
  type ReportFigures,
  type ReportWithMonths,
  type Table,
} from './figures';

const MARGIN = 42;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const WIDTH = PAGE_W - 2 * MARGIN;
const BOTTOM = PAGE_H - MARGIN - 14;

const RAG_COLOUR: Record<Rag, string> = {
  green: '#2e7d32',
  amber: '#c77700',
  red: '#c62828',
  none: '#757575',
};
const MET = '#2e7d32';
const BREACHED = '#c62828';
const SEVERITY_COLOUR = { '1': '#b71c1c', '2': '#ef6c00', '3': '#1565c0' } as const;
const INK = '#212121';
const GREY = '#757575';

export interface PdfOptions {
  organizationName?: string;
  /** The document's creation date (fixed in tests); defaults to the report's issue time or now. */
  createdAt?: Date;
}

export function renderReportPdf(
  report: QuarterlyReport,
  options: PdfOptions = {},
): Promise<Buffer> {
  const figures = reportFigures(report as ReportWithMonths, options.organizationName);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: figures.title,
      Subject: `Quarterly incident and activity report ${report.quarter}`,
      Creator: 'Helpdesk',
      CreationDate: options.createdAt ?? (report.issuedAt ? new Date(report.issuedAt) : new Date()),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  header(doc, figures);
  tiles(doc, figures);
  chartFirstResponse(doc, figures);
  doc.addPage();
  chartAvailability(doc, figures);
  chartChannels(doc, figures);
  chartBacklog(doc, figures);
  doc.addPage();
  for (const t of figures.tables) table(doc, t);
  footnotes(doc, figures);
  pageNumbers(doc, figures);
  doc.end();
  return done;
}

type Doc = PDFKit.PDFDocument;

function ensure(doc: Doc, height: number): void {
  if (doc.y + height > BOTTOM) doc.addPage();
}

function header(doc: Doc, f: ReportFigures): void {
  doc
    .fillColor(INK)
    .font('Helvetica-Bold')
    .fontSize(18)
    .text(f.title, MARGIN, MARGIN, { width: WIDTH });
  doc.font('Helvetica').fontSize(10).fillColor(GREY).text(`Period: ${f.period}`).text(f.status);
  doc.moveDown(0.8);
}

function tiles(doc: Doc, f: ReportFigures): void {
  const cols = 4;
  const gap = 8;
  const w = (WIDTH - gap * (cols - 1)) / cols;
  const h = 62;
  const top = doc.y;
  f.tiles.forEach((tile, i) => {
    const x = MARGIN + (i % cols) * (w + gap);
    const y = top + Math.floor(i / cols) * (h + gap);
    const colour = RAG_COLOUR[tile.rag];
    doc.save().lineWidth(1).roundedRect(x, y, w, h, 4).stroke(colour);
    doc.rect(x, y, 5, h).fill(colour).restore();
    doc
      .fillColor(GREY)
      .font('Helvetica')
      .fontSize(7.5)
      .text(tile.label, x + 10, y + 5, { width: w - 14, height: 18, ellipsis: true });
    doc
      .fillColor(colour)
      .font('Helvetica-Bold')
      .fontSize(14)
      .text(tile.value, x + 10, y + 22, { width: w - 14, lineBreak: false });
    doc
      .fillColor(INK)
      .font('Helvetica')
      .fontSize(6.5)
      .text(`${tile.target} (${tile.rag === 'none' ? 'n/a' : tile.rag})`, x + 10, y + 39, {
        width: w - 14,
        lineBreak: false,
      });
    doc
      .fillColor(GREY)
      .fontSize(6.5)
      .text(tile.detail, x + 10, y + 48, { width: w - 14, height: 12, ellipsis: true });
  });
  doc.x = MARGIN;
  doc.y = top + Math.ceil(f.tiles.length / cols) * (h + gap) + 6;
}

interface Segment {
  value: number;
  colour: string;
}
interface Bar {
  label: string;
  segments: Segment[];
  /** Text above the bar. */
  note?: string;
}
interface Group {
  label: string;
  bars: Bar[];
}
interface ChartSpec {
  title: string;
  groups: Group[];
  legend: { label: string; colour: string }[];
  yMin?: number;
  yMax?: number;
  yFormat?: (v: number) => string;
  /** A dashed line per group (e.g. the goal), in y units. */
  line?: { label: string; values: number[]; colour: string };
  height?: number;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Grouped, stacked bars with a y axis, a legend and an optional dashed line per group. */
function barChart(doc: Doc, spec: ChartSpec): void {
  const height = spec.height ?? 190;
  ensure(doc, height + 40);
  doc.fillColor(INK).font('Helvetica-Bold').fontSize(11).text(spec.title, MARGIN, doc.y);
  const top = doc.y + 16;
  const left = MARGIN + 44;
  const plotW = WIDTH - 44;
  const plotH = height - 40;
  const base = top + plotH;
  const totals = spec.groups.flatMap((g) =>
    g.bars.map((b) => b.segments.reduce((s, x) => s + x.value, 0)),
  );
  const yMin = spec.yMin ?? 0;
  const yMax = spec.yMax ?? niceMax(Math.max(...totals, ...(spec.line?.values ?? []), 1));
  const fmt = spec.yFormat ?? ((v: number) => String(Math.round(v * 100) / 100));
  const y = (v: number) =>
    base - ((Math.min(Math.max(v, yMin), yMax) - yMin) / (yMax - yMin)) * plotH;

  // legend
  let lx = left;
  doc.font('Helvetica').fontSize(7.5);
  for (const item of [
    ...spec.legend,
    ...(spec.line ? [{ label: spec.line.label, colour: spec.line.colour }] : []),
  ]) {
    doc.rect(lx, top - 12, 8, 8).fill(item.colour);
    doc.fillColor(INK).text(item.label, lx + 11, top - 12, { lineBreak: false });
    lx += 16 + doc.widthOfString(item.label) + 10;
  }
  // axis and grid
  doc.save().lineWidth(0.4).strokeColor('#bdbdbd');
  for (let i = 0; i <= 4; i++) {
    const v = yMin + ((yMax - yMin) * i) / 4;
    doc
      .moveTo(left, y(v))
      .lineTo(left + plotW, y(v))
      .stroke();
    doc
      .fillColor(GREY)
      .fontSize(7)
      .text(fmt(v), MARGIN, y(v) - 3, { width: 40, align: 'right', lineBreak: false });
  }
  doc.restore();

  const groupW = plotW / Math.max(spec.groups.length, 1);
  spec.groups.forEach((g, gi) => {
    const gx = left + gi * groupW;
    const n = Math.max(g.bars.length, 1);
    const barW = Math.min(34, (groupW * 0.8) / n);
    const start = gx + (groupW - barW * n - 4 * (n - 1)) / 2;
    g.bars.forEach((b, bi) => {
      const bx = start + bi * (barW + 4);
      let acc = yMin;
      for (const s of b.segments) {
        if (s.value <= 0) continue;
        const y0 = y(acc);
        const y1 = y(acc + s.value);
        doc.rect(bx, y1, barW, Math.max(y0 - y1, 0.5)).fill(s.colour);
        acc += s.value;
      }
      if (b.note !== undefined)
        doc
          .fillColor(INK)
          .fontSize(6.5)
          .text(b.note, bx - 10, y(acc) - 9, {
            width: barW + 20,
            align: 'center',
            lineBreak: false,
          });
      if (n > 1)
        doc
          .fillColor(GREY)
          .fontSize(6.5)
          .text(b.label, bx - 4, base + 2, { width: barW + 8, align: 'center', lineBreak: false });
    });
    doc
      .fillColor(INK)
      .fontSize(8)
      .text(g.label, gx, base + (n > 1 ? 11 : 3), {
        width: groupW,
        align: 'center',
        lineBreak: false,
      });
    if (spec.line) {
      const ly = y(spec.line.values[gi] ?? 0);
      doc.save().lineWidth(1.2).dash(4, { space: 3 }).strokeColor(spec.line.colour);
      doc
        .moveTo(gx + 4, ly)
        .lineTo(gx + groupW - 4, ly)
        .stroke();
      doc.undash().restore();
    }
  });
  doc
    .save()
    .lineWidth(0.8)
    .strokeColor(INK)
    .moveTo(left, base)
    .lineTo(left + plotW, base)
    .stroke()
    .restore();
  doc.x = MARGIN;
  doc.y = top + height - 14;
}

function chartFirstResponse(doc: Doc, f: ReportFigures): void {
  const c = f.firstResponseChart;
  barChart(doc, {
    title: 'First response: met and breached per severity [1]',
    legend: [
      { label: 'met', colour: MET },
      { label: 'breached', colour: BREACHED },
    ],
    groups: c.labels.map((label, i) => ({
      label,
      bars: c.series.map((s) => ({
        label: `S${s.severity}`,
        note: `${s.met[i]}/${s.breached[i]}`,
        segments: [
          { value: s.met[i] ?? 0, colour: MET },
          { value: s.breached[i] ?? 0, colour: BREACHED },
        ],
      })),
    })),
    height: 220,
  });
}

function chartAvailability(doc: Doc, f: ReportFigures): void {
  const c = f.availabilityChart;
  const low = Math.min(...c.availability, ...c.goal, 100);
  const yMin = Math.max(0, Math.floor(low - 0.5));
  barChart(doc, {
    title: 'Availability per month against the goal, with the downtime budget left [4]',
    legend: [{ label: 'availability', colour: '#1565c0' }],
    line: { label: 'goal', values: c.goal, colour: BREACHED },
    yMin,
    yMax: 100,
    yFormat: (v) => `${v.toFixed(1)}%`,
    groups: c.labels.map((label, i) => ({
      label: `${label}: budget left ${c.budgetLeftText[i]}`,
      bars: [
        {
          label,
          note: c.availabilityText[i],
          segments: [
            {
              value: (c.availability[i] ?? 0) - yMin,
              colour: (c.availability[i] ?? 0) < (c.goal[i] ?? 0) ? BREACHED : '#1565c0',
            },
          ],
        },
      ],
    })),
  });
}

function chartChannels(doc: Doc, f: ReportFigures): void {
  const c = f.channelChart;
  barChart(doc, {
    title: 'Volume by channel (tickets created) [2]',
    legend: [{ label: 'tickets', colour: '#455a64' }],
    groups: c.labels.map((label, i) => ({
      label,
      bars: [
        {
          label,
          note: String(c.values[i]),
          segments: [{ value: c.values[i] ?? 0, colour: '#455a64' }],
        },
      ],
    })),
    height: 170,
  });
}

function chartBacklog(doc: Doc, f: ReportFigures): void {
  const c = f.backlogChart;
  barChart(doc, {
    title: 'Backlog age at the end of the period, by severity [3]',
    legend: c.series.map((s) => ({
      label: `Severity ${s.severity}`,
      colour: SEVERITY_COLOUR[s.severity],
    })),
    groups: c.labels.map((label, i) => ({
      label,
      bars: [
        {
          label,
          note: String(c.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)),
          segments: c.series.map((s) => ({
            value: s.values[i] ?? 0,
            colour: SEVERITY_COLOUR[s.severity],
          })),
        },
      ],
    })),
    height: 170,
  });
}

function table(doc: Doc, t: Table): void {
  // Columns as wide as their widest cell, scaled to the page; the font shrinks if they still do not fit.
  let size = 7.5;
  // Text width grows linearly with the font size: measure every column once, at size 1.
  doc.font('Helvetica-Bold').fontSize(1);
  const unit = t.head.map((_, i) => {
    let max = doc.widthOfString(t.head[i] ?? '');
    for (const r of t.rows) {
      const cell = r[i] ?? '';
      // A cell cannot be wider than ~0.7 em a character: skip measuring those that cannot win.
      if (cell.length * 0.7 > max) max = Math.max(max, doc.widthOfString(cell));
    }
    return max;
  });
  const natural = (fs: number) => unit.map((w) => w * fs + 8);
  let widths = natural(size);
  while (widths.reduce((a, b) => a + b, 0) > WIDTH && size > 5.5) {
    size -= 0.5;
    widths = natural(size);
  }
  const sum = widths.reduce((a, b) => a + b, 0);
  widths = widths.map((w) => (w * WIDTH) / sum);
  const rest = WIDTH / t.head.length;
  const rowH = 13;
  ensure(doc, 30 + rowH * Math.min(t.rows.length, 3));
  doc.fillColor(INK).font('Helvetica-Bold').fontSize(11).text(t.title, MARGIN, doc.y);
  doc.moveDown(0.2);
  const line = (cells: string[], bold: boolean) => {
    ensure(doc, rowH);
    const y = doc.y;
    let x = MARGIN;
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(size)
      .fillColor(INK);
    cells.forEach((cell, i) => {
      doc.text(cell, x + 2, y + 2, { lineBreak: false });
      x += widths[i] ?? rest;
    });
    doc
      .save()
      .lineWidth(0.3)
      .strokeColor('#e0e0e0')
      .moveTo(MARGIN, y + rowH)
      .lineTo(MARGIN + WIDTH, y + rowH)
      .stroke()
      .restore();
    doc.x = MARGIN;
    doc.y = y + rowH;
  };
  line(t.head, true);
  if (t.rows.length === 0) line(['none'], false);
  for (const r of t.rows) line(r, false);
  doc.moveDown(0.9);
}

function footnotes(doc: Doc, f: ReportFigures): void {
  ensure(doc, 60);
  doc
    .save()
    .lineWidth(0.6)
    .strokeColor(GREY)
    .moveTo(MARGIN, doc.y)
    .lineTo(MARGIN + 160, doc.y)
    .stroke()
    .restore();
  doc.moveDown(0.4);
  doc.fillColor(INK).font('Helvetica-Bold').fontSize(8).text('Definitions', MARGIN, doc.y);
  doc.font('Helvetica').fontSize(7);
  for (const d of f.definitions) {
    ensure(doc, 30);
    doc.text(`${d.mark} ${d.text}`, MARGIN, doc.y, { width: WIDTH });
    doc.moveDown(0.3);
  }
}

function pageNumbers(doc: Doc, f: ReportFigures): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit start a new page.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fillColor(GREY).font('Helvetica').fontSize(7);
    doc.text(
      `${f.title} - ${f.status} - page ${i + 1} of ${range.count}`,
      MARGIN,
      PAGE_H - MARGIN + 4,
      {
        width: WIDTH,
        align: 'center',
        lineBreak: false,
      },
    );
    doc.page.margins.bottom = bottomMargin;
  }
}
