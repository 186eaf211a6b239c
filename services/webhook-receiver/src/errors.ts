import { AppError } from '@gitops/errors';

/** The receiver's error codes (documented in docs/webhooks.md), each with the status it answers. */
export const webhookErrors = {
  unknownRepository: (urls: string[]) =>
    new AppError(
      'GITOPS_WEBHOOK_UNKNOWN_REPOSITORY',
      `no application for repository ${urls[0] ?? '(none given)'}`,
      {
        statusCode: 404,
      },
    ),
  noSecret: (apps: string[]) =>
    new AppError(
      'GITOPS_WEBHOOK_NO_SECRET',
      `application ${apps.join(', ')} has no webhook secret configured, so every delivery is refused`,
      { statusCode: 401 },
    ),
  ambiguousRepository: (apps: { name: string; repoURL: string }[]) => {
    const named = apps.map((app) => `${app.name}: ${app.repoURL}`).join(', ');
    return new AppError(
      'GITOPS_WEBHOOK_AMBIGUOUS_REPOSITORY',
      `the payload names the repositories of several applications (${named}); one delivery must name one repository, so no pipeline is started`,
      { statusCode: 400 },
    );
  },
  badSignature: () =>
    new AppError('GITOPS_WEBHOOK_BAD_SIGNATURE', 'signature or token is missing or does not match', {
      statusCode: 401,
    }),
};
