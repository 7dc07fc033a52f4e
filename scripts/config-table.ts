import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withConfigTable } from '../libs/config/src/config.table';

// `npm run docs:config`: rewrites the README's configuration table from libs/config.
const path = join(__dirname, '../../README.md');
writeFileSync(path, withConfigTable(readFileSync(path, 'utf8')));
