import { customAlphabet } from 'nanoid';

/** Quiz ids appear in URLs: lowercase letters and digits only (QuizSchema's id rule). */
export const newQuizId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);
