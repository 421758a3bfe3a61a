import { describe, expect, test } from 'vitest';
import {
	ClientMessageSchema,
	HOST_COMMANDS,
	PROTOCOL_VERSION,
	parseClientFrame,
	type ClientMessage,
	type ParsedFrame
} from './messages.ts';
import { MAX_OPTIONS, MAX_PUZZLE_ITEMS } from './quiz.ts';

function refused(frame: ParsedFrame): { code: string; message: string } {
	if (frame.ok) throw new Error(`Expected a refusal, got ${JSON.stringify(frame.message)}`);
	return { code: frame.code, message: frame.message };
}

describe('parseClientFrame: valid frames', () => {
	const valid: ClientMessage[] = [
		{ type: 'hello', v: PROTOCOL_VERSION, token: 'V1StGXR8_Z5jdHi6B-myT' },
		{ type: 'clock', id: 0, clientSentAt: 1_700_000_000_123.5 },
		{ type: 'pong', id: 7 },
		{ type: 'answer', questionIndex: 0, choice: 0 },
		{ type: 'answer', questionIndex: 9, choice: MAX_OPTIONS - 1 },
		{ type: 'answer', questionIndex: 1, choices: [0, 2, 5] },
		{ type: 'answer', questionIndex: 2, text: 'Malmö 🇸🇪' },
		{ type: 'answer', questionIndex: 3, value: -12.5 },
		{ type: 'answer', questionIndex: 4, order: [2, 0, 3, 1] },
		{ type: 'start' },
		{ type: 'next' },
		{ type: 'kick', playerId: 'aBc123_-xy' },
		{ type: 'lock', locked: true },
		{ type: 'pause', paused: false },
		{ type: 'end' }
	];

	test.each(valid.map((message) => [JSON.stringify(message), message] as const))(
		'%s parses to the same message',
		(_type, message) => {
			expect(parseClientFrame(JSON.stringify(message))).toEqual({ ok: true, message });
		}
	);

	test('every client message type is covered above', () => {
		const schemaTypes = ClientMessageSchema.options.map((option) => option.entries.type.literal);
		expect(new Set(valid.map((m) => m.type))).toEqual(new Set(schemaTypes));
		for (const command of HOST_COMMANDS) expect(schemaTypes).toContain(command);
	});

	test('unknown extra fields are dropped, not passed on', () => {
		const parsed = parseClientFrame('{"type":"start","sneaky":{"admin":true}}');
		expect(parsed).toEqual({ ok: true, message: { type: 'start' } });
	});

	test('a 64-character token is still fine', () => {
		const token = 'a'.repeat(64);
		expect(parseClientFrame(JSON.stringify({ type: 'hello', v: 1, token }))).toEqual({
			ok: true,
			message: { type: 'hello', v: 1, token }
		});
	});
});

describe('parseClientFrame: not JSON', () => {
	test.each(['not json', '', '{', '{"type":"start"', "{'type':'start'}", 'undefined'])(
		'%j is bad-json',
		(text) => {
			expect(refused(parseClientFrame(text))).toEqual({
				code: 'bad-json',
				message: expect.any(String)
			});
		}
	);
});

describe('parseClientFrame: unknown or missing type', () => {
	test.each([
		['{"type":"nope"}', '"nope"'],
		['{"type":"HELLO","v":1,"token":"x"}', '"HELLO"'],
		['{"type":"toString"}', '"toString"'],
		['{"type":"__proto__"}', '"__proto__"']
	])('%s is unknown-type and names the type', (text, shown) => {
		const error = refused(parseClientFrame(text));
		expect(error.code).toBe('unknown-type');
		expect(error.message).toContain(shown);
	});

	test.each([
		'{}',
		'{"v":1,"token":"x"}',
		'{"type":7}',
		'{"type":null}',
		'null',
		'[]',
		'42',
		'"start"'
	])('%s is unknown-type (missing)', (text) => {
		const error = refused(parseClientFrame(text));
		expect(error.code).toBe('unknown-type');
		expect(error.message).toContain('missing');
	});

	test('a long unknown type is cut short in the message', () => {
		const error = refused(parseClientFrame(JSON.stringify({ type: 'x'.repeat(5000) })));
		expect(error.code).toBe('unknown-type');
		expect(error.message.length).toBeLessThan(100);
	});
});

describe('parseClientFrame: wrong shapes are bad-frame and name the field', () => {
	test.each([
		['answer with a string choice', { type: 'answer', questionIndex: 0, choice: '1' }, 'choice'],
		[
			'answer with a negative index',
			{ type: 'answer', questionIndex: -1, choice: 1 },
			'questionIndex'
		],
		[
			'answer with a fractional index',
			{ type: 'answer', questionIndex: 0.5, choice: 1 },
			'questionIndex'
		],
		['answer with choice 6', { type: 'answer', questionIndex: 0, choice: MAX_OPTIONS }, 'choice'],
		['answer with choice 9', { type: 'answer', questionIndex: 0, choice: 9 }, 'choice'],
		['hello without a token', { type: 'hello', v: 1 }, 'token'],
		['hello with an empty token', { type: 'hello', v: 1, token: '' }, 'token'],
		['hello with an oversized token', { type: 'hello', v: 1, token: 'a'.repeat(65) }, 'token'],
		['hello with a numeric token', { type: 'hello', v: 1, token: 12345 }, 'token'],
		['hello without a version', { type: 'hello', token: 'abc' }, 'v'],
		['hello with version 0', { type: 'hello', v: 0, token: 'abc' }, 'v'],
		['clock with a fractional id', { type: 'clock', id: 1.5, clientSentAt: 1 }, 'id'],
		['clock without its send time', { type: 'clock', id: 1 }, 'clientSentAt'],
		['pong without its ping id', { type: 'pong' }, 'id'],
		['pong with a negative id', { type: 'pong', id: -1 }, 'id'],
		['pong with a text id', { type: 'pong', id: '3' }, 'id'],
		['kick without a player', { type: 'kick' }, 'playerId'],
		['kick with an oversized player id', { type: 'kick', playerId: 'p'.repeat(65) }, 'playerId'],
		['pause without saying which way', { type: 'pause' }, 'paused'],
		['pause with a text flag', { type: 'pause', paused: 'yes' }, 'paused']
	])('%s', (_name, frame, field) => {
		const error = refused(parseClientFrame(JSON.stringify(frame)));
		expect(error.code).toBe('bad-frame');
		expect(error.message).toContain(`"${frame.type}"`);
		expect(error.message).toContain(`frame: ${field}: `);
	});
});

describe('parseClientFrame: answers of every question type', () => {
	const answer = (fields: Record<string, unknown>) =>
		parseClientFrame(JSON.stringify({ type: 'answer', questionIndex: 0, ...fields }));

	test.each([
		['choice (quiz, true/false, poll)', { choice: 1 }],
		['choices (select all)', { choices: [0, 3] }],
		['six choices, every option', { choices: [0, 1, 2, 3, 4, 5] }],
		['an empty set of choices (the rules explain why not)', { choices: [] }],
		['text (type answer)', { text: 'Paris' }],
		['an empty text (the rules explain why not)', { text: '' }],
		['200 characters of text (the rules say 20 is the most)', { text: 'x'.repeat(200) }],
		['value (slider)', { value: 42 }],
		['a fractional value', { value: 0.30000000000000004 }],
		['a negative value', { value: -1e6 }],
		['order (puzzle)', { order: [3, 2, 1, 0] }],
		['an order of three', { order: [1, 2, 0] }]
	])('%s', (_name, fields) => {
		expect(answer(fields)).toEqual({
			ok: true,
			message: { type: 'answer', questionIndex: 0, ...fields }
		});
	});

	test('carries only the one answer field, extra fields dropped', () => {
		expect(answer({ value: 3, playerId: 'someone-else', points: 9999 })).toEqual({
			ok: true,
			message: { type: 'answer', questionIndex: 0, value: 3 }
		});
	});

	function badFrame(fields: Record<string, unknown>): string {
		const error = refused(answer(fields));
		expect(error.code).toBe('bad-frame');
		expect(error.message).toContain('"answer"');
		return error.message;
	}

	test('no answer field at all is bad-frame', () => {
		expect(badFrame({})).toContain('Give exactly one of choice, choices, text, value, order');
	});

	test.each([
		[{ choice: 1, choices: [1] }],
		[{ choice: 1, text: 'Mars' }],
		[{ text: '4', value: 4 }],
		[{ value: 1, order: [0, 1, 2] }],
		[{ choices: [0], order: [0, 1, 2] }],
		[{ choice: 0, choices: [0], text: 'a', value: 0, order: [0, 1, 2] }]
	])('two or more answer fields are bad-frame: %j', (fields) => {
		expect(badFrame(fields)).toContain('Give exactly one of');
	});

	test('null is not an answer: a null field is bad-frame', () => {
		expect(badFrame({ choice: null })).toContain('choice');
		expect(badFrame({ choice: 1, text: null })).toContain('text');
	});

	test.each([
		['more than six choices', { choices: [0, 1, 2, 3, 4, 5, 0] }, 'choices'],
		['a choice past the sixth option', { choices: [MAX_OPTIONS] }, 'choices.0'],
		['a negative choice in the set', { choices: [1, -1] }, 'choices.1'],
		['a fractional choice in the set', { choices: [1.5] }, 'choices.0'],
		['choices that are not a list', { choices: 3 }, 'choices'],
		['more than four items in order', { order: [0, 1, 2, 3, 0] }, 'order'],
		['a position past the fourth item', { order: [0, 1, MAX_PUZZLE_ITEMS] }, 'order.2'],
		['a negative position', { order: [-1, 0, 1] }, 'order.0'],
		['positions as strings', { order: ['0', '1', '2'] }, 'order.0'],
		['text longer than 200 characters', { text: 'x'.repeat(201) }, 'text'],
		['text that is a number', { text: 42 }, 'text'],
		['a value as a string', { value: '42' }, 'value']
	])('%s is bad-frame naming the field', (_name, fields, path) => {
		expect(badFrame(fields)).toContain(`frame: ${path}: `);
	});

	test('a value too large for a number (1e999 parses to Infinity) is bad-frame', () => {
		const error = refused(parseClientFrame('{"type":"answer","questionIndex":0,"value":1e999}'));
		expect(error.code).toBe('bad-frame');
		expect(error.message).toContain('frame: value: ');
		const negative = refused(
			parseClientFrame('{"type":"answer","questionIndex":0,"value":-1e999}')
		);
		expect(negative.code).toBe('bad-frame');
	});
});
