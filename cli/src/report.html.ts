import type {
  BinaryMetrics,
  ColumnDrift,
  DatasetDrift,
  MulticlassMetrics,
  PerformanceReport,
  RegressionMetrics,
} from '@driftline/stats';
import { columnChart, fmt } from './report.charts';
import type { Report } from './report.json';
import type { DriftColumn, FileSummary, ReportData } from './report.loader';
import { chartSvg, escapeHtml } from './report.svg';

export interface HtmlReportInput {
  report: Report;
  data: ReportData;
  /** The drift settings the report was computed with. */
  settings?: { bins: number; driftShare: number; correction: string };
  generatedAt: Date;
}

const STYLE = `
:root{--ref:#4c78a8;--cur:#f58518;--ink:#1f2933;--muted:#52606d;--line:#e4e7eb;--bg:#f5f7fa;--bad:#b42318;--bad-bg:#fef3f2;--ok:#067647;--ok-bg:#ecfdf3}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:1240px;margin:0 auto;padding:0 28px}
header.top{background:#1f2933;color:#f5f7fa;padding:22px 0 20px}
header.top .brand{font-size:12px;letter-spacing:.14em;text-transform:uppercase;color:#9aa5b1}
header.top h1{margin:2px 0 6px;font-size:24px;font-weight:600}
header.top .meta{margin:0;color:#cbd2d9;font-size:13px}
header.top code{color:#fff;background:rgba(255,255,255,.08);padding:1px 6px;border-radius:4px}
main{padding:8px 28px 48px}
h2{font-size:18px;margin:28px 0 12px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin-bottom:16px}
.tile{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.tile .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.06em}
.tile .value{font-size:24px;font-weight:600;font-variant-numeric:tabular-nums}
.tile .sub{color:var(--muted);font-size:12px}
.tile.bad{border-color:#fecdca;background:var(--bad-bg)} .tile.bad .value{color:var(--bad)}
.tile.ok{border-color:#abefc6;background:var(--ok-bg)} .tile.ok .value{color:var(--ok)}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);border-radius:10px;overflow:hidden}
th,td{padding:8px 12px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
th.num{text-align:right}
th{background:#f9fafb;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em;font-weight:600}
tr:last-child td{border-bottom:0}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td a{color:inherit;text-decoration:none;border-bottom:1px dotted #9aa5b1}
.pill{display:inline-block;padding:1px 10px;border-radius:999px;font-size:12px;font-weight:600}
.pill.bad{background:var(--bad-bg);color:var(--bad)} .pill.ok{background:var(--ok-bg);color:var(--ok)} .pill.task{background:#eef2f6;color:var(--muted);vertical-align:3px}
.note{color:var(--muted);font-size:13px}
.legend{display:flex;gap:18px;color:var(--muted);font-size:13px;margin:-4px 0 12px}
.legend span::before{content:"";display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;vertical-align:-1px}
.legend .ref::before{background:var(--ref)} .legend .cur::before{background:var(--cur)}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:16px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:14px 16px 8px}
.card h3{margin:0;font-size:15px;display:flex;align-items:center;gap:10px;justify-content:space-between}
.card .facts{color:var(--muted);font-size:12.5px;margin:2px 0 6px}
svg.chart{width:100%;height:auto;display:block}
svg .bar.reference{fill:var(--ref)} svg .bar.current{fill:var(--cur)}
svg .grid{stroke:#eef0f3} svg .axis{stroke:#9aa5b1}
svg .tick{fill:var(--muted);font-size:11px;font-family:inherit}
.matrix{display:grid;grid-template-columns:auto 1fr 1fr;gap:6px;max-width:420px;align-items:center}
.matrix .cell{border-radius:8px;padding:12px;text-align:center;font-weight:600;font-size:18px;font-variant-numeric:tabular-nums}
.matrix .cell small{display:block;font-weight:400;font-size:11px;color:var(--muted)}
.matrix .head{color:var(--muted);font-size:12px;text-align:center}
footer{color:var(--muted);font-size:12px;margin-top:36px}
@media print{body{background:#fff}.card,.tile,table{break-inside:avoid}}
`;

function pValue(p: number | null): string {
  if (p === null) return '—';
  return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

function stat(x: number | null): string {
  return x === null ? '—' : fmt(x);
}

function share(x: number): string {
  return `${(x * 100).toFixed(x === 0 || x >= 0.1 ? 0 : 1)}%`;
}

function pill(drifted: boolean): string {
  return drifted ? '<span class="pill bad">drift</span>' : '<span class="pill ok">no drift</span>';
}

function tile(label: string, value: string, sub = '', tone = ''): string {
  return `<div class="tile ${tone}"><div class="label">${label}</div><div class="value">${value}</div><div class="sub">${sub}</div></div>`;
}

function anchor(column: string): string {
  return `col-${encodeURIComponent(column).replace(/%/g, '_')}`;
}

function rule(c: ColumnDrift): string {
  return c.pValue === null ? `statistic ≥ ${fmt(c.threshold)}` : `p < ${fmt(c.threshold)}`;
}

function summaryRow(c: ColumnDrift): string {
  return `<tr><td><a href="#${anchor(c.column)}">${escapeHtml(c.column)}</a></td><td>${c.type}</td><td>${c.method}</td>
<td class="num">${stat(c.statistic)}</td><td class="num">${pValue(c.pValue)}</td><td>${rule(c)}</td>
<td class="num">${share(c.missingShare)}</td><td>${pill(c.drifted)}</td></tr>`;
}

function driftSection(
  drift: DatasetDrift,
  columns: DriftColumn[],
  settings: { bins: number; driftShare: number; correction: string },
): string {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const cards = drift.columns.map((c) => {
    const column = byName.get(c.column);
    const svg = column === undefined ? '' : chartSvg(columnChart(column, c, settings.bins));
    const facts = [c.type, c.method, `statistic ${stat(c.statistic)}`];
    if (c.pValue !== null) facts.push(`p ${pValue(c.pValue)}`);
    facts.push(`drift when ${rule(c)}`, `missing ${share(c.missingShare)}`);
    return `<div class="card" id="${anchor(c.column)}"><h3><span>${escapeHtml(c.column)}</span>${pill(c.drifted)}</h3>
<div class="facts">${facts.join(' · ')}</div>${svg}</div>`;
  });
  return `<section><h2>Data drift</h2><div class="tiles">
${tile('Data set', drift.datasetDrift ? 'Drift' : 'No drift', `drift when ≥ ${share(settings.driftShare)} of the columns drift`, drift.datasetDrift ? 'bad' : 'ok')}
${tile('Drifted columns', `${drift.driftedColumns} of ${drift.totalColumns}`, `${share(drift.driftedColumns / drift.totalColumns)} of the tested columns`)}
${tile('Multiple testing', settings.correction === 'none' ? 'None' : settings.correction === 'bh' ? 'Benjamini–Hochberg' : 'Bonferroni', 'correction of the p-value tests')}
</div>
<table><thead><tr><th>Column</th><th>Type</th><th>Method</th><th class="num">Statistic</th><th class="num">p-value</th><th>Drift when</th><th class="num">Missing (current)</th><th></th></tr></thead>
<tbody>${drift.columns.map(summaryRow).join('')}</tbody></table>
<h2>Reference against current</h2>
<div class="legend"><span class="ref">Reference</span><span class="cur">Current</span><span>share of rows per bin (numeric, reference bins) or category</span></div>
<div class="charts">${cards.join('\n')}</div></section>`;
}

const METRIC_LABELS: Record<string, string> = {
  accuracy: 'Accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1',
  rocAuc: 'ROC AUC',
  logLoss: 'Log loss',
  brier: 'Brier score',
  precisionMacro: 'Precision (macro)',
  recallMacro: 'Recall (macro)',
  f1Macro: 'F1 (macro)',
  f1Weighted: 'F1 (weighted)',
  mae: 'MAE',
  rmse: 'RMSE',
  mape: 'MAPE',
  r2: 'R²',
  meanError: 'Mean error',
  medianAbsoluteError: 'Median |error|',
};

function metricTiles(metrics: BinaryMetrics | MulticlassMetrics | RegressionMetrics): string {
  return Object.entries(metrics)
    .filter((e): e is [string, number | null] => e[1] === null || typeof e[1] === 'number')
    .map(([key, value]) => tile(METRIC_LABELS[key] ?? key, value === null ? '—' : fmt(value)))
    .join('\n');
}

function confusionMatrix(m: BinaryMetrics): string {
  const { tp, fp, fn, tn } = m.confusionMatrix;
  const total = tp + fp + fn + tn;
  const cell = (n: number, name: string, good: boolean) => {
    const alpha = (0.12 + 0.5 * (n / total)).toFixed(2);
    const color = good ? `rgba(6,118,71,${alpha})` : `rgba(180,35,24,${alpha})`;
    return `<div class="cell" style="background:${color}">${n}<small>${name} · ${share(n / total)}</small></div>`;
  };
  return `<h2>Confusion matrix</h2><div class="matrix">
<div></div><div class="head">predicted positive</div><div class="head">predicted negative</div>
<div class="head">actual positive</div>${cell(tp, 'true positive', true)}${cell(fn, 'false negative', false)}
<div class="head">actual negative</div>${cell(fp, 'false positive', false)}${cell(tn, 'true negative', true)}
</div>`;
}

function performanceSection(p: PerformanceReport, current: FileSummary): string {
  const matrix = p.task === 'binary' ? confusionMatrix(p.metrics as BinaryMetrics) : '';
  return `<section><h2>Performance <span class="pill task">${p.task}</span></h2>
<div class="tiles">${metricTiles(p.metrics)}</div>${matrix}
<p class="note">On the rows of ${escapeHtml(current.path)} where every named column has a value.</p></section>`;
}

function fileLine(label: string, f: FileSummary): string {
  return `${label} <code>${escapeHtml(f.path)}</code> (${f.rows.toLocaleString('en-US')} rows)`;
}

function title(report: Report): string {
  if (report.drift && report.performance) return 'Drift and performance report';
  return report.drift ? 'Drift report' : 'Performance report';
}

/** The report as one self-contained HTML page: inline CSS and inline SVG, nothing fetched. */
export function renderReportHtml(input: HtmlReportInput): string {
  const { report, data, settings } = input;
  const files = [
    data.reference ? fileLine('Reference', data.reference) : '',
    fileLine('Current', data.current),
  ];
  const stamp = `${input.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const sections = [
    report.drift && data.drift && settings ? driftSection(report.drift, data.drift, settings) : '',
    report.performance ? performanceSection(report.performance, data.current) : '',
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Driftline report</title><style>${STYLE}</style></head>
<body><header class="top"><div class="wrap"><div class="brand">Driftline</div><h1>${title(report)}</h1>
<p class="meta">${files.filter((f) => f !== '').join(' · ')} · generated ${stamp}</p></div></header>
<main class="wrap">${sections.join('\n')}
<footer>Statistics as defined in STATS.md${report.drift ? ': p-value tests drift when p is below the threshold, distances when the statistic reaches it. Hover a bar for its exact share' : ''}.</footer>
</main></body></html>
`;
}
