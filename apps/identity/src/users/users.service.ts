import { Injectable, Logger } from '@nestjs/common';
import {
  CITIES,
  DomainError,
  EventTypes,
  isStaff,
  Role,
  type Caller,
  type City,
  type CreateUserRequest,
  type LocationsResult,
  type MessageResult,
  type SetActiveCommand,
  type UpdateProfileRequest,
  type UserPrivateView,
  type UserView,
  requireCaller,
} from '@app/contracts';
import { TransactionRunner, type Tx } from '@app/messaging';
import { SessionsRepository } from '../auth/sessions.repository';
import type { UserEntity } from './user.entity';
import { toPrivateView, toPublicView } from './user.mapper';
import { UsersRepository } from './users.repository';
import { rethrowAsConflict } from './uniqueness';

const initialLocations = (city: string | null | undefined): City[] =>
  city && (CITIES as readonly string[]).includes(city) ? [city as City] : [];

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  /** Inserts a user and announces it; role and flags come from the caller of this method, never the client. */
  async insertUser(tx: Tx, fields: Partial<UserEntity> & { username: string }): Promise<UserEntity> {
    const user = await this.users.insert(tx.em, { ...fields, locations: fields.locations ?? initialLocations(fields.city) }).catch(rethrowAsConflict);
    await tx.emit(EventTypes.identityUserRegistered, user.id, {
      user_id: user.id,
      username: user.username,
      full_name: user.full_name,
      city: user.city,
      locations: user.locations,
      role: user.role,
    });
    return user;
  }

  /** Staff create accounts without a password (e.g. for the Telegram bot). */
  async create(caller: Caller | undefined, input: CreateUserRequest): Promise<UserPrivateView> {
    if (!isStaff(requireCaller(caller).role)) throw DomainError.forbidden('Only staff can create users directly; use /auth/register');
    const user = await this.transactions.run((tx) =>
      this.insertUser(tx, {
        username: input.username,
        email: input.email,
        phone: input.phone ?? null,
        full_name: input.full_name ?? null,
        telegram_contact: input.telegram_contact ?? null,
        city: input.city ?? null,
        bio: input.bio ?? null,
      }),
    );
    this.logger.log({ user_id: user.id, by: caller?.id }, 'user created by staff');
    return toPrivateView(user);
  }

  private view(user: UserEntity, caller: Caller | undefined): UserView {
    return caller && (caller.id === user.id || isStaff(caller.role)) ? toPrivateView(user) : toPublicView(user);
  }

  async get(caller: Caller | undefined, id: number): Promise<UserView> {
    const user = await this.users.findById(id);
    if (!user) throw DomainError.notFound('User');
    return this.view(user, caller);
  }

  async getByUsername(caller: Caller | undefined, username: string): Promise<UserView> {
    const user = await this.users.findByUsername(username);
    if (!user) throw DomainError.notFound('User');
    return this.view(user, caller);
  }

  async getSelf(id: number): Promise<UserEntity | null> {
    const user = await this.users.findById(id);
    return user && user.is_active ? user : null;
  }

  async updateLocations(caller: Caller | undefined, userId: number, locations: City[]): Promise<LocationsResult> {
    if (requireCaller(caller).id !== userId) throw DomainError.forbidden('You can only change your own locations');
    const unique = [...new Set(locations)];
    return this.transactions.run(async (tx) => {
      const user = await this.users.lockById(tx.em, userId);
      if (!user) throw DomainError.notFound('User');
      const changed = unique.length !== user.locations.length || unique.some((c, i) => c !== user.locations[i]);
      if (changed) {
        user.locations = unique;
        await this.users.save(tx.em, user);
        await tx.emit(EventTypes.identityUserLocationsChanged, user.id, { user_id: user.id, locations: unique });
      }
      return { id: user.id, locations: user.locations, message: 'Locations updated' };
    });
  }

  async updateProfile(caller: Caller | undefined, input: UpdateProfileRequest): Promise<UserPrivateView> {
    const { id } = requireCaller(caller);
    return this.transactions.run(async (tx) => {
      const user = await this.users.lockById(tx.em, id);
      if (!user || !user.is_active) throw DomainError.unauthorized('Account is not active');
      // Only these four fields can change here; DTO whitelisting refuses anything else.
      if (input.full_name !== undefined) user.full_name = input.full_name || null;
      if (input.bio !== undefined) user.bio = input.bio || null;
      if (input.city !== undefined) user.city = input.city;
      if (input.telegram_contact !== undefined) user.telegram_contact = input.telegram_contact || null;
      const saved = await this.users.save(tx.em, user);
      await tx.emit(EventTypes.identityUserProfileChanged, saved.id, {
        user_id: saved.id,
        username: saved.username,
        full_name: saved.full_name,
        city: saved.city,
        telegram_contact: saved.telegram_contact,
        bio: saved.bio,
      });
      return toPrivateView(saved);
    });
  }

  /**
   * Deletes the caller's account: personal data is erased, the row stays as a tombstone
   * so exchange history keeps its references; every session ends and other services
   * are told (listings archive the user's items, gateways deny the user's tokens).
   */
  async deleteAccount(caller: Caller | undefined): Promise<MessageResult> {
    const { id } = requireCaller(caller);
    await this.transactions.run(async (tx) => {
      const user = await this.users.lockById(tx.em, id);
      if (!user) throw DomainError.notFound('User');
      const now = new Date();
      Object.assign(user, {
        username: `deleted_${user.id}`,
        email: null,
        phone: null,
        password_hash: null,
        full_name: null,
        bio: null,
        telegram_contact: null,
        telegram_id: null,
        telegram_username: null,
        telegram_first_name: null,
        locations: [],
        is_active: false,
        deleted_at: now,
      });
      await this.users.save(tx.em, user);
      await this.sessions.revokeAll(tx.em, user.id, 'account_deleted');
      await tx.emit(EventTypes.identityUserDeleted, user.id, { user_id: user.id, deleted_at: now.toISOString() });
    });
    this.logger.log({ user_id: id }, 'account deleted');
    return { message: 'Account deleted successfully' };
  }

  /** Staff deactivate (ban) or reactivate an account. */
  async setActive(caller: Caller | undefined, command: SetActiveCommand): Promise<UserPrivateView> {
    const actor = requireCaller(caller);
    if (!isStaff(actor.role)) throw DomainError.forbidden();
    if (actor.id === command.user_id) throw DomainError.validation('You cannot deactivate yourself');
    return this.transactions.run(async (tx) => {
      const user = await this.users.lockById(tx.em, command.user_id);
      if (!user) throw DomainError.notFound('User');
      if (user.role === Role.admin && actor.role !== Role.admin) throw DomainError.forbidden('Only an admin can deactivate an admin');
      if (user.is_active === command.active) return toPrivateView(user);
      const now = new Date();
      user.is_active = command.active;
      user.deactivated_at = command.active ? null : now;
      user.deactivation_reason = command.active ? null : (command.reason ?? 'deactivated by staff');
      await this.users.save(tx.em, user);
      if (command.active) {
        await tx.emit(EventTypes.identityUserReactivated, user.id, { user_id: user.id, reactivated_at: now.toISOString() });
      } else {
        await this.sessions.revokeAll(tx.em, user.id, 'deactivated');
        await tx.emit(EventTypes.identityUserDeactivated, user.id, {
          user_id: user.id,
          reason: user.deactivation_reason ?? '',
          deactivated_at: now.toISOString(),
        });
      }
      return toPrivateView(user);
    });
  }
}
