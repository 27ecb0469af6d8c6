import { randomUUID } from 'node:crypto';
import {
  CHAT_WIDGET,
  issueConversationToken,
  verifyConversationToken,
  verifyPresentedToken,
} from './conversation-tokens';
import { generateInternalKeys, InternalTokenSigner, requestDigest } from './internal-tokens';
import { issueUserToken } from './tokens';

const T0 = 1_900_000_000; // a fixed instant
const signer = new InternalTokenSigner(generateInternalKeys().privateKey);
const user = { secret: 'u'.repeat(40), issuer: 'crm-idp', audience: 'crm-gateway' };

describe("conversation tokens (the chat widget's visitor)", () => {
  it('name one conversation and give the role conversation only, for an hour', async () => {
    const id = randomUUID();
    const token = await issueConversationToken(signer, id, 3600, T0);
    await expect(verifyConversationToken(token, signer.verifyingKey, T0 + 3599)).resolves.toEqual({
      principal: { sub: id, roles: ['conversation'] },
      expiresAt: T0 + 3600,
    });
    await expect(verifyConversationToken(token, signer.verifyingKey, T0 + 3601)).rejects.toMatchObject({
      code: 'AUTH.EXPIRED_TOKEN',
    });
  });

  it('are refused when signed by another key, and are not internal tokens (another audience)', async () => {
    const other = new InternalTokenSigner(generateInternalKeys().privateKey);
    const forged = await issueConversationToken(other, randomUUID(), 3600, T0);
    await expect(verifyConversationToken(forged, signer.verifyingKey, T0)).rejects.toMatchObject({
      code: 'AUTH.INVALID_TOKEN',
    });
    const internal = await signer.mint({ sub: randomUUID(), roles: ['supervisor'] }, 'crm-chat', {
      request: requestDigest({ query: '{ x }' }),
    });
    await expect(verifyConversationToken(internal, signer.verifyingKey)).rejects.toMatchObject({
      code: 'AUTH.INVALID_TOKEN',
    });
  });

  it("never carry the gateway's own chat-widget principal", async () => {
    const token = await issueConversationToken(signer, CHAT_WIDGET.sub, 3600, T0);
    await expect(verifyConversationToken(token, signer.verifyingKey, T0)).rejects.toMatchObject({
      code: 'AUTH.INVALID_TOKEN',
    });
  });
});

describe('a token presented at the gateway', () => {
  it('is a user token (HS256) or a conversation token (EdDSA), each checked with its own key', async () => {
    const advisor = { sub: 'adv-1', roles: ['advisor' as const] };
    const userToken = await issueUserToken(advisor, user);
    expect((await verifyPresentedToken(userToken, user, signer.verifyingKey)).principal).toEqual(advisor);
    const id = randomUUID();
    const chat = await issueConversationToken(signer, id);
    expect((await verifyPresentedToken(chat, user, signer.verifyingKey)).principal).toEqual({
      sub: id,
      roles: ['conversation'],
    });
    await expect(verifyPresentedToken('garbage', user, signer.verifyingKey)).rejects.toMatchObject({
      code: 'AUTH.INVALID_TOKEN',
    });
  });
});
