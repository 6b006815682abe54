import 'reflect-metadata';
import { installSignalHandlers } from '@app/messaging';
import { startGateway } from './app';

startGateway()
  .then((app) => installSignalHandlers(app, { info: (msg) => process.stdout.write(JSON.stringify({ level: 30, service: 'gateway', msg }) + '\n') }))
  .catch((error) => {
    process.stderr.write(JSON.stringify({ level: 60, service: 'gateway', msg: 'failed to start', err: String(error?.stack ?? error) }) + '\n');
    process.exit(1);
  });
