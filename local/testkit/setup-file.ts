/**
 * Runs in each workflow test file before its tests (jest setupFilesAfterEnv): points the AWS SDK at the
 * suite's DynamoDB Local with dummy credentials, lets the engine skip definitions asl-validator accepted before,
 * holds the tests until the suite's tables exist, and records the file's real running time for the summary. jest
 * gives every test file its own copy of process.env, so nothing here leaks into other projects.
 */
import { join } from 'node:path';
import { keepAcceptedDefinitionsIn } from '../stepfunctions/accepted-definitions';
import { databaseReady } from './database-ready';
import { appendRecord } from './records';
import { kitState } from './state';

const state = kitState();
if (state.cacheDir !== undefined) keepAcceptedDefinitionsIn(join(state.cacheDir, 'accepted-definitions'));

Object.assign(process.env, {
  AWS_REGION: state.region,
  AWS_ENDPOINT_URL_DYNAMODB: state.dynamoDbEndpoint,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
});
delete process.env.AWS_PROFILE;

let startedAt = Date.now();
// The global setup prepares the tables while jest starts this worker and loads the test file: wait for them.
beforeAll(async () => {
  await databaseReady(state.recordsDir);
  startedAt = Date.now();
});

afterAll(() => {
  appendRecord(state.recordsDir, {
    kind: 'file',
    file: expect.getState().testPath ?? '',
    startedAt,
    endedAt: Date.now(),
  });
});
