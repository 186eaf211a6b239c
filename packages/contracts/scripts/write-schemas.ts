// Regenerates schemas/*.json from the TypeBox sources; `schemas:check` fails while they differ.
import { SCHEMAS_DIR, writeSchemas } from './schema-files.js';

writeSchemas(SCHEMAS_DIR);
