import type { UserPrivateView, UserPublicView } from '@app/contracts';
import type { UserEntity } from './user.entity';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toPublicView(u: UserEntity): UserPublicView {
  return {
    id: u.id,
    username: u.username,
    full_name: u.full_name,
    telegram_contact: u.telegram_contact,
    city: u.city,
    bio: u.bio,
    locations: u.locations,
    trust_score: u.trust_score,
    exchange_count: u.exchange_count,
    rating_avg: u.rating_avg,
    is_active: u.is_active,
    is_verified: u.is_verified,
    email_verified: u.email_verified,
    phone_verified: u.phone_verified,
    created_at: u.created_at.toISOString(),
    updated_at: u.updated_at.toISOString(),
    last_login_at: iso(u.last_login_at),
    last_active_at: iso(u.last_active_at),
    telegram_id: u.telegram_id,
    telegram_username: u.telegram_username,
    telegram_first_name: u.telegram_first_name,
  };
}

export function toPrivateView(u: UserEntity): UserPrivateView {
  return { ...toPublicView(u), email: u.email, phone: u.phone, role: u.role };
}
