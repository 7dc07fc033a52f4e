import { ENVIRONMENT_VARIABLES } from './env.variables';

export const CONFIG_TABLE_START = '<!-- config-table:start -->';
export const CONFIG_TABLE_END = '<!-- config-table:end -->';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The README's configuration table, generated from the variables the services actually read. */
export function configTableMarkdown(): string {
  const rows = ENVIRONMENT_VARIABLES.map(
    (v) =>
      `| \`${v.name}\` | ${v.default === '' ? '(empty)' : `\`${cell(v.default)}\``} | ${cell(v.description)} |`,
  );
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** Replaces the table between the markers of a README text; throws when the markers are missing. */
export function withConfigTable(readme: string): string {
  const start = readme.indexOf(CONFIG_TABLE_START);
  const end = readme.indexOf(CONFIG_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md lacks the config-table markers');
  return `${readme.slice(0, start + CONFIG_TABLE_START.length)}\n${configTableMarkdown()}\n${readme.slice(end)}`;
}
