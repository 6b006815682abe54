import type { City } from '../cities';
import type { Role } from '../roles';

/** What anyone may see about a user. */
export interface UserPublicView {
  id: number;
  username: string;
  full_name: string | null;
  telegram_contact: string | null;
  city: string | null;
  bio: string | null;
  locations: City[];
  trust_score: number;
  exchange_count: number;
  rating_avg: number;
  is_active: boolean;
  is_verified: boolean;
  email_verified: boolean;
  phone_verified: boolean;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  last_active_at: string | null;
  telegram_id: number | null;
  telegram_username: string | null;
  telegram_first_name: string | null;
}

/** The user themselves and staff also see contact data and the role. */
export interface UserPrivateView extends UserPublicView {
  email: string | null;
  phone: string | null;
  role: Role;
}

export type UserView = UserPublicView | UserPrivateView;

/** Session material identity hands the gateway; the gateway sets the cookie. */
export interface IssuedTokens {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_at: string;
}

export interface AuthResult {
  user: UserPrivateView;
  tokens: IssuedTokens;
}

export interface RefreshResult {
  tokens: IssuedTokens;
}

export interface MeResult {
  user: UserPrivateView | null;
  authenticated: boolean;
}

export interface LocationsResult {
  id: number;
  locations: City[];
  message: string;
}

export interface MessageResult {
  message: string;
}

export interface RevokeSessionsResult {
  message: string;
  revoked_count: number;
}
