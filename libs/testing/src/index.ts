export * from './fleet';
export * from './http';
export * from './factories';
export * from './events';
