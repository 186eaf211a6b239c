// A module resolve hook: `@gitops/<name>` loads packages/<name>/src/index.ts (through tsx), as vitest's
// alias does, so the bench runs from the sources without `pnpm build`.
export async function resolve(specifier, context, next) {
  const name = /^@gitops\/([a-z-]+)$/.exec(specifier)?.[1];
  if (!name) return next(specifier, context);
  return next(new URL(`../../packages/${name}/src/index.ts`, import.meta.url).href, context);
}
