import type { Item, NewItem } from '../domain/item';
import type { WorkflowStarter } from '../ports/workflow-starter';

export interface CreateItemDeps {
  readonly workflow: WorkflowStarter;
  readonly newItemId: () => string;
}

export interface CreateItemResult {
  readonly item: Item;
  readonly executionArn: string;
}

/** Gives the item its id and hands it to the workflow, which owns the rest (retries, the business rule). */
export async function createItem(deps: CreateItemDeps, request: NewItem): Promise<CreateItemResult> {
  const item: Item = { itemId: deps.newItemId(), ...request };
  const { executionArn } = await deps.workflow.start(item);
  return { item, executionArn };
}
