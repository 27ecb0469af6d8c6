import { runServiceMain } from '@crm/subgraph';
import { loadEnv } from './env';
import { definition } from './service';

runServiceMain('sample', loadEnv, () => definition);
