export { DataLeases, type DataLeasesOptions, type Lease, type LeaseHolder, whileHeld } from './data-leases.js';
export { MARKER_DIR, MARKER_TIMING, TRASH_DIR, entryPath, overlaps } from './markers.js';
export { type RemovalOutcome, leasedEntries, pruneLeftovers, removeUnlessInUse } from './removal.js';
export { removeTree } from './remove-tree.js';
