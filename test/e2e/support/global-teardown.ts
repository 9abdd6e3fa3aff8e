/** Stops every process the global setup started (DynamoDB Local's JVM, serverless-offline and its workers). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.localCloud?.stop();
  globalThis.localCloud = undefined;
}
