export * from './types';
export * from './policy';
export * from './clock';
export * from './rules';
export * from './rounds';
export * from './plan';
export * from './explain';
