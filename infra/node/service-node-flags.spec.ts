import { readFileSync } from 'node:fs';
import { repoFile } from '../repo-files';
import { SERVICE_NODE_FLAGS } from './service-node-flags';

describe('SERVICE_NODE_FLAGS', () => {
  it('are on the command line of the image and of every npm start script', () => {
    const cmd = readFileSync(repoFile('Dockerfile'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('CMD '));
    expect(cmd).toHaveLength(1);
    const scripts = (
      JSON.parse(readFileSync(repoFile('package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const starts = Object.entries(scripts).filter(([name]) => name.startsWith('start:'));
    expect(starts.map(([name]) => name).sort()).toEqual([
      'start:api',
      'start:dispatcher',
      'start:monitor',
      'start:notifier',
    ]);
    for (const line of [cmd[0], ...starts.map(([, script]) => script)]) {
      for (const flag of SERVICE_NODE_FLAGS) expect(line).toContain(`node ${flag} `);
    }
  });
});
