/** What both Fastify plugins share. */

/** Options Fastify's `register` itself reads; they may sit beside a plugin's own. */
export const REGISTER_KEYS = ['prefix', 'logLevel', 'logSerializers'] as const;
