export * from './fleet';
export * from './http';
export * from './factories';
