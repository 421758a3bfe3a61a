import { describe, expect, it } from 'vitest';
import { QUESTION_TYPES } from '$lib/protocol/basics';
import en from '$lib/i18n/messages/en';
import { phoneTask } from './question-type.ts';

describe('phoneTask', () => {
	it('says what to do for each type, in words the message files have', () => {
		expect(en[phoneTask('type-answer')]).toBe('Question {number}: type your answer');
		expect(en[phoneTask('slider')]).toBe('Question {number}: move the slider to your answer');
		expect(en[phoneTask('puzzle')]).toBe('Question {number}: put the items in order');
		expect(en[phoneTask('multi')]).toBe('Question {number}: select all that apply');
		for (const type of ['quiz', 'true-false', 'poll'] as const) {
			expect(phoneTask(type)).toBe('task.choice');
		}
		for (const type of QUESTION_TYPES) expect(en[phoneTask(type)]).toBeTypeOf('string');
	});
});
