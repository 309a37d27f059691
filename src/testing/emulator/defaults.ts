// Alone in a file so `doctor` can recognise an emulator's project without loading the emulator.

/** The credentials of the default team and key, fixed so examples and tests can use them as constants. */
export const EMULATOR_DEFAULTS = {
  projectId: 1,
  teamName: 'Emulated team',
  projectApiKey: 'phc_emulator_project_api_key',
  publicToken: 'emulator_widget_public_token_000000000000000',
  secretApiToken: 'phs_emulator_secret_api_token_0000000000000000',
  personalApiKey: 'phx_emulator_personal_api_key_000000000000000',
  /** The Standard Webhooks signing secret examples verify deliveries with (base64 of 32 made-up bytes). */
  webhookSecret: 'whsec_ZW11bGF0b3Itd2ViaG9vay1zaWduaW5nLWtleS0wMDA=',
} as const;
