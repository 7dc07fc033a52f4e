import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_VARIABLES } from './env.variables';
import { configTableMarkdown, withConfigTable } from './config.table';

describe('README configuration table', () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

  it('is the table generated from the variables the services read (run `npm run docs:config`)', () => {
    expect(withConfigTable(readme)).toBe(readme);
  });

  it('has one row per variable, each with its default', () => {
    const table = configTableMarkdown();
    for (const v of ENVIRONMENT_VARIABLES) expect(table).toContain(`| \`${v.name}\` |`);
    expect(table.split('\n')).toHaveLength(ENVIRONMENT_VARIABLES.length + 2);
  });
});
