import { stopTestInfra } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await stopTestInfra();
}
