// Git provider webhooks (`POST /api/webhook`); see docs/webhooks.md.
export { webhookHandler, DEFAULT_MAX_BODY_BYTES, WEBHOOK_PROVIDERS, type WebhookHandlerOptions, type WebhookRequestHandler } from './handler.js';
export { webhookSecretsFrom, webhookSecretName } from './secrets.js';
export { matchApplications, repoIdentity, MANIFEST_PATHS_ANNOTATIONS } from './match.js';
export { signGeneric } from './signature.js';
export type { Provider, PushEvent, WebhookSecrets } from './types.js';
