/**
 * npm run new-service -- <dir> --name <service-name> [--minimal]
 * Creates a new service in <dir> from this repository's tracked files, renamed, in a fresh git repository.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateService, NewServiceError } from './generate';

const USAGE = 'usage: npm run new-service -- <dir> --name <service-name> [--minimal]';

function main(args: string[]): void {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, minimal: { type: 'boolean', default: false } },
  });
  const [dir, ...extra] = positionals;
  if (dir === undefined || extra.length > 0 || values.name === undefined) throw new NewServiceError(USAGE);
  const service = generateService({
    sourceDir: resolve(__dirname, '../..'),
    // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
    targetDir: resolve(process.env.INIT_CWD ?? process.cwd(), dir),
    name: values.name,
    minimal: values.minimal,
  });
  console.log(
    [
      `Created ${service.names.kebab} (${service.files.length} files${values.minimal ? ', minimal' : ''}) in ${service.targetDir}`,
      'Next:',
      `  cd ${service.targetDir}`,
      '  npm ci && npm test',
      '  npm start',
    ].join('\n'),
  );
}

try {
  main(process.argv.slice(2));
} catch (error) {
  const known = error instanceof NewServiceError || (error instanceof Error && error.name === 'TypeError');
  console.error(
    known || !(error instanceof Error) ? String(error instanceof Error ? error.message : error) : error,
  );
  process.exit(1);
}
