export * from './data-source';
export * from './unique-violation';
export * from './database.module';
export * from './affected-rows';
