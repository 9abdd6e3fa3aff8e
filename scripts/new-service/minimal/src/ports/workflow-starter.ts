import type { Item } from '../domain/item';

/** Starts the process workflow for an item (Step Functions StartExecution on AWS). */
export interface WorkflowStarter {
  start(item: Item): Promise<{ readonly executionArn: string }>;
}
