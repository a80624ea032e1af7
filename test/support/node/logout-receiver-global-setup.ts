// Vitest global setup for the workerd tests: the loopback logout receiver
// (./logout-receiver.ts), its URL handed to the tests through inject().
import type { TestProject } from 'vitest/node';
import { closedPort, startLogoutReceiver } from './logout-receiver.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    logoutReceiverUrl: string;
    closedLoopbackUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const receiver = await startLogoutReceiver();
  project.provide('logoutReceiverUrl', receiver.url);
  project.provide('closedLoopbackUrl', `http://127.0.0.1:${await closedPort()}`);
  return () => receiver.close();
}
