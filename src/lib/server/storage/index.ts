export type {
	GameListItem,
	ImageType,
	QuizListItem,
	Storage,
	StoredImage,
	StoredQuiz
} from './storage.ts';
export { MemoryStorage } from './memory.ts';
export {
	DATABASE_FILE,
	IMAGES_DIR,
	SqliteStorage,
	type SqliteStorageOptions,
	type WriteOperation
} from './sqlite.ts';
export { LATEST_SCHEMA_VERSION, SchemaTooNewError } from './migrations.ts';
export {
	DEFAULT_REDIS_PREFIX,
	REDIS_FORMAT,
	RedisFormatTooNewError,
	RedisStorage,
	type RedisStorageOptions
} from './redis.ts';
export {
	connectRedis,
	redactedUrl,
	type RedisClient,
	type RedisConnectOptions
} from './redis-client.ts';
export { isStoreUnavailable, StoreUnavailableError } from './errors.ts';
export * from './live-rooms.ts';
