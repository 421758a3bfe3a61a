/**
 * The secrets in cookies and links: 256 random bits, base64url (43 characters). Stores keep
 * only their SHA-256, so a copy of the database opens no session and no link.
 */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

/** What a store keeps of a token (hex); null for text that is no token of ours. */
export function tokenId(token: string): string | null {
	return TOKEN_SHAPE.test(token) ? createHash('sha256').update(token).digest('hex') : null;
}
