export * from './types';
export * from './policy';
export * from './clock';
export * from './plan';
export * from './explain';
