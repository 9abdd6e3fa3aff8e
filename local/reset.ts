import { rmSync } from 'node:fs';
import { LOCAL_DATA_DIR } from './cloud';

// Wipes the local cloud's DynamoDB data; the next `npm start` recreates the tables and the catalog.
rmSync(LOCAL_DATA_DIR, { recursive: true, force: true });
console.log(`Removed ${LOCAL_DATA_DIR}`);
