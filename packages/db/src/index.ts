export { createDataSource, openDatabase, type DataSourceSettings } from './data-source';
export { ensureDatabase, dropDatabase } from './database';
export { withDatabase, databaseName, redactUrl, assertIdentifier } from './urls';
export { firstPerParent, type PerParent } from './per-parent';
