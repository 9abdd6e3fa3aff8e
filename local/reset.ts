import { rmSync } from 'node:fs';
import { LOCAL_DATA_DIR } from './cloud';

// Wipes the local cloud's data (DynamoDB tables, Step Functions machines and executions); the next `npm start`
// recreates the tables, the catalog and the state machines.
rmSync(LOCAL_DATA_DIR, { recursive: true, force: true });
console.log(`Removed ${LOCAL_DATA_DIR}`);
