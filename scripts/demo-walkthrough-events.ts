import { postEvents } from './demo-api.client';
import {
  monthRows,
  readBikeCsv,
  referenceCsv,
  walkthroughEvents,
  type BikeCsvRecord,
} from './demo-walkthrough.rows';

const USAGE = `demo-walkthrough-events reference [--data bike-sharing-hour.csv] [--month 2011-01] > reference.csv
demo-walkthrough-events events [--data bike-sharing-hour.csv] [--month 2011-07]
  [--api http://127.0.0.1:8080] [--model bike-walkthrough] [--start 2011-07-01T00:00:00Z]
--data defaults to the repository's data/bike-sharing-hour.csv; events go with the key in DRIFTLINE_API_KEY.`;

function optional(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

function option(argv: string[], flag: string, fallback: string): string {
  return optional(argv, flag) ?? fallback;
}

function readRows(argv: string[], month: string): BikeCsvRecord[] {
  const rows = monthRows(readBikeCsv(optional(argv, '--data')), month);
  if (rows.length === 0) throw new Error(`the bike CSV has no rows of ${month}`);
  return rows;
}

/**
 * The walkthrough's data from the UCI bike-sharing CSV: `reference` prints one month's rows as a
 * reference CSV; `events` posts another month's rows as predictions in one window of the
 * walkthrough model, and one more event after it so the monitor closes that window.
 */
async function main(argv: string[]): Promise<void> {
  const command = argv[0];
  if (command === 'reference') {
    process.stdout.write(referenceCsv(readRows(argv, option(argv, '--month', '2011-01'))));
    return;
  }
  if (command !== 'events') throw new Error(USAGE);
  const api = option(argv, '--api', 'http://127.0.0.1:8080');
  const modelId = option(argv, '--model', 'bike-walkthrough');
  const start = new Date(option(argv, '--start', '2011-07-01T00:00:00Z'));
  if (Number.isNaN(start.getTime())) throw new Error(`--start is not a date-time\n${USAGE}`);
  const { inWindow, closing, windowEnd } = walkthroughEvents(
    modelId,
    readRows(argv, option(argv, '--month', '2011-07')),
    start,
  );
  for (let i = 0; i < inWindow.length; i += 500) {
    await postEvents(api, 'predictions', inWindow.slice(i, i + 500));
  }
  await postEvents(api, 'predictions', [closing]);
  const end = windowEnd.toISOString();
  console.log(`posted ${inWindow.length} predictions between ${start.toISOString()} and ${end}`);
  console.log(`posted 1 prediction at ${closing.timestamp}: the window up to ${end} closes`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`demo-walkthrough-events: ${(error as Error).message}`);
  process.exit(1);
});
