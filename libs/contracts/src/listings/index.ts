export * from './listing-rules';
export * from './item-groups';
export * from './categories.dto';
export * from './items.dto';
export * from './views';
export * from './listings.events';
