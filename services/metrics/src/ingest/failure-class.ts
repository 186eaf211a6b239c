/** The failure classes of the builds API: what a person looks at first when a build fails. */
export type FailureClass = 'test' | 'build' | 'image' | 'infrastructure' | 'timeout' | 'superseded';

/**
 * The class of a build.failed from the builder's `reason`: a failing step with failed tests is a
 * test failure; any other failing step or a bad build config is the build's own; the source fetch
 * and unexpected errors are the platform's (infrastructure).
 */
export function failureClass(reason: string | undefined, testsFailed: number | undefined): FailureClass {
  switch (reason) {
    case 'step-failed':
      return (testsFailed ?? 0) > 0 ? 'test' : 'build';
    case 'invalid-config':
      return 'build';
    case 'image':
    case 'timeout':
    case 'superseded':
      return reason;
    default:
      return 'infrastructure';
  }
}
