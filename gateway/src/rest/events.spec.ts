import { createHash, createHmac } from 'node:crypto';
import { createLogger } from '@crm/logging';
import {
  DEV_PARTNER_API_KEY,
  DEV_PARTNER_CREDENTIALS,
  partnerAuthenticated,
  partnerCredentials,
} from './events';

const logger = createLogger({ service: 'test', level: 'silent' });
const secret = 'a-partner-secret-of-at-least-32-characters';
const credentials = {
  CALENDLY: { api_key_sha256: createHash('sha256').update('the-key').digest('hex') },
  WEB_CHAT: { hmac_secret: secret },
};

describe('partner authentication (POST /api/v1/events)', () => {
  it('accepts the source’s API key or its HMAC of the exact body, nothing else', () => {
    const body = '{"source":"WEB_CHAT"}';
    const sig = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    expect(partnerAuthenticated(credentials, 'CALENDLY', body, 'the-key', undefined)).toBe(true);
    expect(partnerAuthenticated(credentials, 'CALENDLY', body, 'another-key', undefined)).toBe(false);
    // one source's key is not another's
    expect(partnerAuthenticated(credentials, 'WEB_CHAT', body, 'the-key', undefined)).toBe(false);
    expect(partnerAuthenticated(credentials, 'WEB_CHAT', body, undefined, sig)).toBe(true);
    expect(partnerAuthenticated(credentials, 'WEB_CHAT', `${body} `, undefined, sig)).toBe(false);
    expect(partnerAuthenticated(credentials, 'UNKNOWN', body, 'the-key', sig)).toBe(false);
    expect(partnerAuthenticated(credentials, '__proto__', body, 'the-key', sig)).toBe(false);
  });

  it('keeps the development partner out of production', () => {
    expect(Object.keys(partnerCredentials(DEV_PARTNER_CREDENTIALS, false, logger))).toEqual(['WEB_CHAT']);
    expect(partnerCredentials(DEV_PARTNER_CREDENTIALS, true, logger)).toEqual({});
    const dev = partnerCredentials(DEV_PARTNER_CREDENTIALS, false, logger);
    expect(partnerAuthenticated(dev, 'WEB_CHAT', '{}', DEV_PARTNER_API_KEY, undefined)).toBe(true);
    expect(() => partnerCredentials('{"X":{}}', false, logger)).toThrow();
  });
});
