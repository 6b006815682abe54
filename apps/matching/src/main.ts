import 'reflect-metadata';
import { installSignalHandlers } from '@app/messaging';
import { startMatching } from './app';

startMatching()
  .then((app) => installSignalHandlers(app, { info: (msg) => process.stdout.write(JSON.stringify({ level: 30, service: 'matching', msg }) + '\n') }))
  .catch((error) => {
    process.stderr.write(JSON.stringify({ level: 60, service: 'matching', msg: 'failed to start', err: String(error?.stack ?? error) }) + '\n');
    process.exit(1);
  });
