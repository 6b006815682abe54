import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKeys {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateSigningKeys(): SigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Development keys, made once and kept (git-ignored) so tokens survive restarts. */
export function loadOrCreateSigningKeys(dir: string): SigningKeys {
  const privatePath = join(dir, 'jwt-ed25519.key');
  const publicPath = join(dir, 'jwt-ed25519.pub');
  if (existsSync(privatePath) && existsSync(publicPath)) {
    return { privateKeyPem: readFileSync(privatePath, 'utf8'), publicKeyPem: readFileSync(publicPath, 'utf8') };
  }
  mkdirSync(dir, { recursive: true });
  const keys = generateSigningKeys();
  writeFileSync(privatePath, keys.privateKeyPem, { mode: 0o600 });
  writeFileSync(publicPath, keys.publicKeyPem);
  return keys;
}
