import type { Services } from '$lib/server/services';

declare global {
	namespace App {
		interface Locals {
			services: Services;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
