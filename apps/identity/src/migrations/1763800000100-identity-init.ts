import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityInit1763800000100 implements MigrationInterface {
  name = 'IdentityInit1763800000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE identity.users (
      id serial PRIMARY KEY,
      username text NOT NULL,
      email text,
      phone text,
      password_hash text,
      role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'moderator', 'admin')),
      full_name text,
      telegram_contact text,
      city text,
      bio text,
      locations text[] NOT NULL DEFAULT '{}',
      trust_score numeric(5,2) NOT NULL DEFAULT 0,
      exchange_count int NOT NULL DEFAULT 0,
      rating_avg numeric(3,2) NOT NULL DEFAULT 0,
      is_active boolean NOT NULL DEFAULT true,
      is_verified boolean NOT NULL DEFAULT false,
      email_verified boolean NOT NULL DEFAULT false,
      phone_verified boolean NOT NULL DEFAULT false,
      deactivated_at timestamptz,
      deactivation_reason text,
      deleted_at timestamptz,
      telegram_id bigint,
      telegram_username text,
      telegram_first_name text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      last_login_at timestamptz,
      last_active_at timestamptz)`);
    await q.query(`CREATE UNIQUE INDEX users_username_key ON identity.users (lower(username))`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON identity.users (lower(email)) WHERE email IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX users_phone_key ON identity.users (phone) WHERE phone IS NOT NULL`);
    await q.query(`CREATE TABLE identity.sessions (
      id uuid PRIMARY KEY,
      user_id int NOT NULL REFERENCES identity.users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz,
      revoked_reason text,
      user_agent text,
      ip text)`);
    await q.query(`CREATE INDEX sessions_user_active ON identity.sessions (user_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE TABLE identity.refresh_tokens (
      id serial PRIMARY KEY,
      session_id uuid NOT NULL REFERENCES identity.sessions(id),
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz)`);
    await q.query(`CREATE INDEX refresh_tokens_session ON identity.refresh_tokens (session_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE identity.refresh_tokens`);
    await q.query(`DROP TABLE identity.sessions`);
    await q.query(`DROP TABLE identity.users`);
  }
}
