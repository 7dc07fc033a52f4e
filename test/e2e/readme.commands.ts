import { parseExample, type Example } from './readme.example';

/** A fenced block of README.md, named by where it stands. */
export interface ReadmeBlock {
  /** `<section> #<n> <lang>`: the n-th block under the nearest heading, e.g. `Sending events #2 ts`. */
  key: string;
  section: string;
  /** The fence's info string, `text` when there is none. */
  lang: string;
  /** The block's lines, without the fences and the indentation of the opening fence. */
  text: string;
  /** The README line of its first line. */
  line: number;
}

/** Every fenced block of `markdown`, in order, with the heading it stands under. */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const counts = new Map<string, number>();
  const lines = markdown.split('\n');
  let section = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6} (.+)$/.exec(lines[i]);
    if (heading) section = heading[1].trim();
    const fence = /^(\s*)```(\S*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const [, indent, info] = fence;
    const end = lines.findIndex((l, j) => j > i && /^\s*```\s*$/.test(l));
    if (end < 0) throw new Error(`README.md:${i + 1}: a fence that never closes`);
    const n = (counts.get(section) ?? 0) + 1;
    counts.set(section, n);
    const lang = info || 'text';
    const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
    blocks.push({ key: `${section} #${n} ${lang}`, section, lang, text: body.join('\n'), line: i + 2 });
    i = end;
  }
  return blocks;
}

/** What the README says a command answers: `# 201 {...}` (status and body) or `# {...}` (a 2xx). */
export interface ReadmeAnswer {
  status?: number;
  /** The JSON as the README writes it, elisions included. */
  text: string;
  example: Example;
}

/** One command of a shell block: its text (continuation lines and multi-line quotes included). */
export interface ShellCommand {
  text: string;
  line: number;
  answer?: ReadmeAnswer;
}

interface ScanState {
  quote: '' | "'" | '"';
  depth: number;
}

/** Scans one line of shell; true when a command that started before it still goes on after it. */
function continues(line: string, state: ScanState): boolean {
  let escaped = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (state.quote === "'") {
      if (c === "'") state.quote = '';
    } else if (escaped) {
      escaped = false;
    } else if (c === '\\') {
      if (i === line.length - 1) return true;
      escaped = true;
    } else if (state.quote === '"') {
      if (c === '"') state.quote = '';
    } else if (c === "'" || c === '"') {
      state.quote = c;
    } else if (c === '(') {
      state.depth++;
    } else if (c === ')') {
      state.depth--;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
      break;
    }
  }
  return state.quote !== '' || state.depth > 0;
}

/** Opening minus closing brackets of JSON text, strings left out. */
function openBrackets(json: string): number {
  const bare = json.replace(/"(?:[^"\\]|\\.)*"/g, '');
  return (bare.match(/[[{]/g)?.length ?? 0) - (bare.match(/[\]}]/g)?.length ?? 0);
}

/**
 * The commands of a shell block, each with the answer the comment lines under it promise. Other
 * comments (`# 1. register a model`) are prose.
 */
export function shellCommands(block: Pick<ReadmeBlock, 'text' | 'line'>): ShellCommand[] {
  const commands: ShellCommand[] = [];
  const lines = block.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const comment = /^\s*#\s?(.*)$/.exec(line);
    if (comment) {
      const start = /^(?:(\d{3})\s+)?([[{].*)$/.exec(comment[1]);
      if (!start) continue;
      let json = start[2];
      while (openBrackets(json) > 0 && i + 1 < lines.length && /^\s*#/.test(lines[i + 1])) {
        json += lines[++i].replace(/^\s*#/, '');
      }
      const last = commands.at(-1);
      if (!last) throw new Error(`README.md:${block.line + i}: an answer before any command`);
      last.answer = {
        ...(start[1] === undefined ? {} : { status: Number(start[1]) }),
        text: json.trim(),
        example: parseExample(json),
      };
      continue;
    }
    const state: ScanState = { quote: '', depth: 0 };
    const first = i;
    while (continues(lines[i], state) && i + 1 < lines.length) i++;
    commands.push({ text: lines.slice(first, i + 1).join('\n'), line: block.line + first });
  }
  return commands;
}
