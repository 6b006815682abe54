import 'reflect-metadata';
import { installSignalHandlers } from '@app/messaging';
import { startIdentity } from './app';

startIdentity()
  .then((app) => installSignalHandlers(app, { info: (msg) => process.stdout.write(JSON.stringify({ level: 30, service: 'identity', msg }) + '\n') }))
  .catch((error) => {
    process.stderr.write(JSON.stringify({ level: 60, service: 'identity', msg: 'failed to start', err: String(error?.stack ?? error) }) + '\n');
    process.exit(1);
  });
