export * from './rules.ts';
export * from './state.ts';
export * from './views.ts';
export * from './scoring.ts';
export * from './leaderboard.ts';
export * from './nickname.ts';
