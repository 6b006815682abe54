import 'reflect-metadata';
import { installSignalHandlers } from '@app/messaging';
import { startListings } from './app';

startListings()
  .then((app) => installSignalHandlers(app, { info: (msg) => process.stdout.write(JSON.stringify({ level: 30, service: 'listings', msg }) + '\n') }))
  .catch((error) => {
    process.stderr.write(JSON.stringify({ level: 60, service: 'listings', msg: 'failed to start', err: String(error?.stack ?? error) }) + '\n');
    process.exit(1);
  });
