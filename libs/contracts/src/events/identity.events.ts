import type { City } from '../cities';
import type { Role } from '../roles';

export interface UserRegisteredV1 {
  user_id: number;
  username: string;
  full_name: string | null;
  city: string | null;
  locations: City[];
  role: Role;
}

export interface UserProfileChangedV1 {
  user_id: number;
  username: string;
  full_name: string | null;
  city: string | null;
  telegram_contact: string | null;
  bio: string | null;
}

export interface UserLocationsChangedV1 {
  user_id: number;
  locations: City[];
}

export interface UserDeletedV1 {
  user_id: number;
  deleted_at: string;
}

export interface UserDeactivatedV1 {
  user_id: number;
  reason: string;
  deactivated_at: string;
}

export interface UserReactivatedV1 {
  user_id: number;
  reactivated_at: string;
}
