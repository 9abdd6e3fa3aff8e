/**
 * The curl commands `npm start` prints to try the API with the token it printed as $TOKEN (the service's own part
 * of local/).
 */
export function sampleRequests(apiUrl: string): string[] {
  return [
    `curl -si -X POST ${apiUrl}/items -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"name":"notebook","quantity":2}'`,
  ];
}
