import { writeFile } from 'node:fs/promises';
import { CliError, messageOf } from './cli.error';
import { EXIT_OK, type CliIo, type Command } from './cli.io';
import { computeDrift } from './report.drift';
import { renderReportHtml } from './report.html';
import { reportJson, type Report } from './report.json';
import { loadReportData } from './report.loader';
import { parseReportOptions, REPORT_USAGE, type ReportOptions } from './report.options';
import { ReportWorker } from './report.worker-client';
import { computePerformance } from './report.performance';

async function writeOutput(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined) {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? messageOf(error);
    throw new CliError(`cannot write ${output}: ${reason}`);
  }
}

/** `driftline report`: drift of a current CSV against a reference CSV, and performance of predictions. */
export const reportCommand: Command = {
  name: 'report',
  summary: 'drift and performance of a current CSV against a reference CSV, as JSON or an HTML page',
  usage: REPORT_USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const options = parseReportOptions(argv);
    if (options === 'help') {
      io.stdout.write(`${REPORT_USAGE}\n`);
      return EXIT_OK;
    }
    const worker = ReportWorker.start();
    try {
      return await writeReport(options, worker, io);
    } finally {
      await worker?.close();
    }
  },
};

async function writeReport(
  options: ReportOptions,
  worker: ReportWorker | undefined,
  io: CliIo,
): Promise<number> {
  const data = await loadReportData(options, worker);
  const report: Report = {};
  if (options.drift && data.drift) report.drift = await computeDrift(data.drift, options.drift, worker);
  if (options.performance && data.performance) {
    report.performance = computePerformance(options.performance, data.performance, data.current);
  }
  const text =
    options.format === 'json'
      ? reportJson(report)
      : renderReportHtml({ report, data, settings: options.drift, generatedAt: new Date() });
  await writeOutput(text, options.output, io);
  return EXIT_OK;
}
