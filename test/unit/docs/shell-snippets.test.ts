import { commandLine, shellBlocks } from '../../e2e/support/shell-snippets';

const markdown = [
  '# A doc',
  '',
  '```bash',
  'export A=1   # a comment',
  '# a comment line',
  '',
  "curl -s http://localhost:3000/x -H 'a: #b' \\",
  '  -d "{\\"k\\":\\"#v\\"}"',
  '```',
  '```json',
  '{ "not": "shell" }',
  '```',
  '- a list item:',
  '',
  '    ```sh',
  '    aws --version',
  '    ```',
  '',
  '```console',
  '$ npm test',
  'PASS everything',
  '```',
].join('\n');

describe('shellBlocks', () => {
  it('finds sh, bash and console blocks (indented ones too) with their commands and lines', () => {
    const blocks = shellBlocks(markdown, 'doc.md');

    expect(blocks.map(({ where, commands }) => ({ where, commands: commands.map((c) => c.where) }))).toEqual([
      { where: 'doc.md:3', commands: ['doc.md:4', 'doc.md:7'] },
      { where: 'doc.md:15', commands: ['doc.md:16'] },
      { where: 'doc.md:19', commands: ['doc.md:20'] },
    ]);
  });

  it('keeps a command as written, continued lines included, and a console block only its $ lines', () => {
    const [first, indented, console] = shellBlocks(markdown, 'doc.md');

    expect(first?.commands.map((c) => c.text)).toEqual([
      'export A=1   # a comment',
      'curl -s http://localhost:3000/x -H \'a: #b\' \\\n  -d "{\\"k\\":\\"#v\\"}"',
    ]);
    expect(indented?.commands.map((c) => c.text)).toEqual(['aws --version']);
    expect(console?.commands.map((c) => c.text)).toEqual(['npm test']);
  });
});

describe('commandLine', () => {
  it.each([
    ['export A=1   # a comment', 'export A=1'],
    ["curl -H 'a: #b' \\\n  -d x", "curl -H 'a: #b' -d x"],
    ['echo "#not a comment" ${A#prefix}', 'echo "#not a comment" ${A#prefix}'],
    ['BODY="{\\"t\\":1}"   # or another', 'BODY="{\\"t\\":1}"'],
  ])('names %j as %j', (text, line) => {
    expect(commandLine(text)).toBe(line);
  });
});
