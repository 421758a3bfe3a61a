/**
 * The load generator keeps working: a small run (100 players, one question, two player
 * processes) against the real server, with the bare-ws baseline; and a smaller one against a
 * cluster of three nodes, a real redis-server and a real PostgreSQL. No speed is asserted here:
 * this machine runs other tests at the same time. `npm run bench` measures.
 */
import { describe, expect, it } from 'vitest';
import { table } from './bench.ts';
import { runScenario, SCENARIO_DEFAULTS } from './generator.ts';

describe('load generator', () => {
	it('plays a question with 100 players and produces every figure', async () => {
		const result = await runScenario({
			...SCENARIO_DEFAULTS,
			name: 'smoke',
			rooms: 1,
			playersPerRoom: 100,
			questions: 1,
			workers: 2,
			joinRate: 200,
			baselineRounds: 1
		});

		expect(result.join).toMatchObject({ joined: 100, connected: 100, failed: 0 });
		expect(result.completeness).toMatchObject({
			expected: 100,
			gotQuestion: 100,
			acked: 100,
			gotResult: 100
		});
		expect(result.completeness.errors).toEqual({});
		expect(result.fanoutMs.count).toBe(100);
		// One late player holds the question open; the other 99 answer in the burst.
		expect(result.ackMs.count).toBe(99);
		expect(result.tickJitterMs.count).toBeGreaterThan(0);
		expect(result.baselineFanoutMs?.count).toBe(100);
		// The bare loop's tick: one round, every socket.
		expect(result.baselineTickJitterMs?.count).toBe(100);
		expect(result.fanoutRatio?.p99).toBeGreaterThan(0);
		for (const figure of [
			result.join.achievedPerSecond,
			result.join.httpMs.p99,
			result.fanoutMs.p99,
			result.ackMs.p99,
			result.tickJitterMs.p99,
			result.server.loopDelayP99Ms,
			result.server.rssPerPlayerKB,
			result.generator.cores
		]) {
			expect(Number.isFinite(figure)).toBe(true);
		}
		expect(result.server.cpuMsPerQuestion).toHaveLength(1);
		expect(table([result])).toContain('| fan-out p50 / p99 / max ms |');
	}, 120_000);

	it('plays against a cluster of three nodes: games spread over them, every phone served', async () => {
		const result = await runScenario({
			...SCENARIO_DEFAULTS,
			name: 'smoke cluster',
			nodes: 3,
			rooms: 3,
			playersPerRoom: 20,
			questions: 1,
			workers: 1,
			joinRate: 200,
			baselineRounds: 0
		});

		// Each node took one game (fewest rooms first), and phones joined through every node.
		expect(Object.values(result.roomsPerNode).sort()).toEqual([1, 1, 1]);
		expect(result.join).toMatchObject({ joined: 60, connected: 60, failed: 0 });
		expect(result.completeness).toMatchObject({ expected: 60, acked: 60, gotResult: 60 });
		expect(result.completeness.errors).toEqual({});
		expect(result.server.redisCpuMsPerQuestion).toHaveLength(1);
		expect(result.server.postgresCpuMsPerQuestion).toHaveLength(1);
		expect(table([result])).toContain('| nodes (rooms on each) | 3 (1 / 1 / 1) |');
	}, 120_000);
});
