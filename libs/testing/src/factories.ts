import type { RegisterRequest } from '@app/contracts';
import type { Api } from './http';

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(sequence++).toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

/** A valid registration; override any field. */
export function aUser(overrides: Partial<RegisterRequest> = {}): RegisterRequest {
  const tag = unique();
  return {
    username: `user_${tag}`,
    email: `user_${tag}@example.com`,
    password: 'StrongPassword123!',
    full_name: 'Test User',
    city: 'Алматы',
    ...overrides,
  };
}

export interface LoggedInUser {
  id: number;
  username: string;
  email: string;
  password: string;
  token: string;
  /** `refresh_token=...` ready for a Cookie header. */
  refreshCookie: string;
}

/** Registers through the gateway and returns a logged-in user. */
export async function registerUser(api: Api, overrides: Partial<RegisterRequest> = {}): Promise<LoggedInUser> {
  const input = aUser(overrides);
  const res = await api.post('/auth/register', input);
  if (res.status !== 200) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    id: res.body.user.id,
    username: res.body.user.username,
    email: input.email,
    password: input.password,
    token: res.body.access_token,
    refreshCookie: `refresh_token=${res.cookies.refresh_token}`,
  };
}

/** Logs in as the bootstrap admin the test fleet creates. */
export async function loginAdmin(api: Api): Promise<{ id: number; token: string }> {
  const res = await api.post('/auth/login', { email: 'admin@freemarket.test', password: 'admin-password-1' });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, token: res.body.access_token };
}
