import { CliError } from './cli.error';
import type { CliIo } from './cli.io';
import { DEFAULT_API_URL, parseReferenceOptions } from './reference.command';
import { formatBytes, UploadProgress } from './reference.progress';

function errorOf(argv: string[]): string {
  try {
    parseReferenceOptions(argv);
  } catch (error) {
    if (error instanceof CliError) return error.message;
    throw error;
  }
  return 'no error';
}

function captured(isTTY: boolean): CliIo & { text: () => string } {
  let text = '';
  const write = (chunk: string) => (text += chunk);
  return { stdout: { write }, stderr: { write, isTTY } as CliIo['stderr'], text: () => text };
}

describe('parseReferenceOptions', () => {
  it('picks the content type from the extension and defaults the API', () => {
    expect(parseReferenceOptions(['upload', '--model', 'bikes', '--file', 'jan.CSV'])).toEqual({
      model: 'bikes',
      file: 'jan.CSV',
      api: DEFAULT_API_URL,
      contentType: 'text/csv',
    });
    expect(
      parseReferenceOptions(['upload', '--model', 'm', '--file', 'r.jsonl', '--api', 'http://api:9000/']),
    ).toMatchObject({ contentType: 'application/x-ndjson', api: 'http://api:9000' });
    expect(parseReferenceOptions(['--help'])).toBe('help');
  });

  it('names what is wrong', () => {
    expect(errorOf(['download', '--model', 'm', '--file', 'r.csv'])).toMatch(/one subcommand, upload/);
    expect(errorOf(['upload', '--file', 'r.csv'])).toBe('--model is required');
    expect(errorOf(['upload', '--model', 'm'])).toBe('--file is required');
    expect(errorOf(['upload', '--model', 'm', '--file', 'r.parquet'])).toMatch(
      /name it .csv, .ndjson or .jsonl/,
    );
    expect(errorOf(['upload', '--model', 'm', '--file', 'r.csv', '--api', 'localhost:8080'])).toMatch(
      /http\(s\) URL/,
    );
    expect(errorOf(['upload', '--model', 'm', '--file', 'r.csv', '--colour'])).toMatch(/--colour/);
  });
});

describe('UploadProgress', () => {
  it('draws bytes sent over the total on a terminal, at most every 100 ms until the end', () => {
    const io = captured(true);
    let now = 0;
    const progress = new UploadProgress(io, 4 * 1024 * 1024, () => now);
    now = 200;
    progress.add(1024 * 1024);
    now = 250;
    progress.add(1024 * 1024);
    now = 400;
    progress.add(2 * 1024 * 1024);
    progress.finish('done');
    expect(io.text()).toBe(
      `\r[########----------------------]  25% 1.0 MB / 4.0 MB` +
        `\r[##############################] 100% 4.0 MB / 4.0 MB` +
        `\r[##############################] 100% 4.0 MB / 4.0 MB\ndone\n`,
    );
  });

  it('writes only the summary line when standard error is not a terminal', () => {
    const io = captured(false);
    const progress = new UploadProgress(io, 10);
    progress.add(10);
    progress.finish('uploaded 10 B');
    expect(io.text()).toBe('uploaded 10 B\n');
  });

  it('formats sizes in binary units', () => {
    expect([formatBytes(999), formatBytes(1536), formatBytes(5 * 1024 ** 3)]).toEqual([
      '999 B',
      '1.5 kB',
      '5.0 GB',
    ]);
  });
});
