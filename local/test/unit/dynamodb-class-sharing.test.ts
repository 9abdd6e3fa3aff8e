import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedClassesLaunch } from '../../dynamodb-class-sharing';
import { manifestAttributes } from '../../jar-manifest';
import { dynamoDbLocalJar } from './dynamodb-local-jar';

// Decisions only: no JVM runs here (the workflow and e2e suites start DynamoDB Local through this every time).
const jar = dynamoDbLocalJar();
// Any executable stands in for java: the launch only needs to find it and tell one installation from another.
const java = process.execPath;
let cacheRoot: string;

beforeEach(() => {
  cacheRoot = mkdtempSync(join(tmpdir(), 'class-sharing-'));
});
afterEach(() => rmSync(cacheRoot, { recursive: true, force: true }));

const optionOf = (args: readonly string[], prefix: string) => args.find((arg) => arg.startsWith(prefix));

it('runs a copy of the jar without its Class-Path, the libraries and main class named on the command line', () => {
  const launch = sharedClassesLaunch(jar, java, cacheRoot);
  const classPath = launch?.args[launch.args.indexOf('-cp') + 1]?.split(':') ?? [];
  expect(classPath[1]).toMatch(/DynamoDBLocal_lib\/\*$/);
  expect(manifestAttributes(readFileSync(classPath[0] ?? '')).has('Class-Path')).toBe(false);
  expect(launch?.args.at(-1)).toBe('software.amazon.dynamodb.services.local.main.ServerRunner');
});

it('records an archive once, keeps it only from a JVM that exited by itself, then maps it', () => {
  const first = sharedClassesLaunch(jar, java, cacheRoot);
  expect(first?.recording).toBe(true);
  const recording = optionOf(first?.args ?? [], '-XX:ArchiveClassesAtExit=')?.split('=')[1] ?? '';

  // Meanwhile another start records nothing and maps nothing.
  const meanwhile = sharedClassesLaunch(jar, java, cacheRoot);
  expect(meanwhile?.recording).toBe(false);
  expect(optionOf(meanwhile?.args ?? [], '-XX:')).toBeUndefined();

  // Killed while it wrote: half an archive is thrown away, and the next start records again.
  writeFileSync(recording, 'half an archive');
  first?.onExit(false);
  expect(existsSync(recording)).toBe(false);
  const second = sharedClassesLaunch(jar, java, cacheRoot);
  expect(second?.recording).toBe(true);

  const secondRecording = optionOf(second?.args ?? [], '-XX:ArchiveClassesAtExit=')?.split('=')[1] ?? '';
  writeFileSync(secondRecording, 'an archive');
  second?.onExit(true);
  const third = sharedClassesLaunch(jar, java, cacheRoot);
  expect(third?.recording).toBe(false);
  expect(optionOf(third?.args ?? [], '-XX:SharedArchiveFile=')).toMatch(/classes\.jsa$/);
});

it('gives up, for a plain start, where there is no java', () => {
  expect(sharedClassesLaunch(jar, 'no-such-java-here', cacheRoot)).toBeUndefined();
  expect(readdirSync(cacheRoot)).toEqual([]);
});
