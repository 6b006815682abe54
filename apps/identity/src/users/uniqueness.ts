import { DomainError } from '@app/contracts';
import { uniqueViolation } from '@app/database';

const FIELD_BY_CONSTRAINT: Record<string, string> = {
  users_username_key: 'username',
  users_email_key: 'email',
  users_phone_key: 'phone',
};

/** Turns a unique violation on users into a 409 naming the field; rethrows anything else. */
export function rethrowAsConflict(error: unknown): never {
  const constraint = uniqueViolation(error);
  if (constraint) {
    const field = FIELD_BY_CONSTRAINT[constraint] ?? 'value';
    throw new DomainError('conflict', `A user with this ${field} already exists`, [{ field, message: `${field} already exists` }]);
  }
  throw error;
}
