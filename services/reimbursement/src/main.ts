import { runServiceMain } from '@crm/subgraph';
import { loadEnv } from './env';
import { definitionFromEnv } from './service';

runServiceMain('reimbursement', loadEnv, definitionFromEnv);
