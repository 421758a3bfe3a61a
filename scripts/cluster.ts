/**
 * `npm run cluster -- --nodes 3 [--port 3000]`: PostgreSQL, Redis, several Quizroom nodes and a
 * proxy on this machine, for development and for trying what a cluster does (kill a node: its
 * games move). DATABASE_URL and REDIS_URL name servers of your own instead.
 */
import { publicBaseUrl } from '../src/lib/server/web/lan.ts';
import { startCluster } from './cluster/local-cluster.ts';

function option(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	if (index < 0) return fallback;
	const value = Number(process.argv[index + 1]);
	if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number`);
	return value;
}

const nodes = option('nodes', 3);
const port = option('port', Number(process.env.PORT ?? 3000));
const lan = publicBaseUrl('0.0.0.0', port, process.env.PUBLIC_URL);
const dataDir = process.env.DATA_DIR ?? 'data/cluster';
const cluster = await startCluster({
	nodes,
	port,
	publicUrl: lan,
	dataDir,
	redisUrl: process.env.REDIS_URL,
	databaseUrl: process.env.DATABASE_URL,
	log: (line) => console.log(line)
});
// Hosts sign in; the nodes share their accounts in PostgreSQL, so one sign-in is good on all.
const setup = cluster.setupLink();
const signIn = setup
	? [`  First time here? Become the admin (the link works once):`, `    ${setup}`]
	: [
			`  Host:          http://localhost:${port}/host`,
			`  Lost your sign-in? DATABASE_URL=${cluster.databaseUrl} DATA_DIR=${dataDir}/n1 PORT=${port} npm run admin -- link`
		];
console.log(
	[
		'',
		`  Quizroom cluster: ${nodes} nodes, Redis at ${cluster.redisUrl}, PostgreSQL at ${cluster.databaseUrl.replace(/:[^:@/]*@/, ':***@')}`,
		...cluster.nodes.map(
			(n) =>
				`    node ${n.id}: 127.0.0.1:${n.port} (pid ${n.process.pid}), reached at ${cluster.url}/n/${n.id}/`
		),
		'',
		...signIn,
		`  Players join:  ${lan}`,
		'',
		'  Kill a node (kill -9 <pid>): its games move to the others within NODE_TTL_MS (10 s).',
		'  Ctrl+C stops everything.',
		''
	].join('\n')
);
const stop = async () => {
	await cluster.stop();
	process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
