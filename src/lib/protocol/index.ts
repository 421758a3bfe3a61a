export * from './messages.ts';
export * from './quiz.ts';
export * from './http.ts';
export * from './fallback.ts';
