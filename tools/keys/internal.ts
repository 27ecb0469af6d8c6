// `npm run keys:internal`: a new Ed25519 key pair for the internal tokens, as the two variables
// (one line each, `\n` for line breaks, as an environment file needs them). The gateway gets the
// private key, every subgraph the public key (docs/deployment.md).
import { generateInternalKeys } from '@crm/auth';

const oneLine = (pem: string) => pem.trim().replace(/\n/g, '\\n');
const { privateKey, publicKey } = generateInternalKeys();
process.stdout.write(`INTERNAL_TOKEN_PRIVATE_KEY=${oneLine(privateKey)}\n`);
process.stdout.write(`INTERNAL_TOKEN_PUBLIC_KEY=${oneLine(publicKey)}\n`);
