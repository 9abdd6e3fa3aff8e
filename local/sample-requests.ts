import sampleOrder from '../data/sample-order.json';

/**
 * The curl commands `npm start` prints to try the API with the token it printed as $TOKEN (the service's own part
 * of local/: a new service replaces this file).
 */
export function sampleRequests(apiUrl: string): string[] {
  return [
    `curl -si -X POST ${apiUrl}/orders -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '${JSON.stringify(sampleOrder)}'`,
    `curl -s ${apiUrl}/orders/<orderId> -H "Authorization: Bearer $TOKEN"`,
  ];
}
