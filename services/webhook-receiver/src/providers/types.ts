export type ProviderName = 'github' | 'gitlab' | 'gitea' | 'bitbucket' | 'generic';

export interface WebhookRequest {
  /** Header names in lower case; a repeated header joined with ", ". */
  headers: Record<string, string | undefined>;
  /** The exact bytes received: signatures are computed over them. */
  body: Buffer;
  /** The media type only, lower case, without parameters (`application/json`). */
  contentType: string;
}

export interface Person {
  name: string;
  email: string;
}

export interface HeadCommit {
  sha: string;
  message: string;
  author: Person;
  /** RFC 3339, as the provider wrote it; absent when the provider gives none (or an unreadable one). */
  timestamp?: string;
}

export interface Push {
  deliveryId: string;
  /** Every URL form the payload gives for the repository (clone https, ssh, html, …), most canonical first, never empty. */
  repoURLs: string[];
  /** `refs/heads/<branch>` */
  ref: string;
  branch: string;
  before: string;
  after: string;
  pusher: Person;
  headCommit: HeadCommit;
}

export type Delivery =
  | { kind: 'push'; push: Push }
  | { kind: 'ignored'; reason: string; repoURLs: string[]; deliveryId?: string };

export interface ProviderAdapter {
  name: ProviderName;
  /**
   * Throws AppError GITOPS_WEBHOOK_UNSUPPORTED_MEDIA_TYPE (415) for a content type this provider never
   * sends, and GITOPS_WEBHOOK_MALFORMED (400) naming the problem for a body that is not valid JSON or
   * lacks a required field.
   */
  parse(request: WebhookRequest): Delivery;
  /** Whether the request is authentic for `secret`. Never throws; compares in constant time. */
  verify(request: WebhookRequest, secret: string): boolean;
}
