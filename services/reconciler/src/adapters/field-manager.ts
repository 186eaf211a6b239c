/** The field manager of every server-side apply the reconciler makes. */
export const FIELD_MANAGER = 'gitops-reconciler';
