export * from './config';
export * from './correlation';
export * from './logger';
export * from './health';
export * from './ops.module';
export * from './public';
