import type { KubeObject } from '../manifests/objects.js';
import { isObject } from '../manifests/objects.js';

export { type Health, degraded, healthy, progressing } from './status.js';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export const statusOf = (object: KubeObject): Record<string, unknown> =>
  isObject(object.status) ? object.status : {};

export const conditionOf = (object: KubeObject, type: string): Condition | undefined => {
  const conditions = statusOf(object).conditions;
  return Array.isArray(conditions)
    ? (conditions as Condition[]).find((condition) => condition?.type === type)
    : undefined;
};

export const num = (value: unknown) => (typeof value === 'number' ? value : 0);
