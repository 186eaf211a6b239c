import type { KubeObject } from './objects.js';

/** The labels that mark an object as applied by the reconciler for one application and environment. */
export const APP_LABEL = 'gitops.platform/app';
export const ENV_LABEL = 'gitops.platform/environment';
/** `disabled` keeps an object out of every prune (docs/reconciler.md, "Prune"). */
export const PRUNE_ANNOTATION = 'gitops.platform/prune';
/** The config commit an object was last applied from. */
export const COMMIT_ANNOTATION = 'gitops.platform/config-commit';

export interface Owner {
  app: string;
  environment: string;
}

export const ownerSelector = ({ app, environment }: Owner) =>
  `${APP_LABEL}=${app},${ENV_LABEL}=${environment}`;

/** The object with the inventory labels added (the rendered object is left as it is). */
export function withInventory(object: KubeObject, owner: Owner): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      labels: { ...object.metadata.labels, [APP_LABEL]: owner.app, [ENV_LABEL]: owner.environment },
    },
  };
}

export const isOwnedBy = (object: KubeObject, owner: Owner) =>
  object.metadata.labels?.[APP_LABEL] === owner.app &&
  object.metadata.labels?.[ENV_LABEL] === owner.environment;

export const pruneProtected = (object: KubeObject) =>
  object.metadata.annotations?.[PRUNE_ANNOTATION] === 'disabled';
