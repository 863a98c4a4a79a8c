export * from './server';
export * from './webhook';
export * from './openapi/extract';
