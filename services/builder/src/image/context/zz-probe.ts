import ignore from '@balena/dockerignore';
export const a = ignore({ ignorecase: false });
