/**
 * `posthog-conversations/testing`: run PostHog's Conversations API locally, for tests, examples
 * and offline development. Node only.
 */
export { EMULATOR_DEFAULTS, startEmulator, type Emulator, type EmulatorOptions } from './emulator/index.js';
export type {
  EmulatorEmail,
  EmulatorEvent,
  EmulatorMessage,
  EmulatorPerson,
  EmulatorPersonalApiKey,
  EmulatorTeam,
  EmulatorTicket,
  FaultRule,
  MessageSeed,
  ThrottleRates,
  TicketSeed,
} from './emulator/index.js';
