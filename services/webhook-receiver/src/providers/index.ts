import { bitbucket } from './bitbucket.js';
import { generic } from './generic.js';
import { gitea } from './gitea.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import type { ProviderAdapter, ProviderName } from './types.js';

export type {
  Delivery,
  HeadCommit,
  Person,
  ProviderAdapter,
  ProviderName,
  Push,
  WebhookRequest,
} from './types.js';
export { hmacSha256Hex, safeEqual } from './signature.js';

/** The adapter for each webhook route (`POST /webhooks/<name>`). */
export const providers: Record<ProviderName, ProviderAdapter> = { github, gitlab, gitea, bitbucket, generic };
