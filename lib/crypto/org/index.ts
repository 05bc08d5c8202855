export * from './secret';
export * from './chain';
export * from './succession';
export * from './invite';
export * from './epoch';
export * from './claim';
