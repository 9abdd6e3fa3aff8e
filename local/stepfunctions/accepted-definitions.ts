import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { writeAtomically } from '../write-atomically';

/**
 * asl-validator builds its JSON schema anew on every call (~0.1 s of CPU). A process that checks the same definitions
 * again and again — the workflow kit's test files, each in a fresh module registry — can keep the inputs it accepted
 * in a folder: one empty file per accepted input, named by the SHA-256 of the validator's version and the input, so a
 * new validator or a changed definition is checked afresh. Off unless a folder is given.
 */
let folder: string | undefined;

export function keepAcceptedDefinitionsIn(dir: string): void {
  mkdirSync(dir, { recursive: true });
  folder = dir;
}

/** Whether asl-validator of this version accepted `input` (the text it validates) before. */
export function acceptedBefore(input: string): boolean {
  return folder !== undefined && existsSync(join(folder, digest(input)));
}

export function rememberAccepted(input: string): void {
  if (folder === undefined) return;
  writeAtomically(join(folder, digest(input)), '');
}

let validatorVersion: string | undefined;

function digest(input: string): string {
  // The validator aws-local-stepfunctions loads (Node's own resolution, from that package).
  validatorVersion ??= (
    createRequire(require.resolve('aws-local-stepfunctions'))('asl-validator/package.json') as {
      version: string;
    }
  ).version;
  return createHash('sha256').update(`asl-validator@${validatorVersion}\n`).update(input).digest('hex');
}
