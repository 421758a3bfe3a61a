import { describe, expect, it } from 'vitest';
import { QUESTION_TYPES } from '$lib/protocol/basics';
import { phoneTask } from './question-type.ts';

describe('phoneTask', () => {
	it('tells a screen reader user what this type asks of them', () => {
		expect(phoneTask('type-answer')).toBe('type your answer');
		expect(phoneTask('slider')).toBe('move the slider to your answer');
		expect(phoneTask('puzzle')).toBe('put the items in order');
		expect(phoneTask('multi')).toBe('select all that apply');
		for (const type of ['quiz', 'true-false', 'poll'] as const) {
			expect(phoneTask(type)).toBe('pick your answer');
		}
		for (const type of QUESTION_TYPES) expect(phoneTask(type)).toMatch(/^[a-z]/);
	});
});
