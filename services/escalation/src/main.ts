import { runServiceMain } from '@crm/subgraph';
import { loadEnv } from './env';
import { definitionFromEnv } from './service';

runServiceMain('escalation', loadEnv, definitionFromEnv);
