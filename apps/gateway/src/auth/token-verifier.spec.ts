import { createHmac } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { generateSigningKeys } from '../../../../libs/devstack/src/keys';
import type { GatewayConfig } from '../config';
import { DenyList } from './deny-list';
import { TokenVerifier } from './token-verifier';

const keys = generateSigningKeys();
const config = { JWT_PUBLIC_KEY: keys.publicKeyPem, JWT_ISSUER: 'freemarket-identity', JWT_AUDIENCE: 'freemarket', ACCESS_TOKEN_TTL_SECONDS: 900 } as GatewayConfig;

async function sign(claims: Record<string, unknown>, { sub = '7', exp = 600, iat = 0 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject(sub)
    .setIssuer('freemarket-identity')
    .setAudience('freemarket')
    .setIssuedAt(now + iat)
    .setExpirationTime(now + exp)
    .sign(await importPKCS8(keys.privateKeyPem, 'EdDSA'));
}

describe('TokenVerifier', () => {
  const denyList = new DenyList({} as never, config);
  const verifier = new TokenVerifier(config, denyList);

  it('accepts an access token signed with the identity key', async () => {
    await expect(verifier.verify(await sign({ role: 'admin', sid: 's1', typ: 'access' }))).resolves.toEqual({ caller: { id: 7, role: 'admin', sid: 's1' } });
  });

  it('refuses an expired token, saying so', async () => {
    await expect(verifier.verify(await sign({ role: 'user', typ: 'access' }, { exp: -5, iat: -100 }))).resolves.toEqual({ error: 'Access token expired' });
  });

  it('refuses a token that is not an access token, or has an unknown role or a bad subject', async () => {
    for (const token of [await sign({ role: 'user', typ: 'refresh' }), await sign({ role: 'root', typ: 'access' }), await sign({ role: 'user', typ: 'access' }, { sub: 'abc' })]) {
      await expect(verifier.verify(token)).resolves.toEqual({ error: 'Invalid access token' });
    }
  });

  it('pins EdDSA: an HS256 token keyed with the public key is refused', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = Buffer.from(JSON.stringify({ sub: '1', role: 'admin', typ: 'access', iss: 'freemarket-identity', aud: 'freemarket', iat: now, exp: now + 600 })).toString('base64url');
    const sig = createHmac('sha256', keys.publicKeyPem).update(`${header}.${payload}`).digest('base64url');
    await expect(verifier.verify(`${header}.${payload}.${sig}`)).resolves.toEqual({ error: 'Invalid access token' });
  });

  it('refuses tokens issued before the account was closed, not those issued after it was reopened', async () => {
    const token = await sign({ role: 'user', typ: 'access' }, { sub: '42' });
    denyList.deny(42);
    await expect(verifier.verify(token)).resolves.toEqual({ error: 'Account is no longer active' });
    denyList.allow(42);
    await expect(verifier.verify(token)).resolves.toHaveProperty('caller');
    denyList.deny(43, Date.now() - 60_000);
    await expect(verifier.verify(await sign({ role: 'user', typ: 'access' }, { sub: '43' }))).resolves.toHaveProperty('caller');
  });
});
