import { createServer } from 'node:net';

/** Every port the local cloud listens on, each movable by the environment variable named beside it. */
export const PORT_VARIABLES = {
  http: 'HTTP_PORT',
  lambda: 'LAMBDA_PORT',
  dynamodb: 'DYNAMODB_PORT',
  stepFunctions: 'SFN_PORT',
} as const;

export type PortName = keyof typeof PORT_VARIABLES;
export type Ports = Record<PortName, number>;

const DEFAULT_PORTS: Ports = { http: 3000, lambda: 3002, dynamodb: 8000, stepFunctions: 8083 };

/** Reads the ports from the environment, rejecting a value that is not a port with the variable's name. */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): Ports {
  const entries = Object.entries(PORT_VARIABLES).map(([name, variable]) => {
    const raw = env[variable];
    if (raw === undefined || raw === '') return [name, DEFAULT_PORTS[name as PortName]];
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${variable}=${raw} is not a port number (1-65535)`);
    }
    return [name, port];
  });
  return Object.fromEntries(entries) as Ports;
}

/** A TCP port nobody listens on right now on 127.0.0.1 (the local cloud refuses a taken port with a clear error). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

/** Free ports for every service of the local cloud, for a second cloud beside `npm start` (tests, bench). */
export async function freePorts(): Promise<Ports> {
  return {
    http: await freePort(),
    lambda: await freePort(),
    dynamodb: await freePort(),
    stepFunctions: await freePort(),
  };
}
