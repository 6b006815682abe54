export * from './ports';
export * from './nats-server';
export * from './postgres';
export * from './keys';
export * from './database-admin';
export * from './processes';
