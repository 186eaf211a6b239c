export { type KubeApiDouble, type KubeApiDoubleOptions, startKubeApiDouble } from './double.js';
export { type AutoRolloutOptions, autoRollout, rollout, type RolloutOptions } from './rollout.js';
export type {
  KubeObject,
  ManagedFieldsEntry,
  ObjectMeta,
  ObjectRef,
  RecordedRequest,
  Verb,
} from './types.js';
