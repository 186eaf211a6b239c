export {
  DataLeases,
  type DataLeasesOptions,
  type Lease,
  type LeaseHolder,
  whileHeld,
} from './data-leases.js';
export { overlaps } from './markers.js';
export { type RemovalOutcome, leasedEntries, pruneLeftovers, removeUnlessInUse } from './removal.js';
