export * from './matching.dto';
export * from './matching.views';
export * from './matching.events';
