// The sample domain's error codes (add the catalog to tools/errors/error-table.ts: docs/graph.md's
// table is generated from the catalogs).
import { defineErrors } from '@crm/subgraph';

export const SAMPLE_ERRORS = {
  'WIDGET.NOT_FOUND': { kind: 'NOT_FOUND', meaning: 'no widget with this id' },
  'WIDGET.NAME_TAKEN': { kind: 'CONFLICT', meaning: 'another widget already has this name' },
} as const;

export const { error: sampleError, notFound } = defineErrors(SAMPLE_ERRORS);
