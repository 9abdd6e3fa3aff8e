/**
 * Every shell command README.md and docs/*.md show runs here, against the e2e local cloud, as a reader would paste
 * it: one bash per document, as one terminal per page (a variable one command sets is there for the next), the
 * doc's text unchanged but for the ports (see onTheE2eCloud) and the `<placeholders>` a reader fills in from earlier answers. Each command must exit
 * 0 and, where a doc says what it answers, answer that. A command that cannot run offline is listed in NOT_RUN with
 * why; a new command runs by default, so a doc cannot show one nobody ran.
 */
import sampleOrder from '../../data/sample-order.json';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keepPickupWaiting, onTheE2eCloud, readAnswer, ReaderNotes, type Answer } from './support/doc-reader';
import { e2e } from './support/env';
import { localIssuer, orderBody, postOrder, waitForAwaitingPickup } from './support/orders-api';
import { ShellSession } from './support/shell-session';
import { commandLine, shellBlocks, type ShellCommand } from './support/shell-snippets';

const ROOT = join(__dirname, '../..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => `docs/${file}`),
];

const ON_AWS = 'needs a stack deployed to a real AWS account';
const COGNITO = "needs a deployed stack's Cognito user pool";
const BENCH =
  'minutes of both cores with a local cloud of its own; a full run writes its figures into README.md and docs/benchmarks.md';
const GENERATOR =
  'writes a service beside this repository; test/template generates both variants (the generator behind this ' +
  'script) into a temporary folder and runs their lint, type check and tests';

/** The commands the docs show that cannot run offline here (as commandLine spells them), each with why. */
const NOT_RUN: Record<string, string> = {
  'npm ci': 'installs node_modules, which this suite runs from; .ci/run runs it before npm test',
  'npm start':
    'the e2e global setup starts the same local cloud (startLocalCloud) on free ports; npm start would hold the ' +
    'default ports until Ctrl-C',
  'npm test': 'the command that runs this test',
  'npx sls deploy --stage dev': ON_AWS,
  'npm run seed -- --stage dev': ON_AWS,
  'curl -s -X POST "$HttpApiUrl/orders" -H "Authorization: Bearer $ACCESS_TOKEN" -H \'content-type: application/json\' -d @data/sample-order.json':
    ON_AWS,
  'aws stepfunctions describe-execution --execution-arn <arn>': ON_AWS,
  'npx sls remove --stage dev': ON_AWS,
  'npm run new-service -- ../shop --name shop': GENERATOR,
  'npm run new-service -- ../tiny --name tiny --minimal': GENERATOR,
  'npm run bench': BENCH,
  'npm run bench -- --quick': BENCH,
  'npm run bench -- --rate 100': BENCH,
  'npm run bench -- --cold-start': BENCH,
  "aws cognito-idp sign-up --client-id $CLIENT --username ada@example.com --password 'Correct-Horse-9'":
    COGNITO,
  'aws cognito-idp admin-confirm-sign-up --user-pool-id $POOL --username ada@example.com': COGNITO,
  "TOKEN=$(aws cognito-idp initiate-auth --client-id $CLIENT --auth-flow USER_PASSWORD_AUTH --auth-parameters USERNAME=ada@example.com,PASSWORD='Correct-Horse-9' --query AuthenticationResult.AccessToken --output text)":
    COGNITO,
  'curl -s "$HttpApiUrl/orders" -H "Authorization: Bearer $TOKEN" -H \'content-type: application/json\' -d @data/sample-order.json':
    COGNITO,
};

interface Reading {
  readonly notes: ReaderNotes;
  readonly session: ShellSession;
  readonly keepers: { stop: () => Promise<void> }[];
}

/** Waits until the order's shipment awaits its pickup; returns the token the fulfilment workflow waits on. */
async function waitingPickupToken(orderId: string): Promise<string> {
  const { taskToken } = await waitForAwaitingPickup(orderId);
  if (taskToken === undefined)
    throw new Error(`the shipment of ${orderId} awaits its pickup without a task token`);
  return taskToken;
}

/** What a reader waits for or is given before a command, because the doc's next step assumes it. */
const BEFORE: { command: RegExp; act: (reading: Reading) => Promise<void> }[] = [
  {
    // workflows.md: "find the shipment" — it exists once the workflow has booked it and waits for the carrier.
    command: /^aws dynamodb scan .*-shipments /,
    act: async ({ notes, keepers }) => {
      keepers.push(keepPickupWaiting(await waitingPickupToken(notes.get('orderId'))));
    },
  },
  {
    // local-cloud.md: "with a waiting task's token in $TASK_TOKEN", a new one for each command.
    command: /\$\{?TASK_TOKEN\b/,
    act: async ({ session, keepers }) => {
      const neverCollected = { ...sampleOrder.shippingAddress, postalCode: '99998' };
      const accepted = await postOrder(orderBody({ shippingAddress: neverCollected }));
      const taskToken = await waitingPickupToken(String(accepted.json.orderId));
      keepers.push(keepPickupWaiting(taskToken));
      await session.set('TASK_TOKEN', taskToken);
    },
  },
];

/** What the docs say a command answers (the status only where the command prints it: curl -i). */
const ANSWERS: { command: RegExp; answer: (notes: ReaderNotes) => Answer }[] = [
  {
    // api.md: 202 {orderId, status: "PENDING"}
    command: /^curl .*-X POST \S*\/orders /,
    answer: () => ({ httpStatus: 202, body: { orderId: expect.stringMatching(/^ord_/), status: 'PENDING' } }),
  },
  {
    // api.md: 200 {orderId, status, items, lines, total, history: [{status, at}], ...}
    command: /^curl -s \S*\/orders\/<orderId> /,
    answer: (notes) => ({
      httpStatus: 200,
      body: { orderId: notes.get('orderId'), status: expect.any(String), history: expect.any(Array) },
    }),
  },
  {
    // workflows.md: "The webhook answers 200 {shipmentId, status} once the workflow is told".
    command: /^curl .*\/shipments\/\S+\/events /,
    answer: (notes) => ({
      httpStatus: 200,
      body: { shipmentId: notes.get('shipmentId'), status: 'PICKED_UP' },
    }),
  },
  {
    // workflows.md: order to 99998, "find the shipment", answer it.
    command: /^aws dynamodb scan .*-shipments /,
    answer: () => ({
      body: {
        Items: [{ shipmentId: { S: expect.stringMatching(/^shp_/) }, status: { S: 'AWAITING_PICKUP' } }],
      },
    }),
  },
  // local-cloud.md: the local endpoints speak the AWS protocols, so the CLI prints AWS's answers.
  {
    command: /^aws stepfunctions list-executions /,
    answer: () => ({ body: { executions: expect.any(Array) } }),
  },
  {
    command: /^aws stepfunctions describe-execution /,
    answer: (notes) => ({ body: { executionArn: notes.get('executionArn'), status: expect.any(String) } }),
  },
  {
    command: /^aws stepfunctions get-execution-history /,
    answer: () => ({
      body: { events: expect.arrayContaining([expect.objectContaining({ type: 'ExecutionStarted' })]) },
    }),
  },
  {
    command: /^aws dynamodb scan .*-orders$/,
    answer: () => ({
      body: { Items: expect.arrayContaining([expect.objectContaining({ orderId: expect.anything() })]) },
    }),
  },
];

const printsStatus = (line: string) => /^curl .*\s-[a-zA-Z]*i\b/.test(line);

const commands: ShellCommand[] = DOCS.flatMap((file) =>
  shellBlocks(readFileSync(join(ROOT, file), 'utf8'), file).flatMap((block) => block.commands),
);
/** Each document with a command to run, and those commands in order. */
const runnable = DOCS.map((file) => {
  const shown = commands.filter(({ where }) => where.startsWith(`${file}:`));
  return [file, shown.filter(({ text }) => !(commandLine(text) in NOT_RUN))] as const;
}).filter(([, toRun]) => toRun.length > 0);

/** A laptop with no AWS account, after the README's quick start: a customer token, `npm start`'s data folder. */
function readerEnvironment(token: string): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !/^(AWS|E2E)_/.test(name));
  return {
    ...Object.fromEntries(inherited),
    // Credentials and region only from what a snippet exports.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    LOCAL_DATA_DIR: e2e.localDataDir,
    TOKEN: token,
    NO_COLOR: '1',
  };
}

let token: string;
/** The order a reader has placed before reading on (the quick start's): what `<orderId>` means before an answer. */
let placed: { orderId: string; executionArn: string };

beforeAll(async () => {
  token = (await localIssuer()).sign('cus_1');
  const accepted = await postOrder(orderBody(), { authorization: `Bearer ${token}` });
  placed = { orderId: String(accepted.json.orderId), executionArn: String(accepted.json.executionArn) };
});

afterAll(() => {
  e2e.sfn.destroy();
  e2e.dynamodb.destroy();
});

describe('the shell commands of README.md and docs/*.md', () => {
  it('lists only commands a doc shows as not runnable offline', () => {
    const shown = new Set(commands.map(({ text }) => commandLine(text)));

    expect(Object.keys(NOT_RUN).filter((command) => !shown.has(command))).toEqual([]);
    expect(runnable.length).toBeGreaterThan(0);
  });

  it.each(runnable)(
    '%s: each command exits 0 and answers as the doc says, on the e2e local cloud',
    async (_file, toRun) => {
      const reading: Reading = {
        notes: new ReaderNotes(placed),
        session: new ShellSession({ cwd: ROOT, env: readerEnvironment(token) }),
        keepers: [],
      };
      try {
        for (const { where, text } of toRun) {
          const line = commandLine(text);
          for (const step of BEFORE.filter(({ command }) => command.test(line))) await step.act(reading);
          const expected = ANSWERS.find(({ command }) => command.test(line))?.answer(reading.notes);
          const result = await reading.session.run(onTheE2eCloud(reading.notes.fill(text)));
          const answer = readAnswer(result.stdout);
          reading.notes.learn(answer.body);

          // What the command printed only when it failed, to say why.
          const failure = result.status === 0 ? '' : `${line}\n${result.stderr}${result.stdout}`;
          expect({ where, status: result.status, failure }).toEqual({ where, status: 0, failure: '' });
          expect(answer).toMatchObject(
            expected === undefined || printsStatus(line) ? (expected ?? {}) : { body: expected.body },
          );
        }
      } finally {
        await Promise.all(reading.keepers.map((keeper) => keeper.stop()));
        reading.session.close();
      }
    },
  );
});
