/**
 * DynamoDB on-demand request units of one request, from its body as the SDK sends it. Assumes items up to 1 KB
 * written and 4 KB read (the orders of the bench are well under both); GetItem/BatchGetItem/Query read eventually
 * consistent unless they ask otherwise (half a unit), transactions cost twice per item.
 */
export interface RequestUnits {
  read: number;
  write: number;
}

interface Body {
  ConsistentRead?: boolean;
  TransactItems?: unknown[];
  RequestItems?: Record<string, { Keys?: unknown[]; ConsistentRead?: boolean } | unknown[]>;
}

export function requestUnits(operation: string, body: Body): RequestUnits {
  const readUnit = (consistent?: boolean) => (consistent ? 1 : 0.5);
  switch (operation) {
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return { read: 0, write: 1 };
    case 'TransactWriteItems':
      return { read: 0, write: 2 * (body.TransactItems?.length ?? 0) };
    case 'BatchWriteItem':
      return {
        read: 0,
        write: requestItems(body).reduce((sum, r) => sum + (Array.isArray(r) ? r.length : 0), 0),
      };
    case 'GetItem':
    case 'Query':
    case 'Scan':
      return { read: readUnit(body.ConsistentRead), write: 0 };
    case 'TransactGetItems':
      return { read: 2 * (body.TransactItems?.length ?? 0), write: 0 };
    case 'BatchGetItem':
      return {
        read: requestItems(body).reduce(
          (sum, r) => sum + (Array.isArray(r) ? 0 : (r.Keys?.length ?? 0) * readUnit(r.ConsistentRead)),
          0,
        ),
        write: 0,
      };
    default:
      return { read: 0, write: 0 };
  }
}

function requestItems(body: Body) {
  return Object.values(body.RequestItems ?? {});
}
