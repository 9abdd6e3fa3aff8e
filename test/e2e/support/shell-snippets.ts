/** The shell commands a Markdown document shows: its ```sh, ```bash, ```shell and ```console blocks. */

export interface ShellCommand {
  /** The document and the 1-based line the command starts on, e.g. `docs/api.md:37`. */
  readonly where: string;
  /** The command as the document writes it: continued lines (`\` at the end) included, trailing comment too. */
  readonly text: string;
}

export interface ShellBlock {
  /** The document and the line of the opening fence. */
  readonly where: string;
  readonly commands: readonly ShellCommand[];
}

const OPENING_FENCE = /^(\s*)(`{3,}|~{3,})\s*(sh|bash|shell|console)\b/;
const ANY_FENCE = /^(\s*)(`{3,}|~{3,})/;

/**
 * Every shell block of a Markdown text, in order, with its commands. Fences may be indented (a block inside a list
 * item); a ```console block's commands are its `$ ` lines, the rest being what they print.
 */
export function shellBlocks(markdown: string, file: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const opening = ANY_FENCE.exec(lines[index] ?? '');
    if (!opening) continue;
    const [, indent = '', fence = '```'] = opening;
    const language = OPENING_FENCE.exec(lines[index] ?? '')?.[3];
    const start = index;
    const body: { line: number; text: string }[] = [];
    for (index++; index < lines.length && !isClosingFence(lines[index] ?? '', fence); index++) {
      body.push({ line: index + 1, text: withoutIndent(lines[index] ?? '', indent) });
    }
    if (language === undefined) continue;
    const commandLines = language === 'console' ? promptLines(body) : body;
    blocks.push({ where: `${file}:${start + 1}`, commands: commandsOf(commandLines, file) });
  }
  return blocks;
}

function isClosingFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(fence) && /^(`+|~+)$/.test(trimmed);
}

function withoutIndent(line: string, indent: string): string {
  return line.startsWith(indent) ? line.slice(indent.length) : line.trimStart();
}

function promptLines(body: { line: number; text: string }[]): { line: number; text: string }[] {
  return body
    .filter(({ text }) => text.startsWith('$ '))
    .map(({ line, text }) => ({ line, text: text.slice(2) }));
}

/** Lines joined where one ends in a backslash; blank lines and comment-only lines are no commands. */
function commandsOf(body: { line: number; text: string }[], file: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let pending: { line: number; text: string } | undefined;
  for (const { line, text } of body) {
    if (pending) pending.text += `\n${text}`;
    else if (text.trim() === '' || text.trimStart().startsWith('#')) continue;
    else pending = { line, text };
    if (!text.endsWith('\\')) {
      commands.push({ where: `${file}:${pending.line}`, text: pending.text });
      pending = undefined;
    }
  }
  if (pending) commands.push({ where: `${file}:${pending.line}`, text: pending.text });
  return commands;
}

/**
 * The command on one line, as a reader names it: continuations joined, each line's trailing `# comment` dropped
 * (a `#` after a blank, outside quotes), runs of blanks as one.
 */
export function commandLine(text: string): string {
  return text.split('\n').map(withoutComment).join('\n').replace(/\\\n/g, ' ').replace(/\s+/g, ' ').trim();
}

function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"') index++;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === '\\') index++;
    else if (char === '#' && (index === 0 || /\s/.test(line[index - 1] ?? ''))) return line.slice(0, index);
  }
  return line;
}
