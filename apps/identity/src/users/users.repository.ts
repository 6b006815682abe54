import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { UserEntity } from './user.entity';

/** Queries on users; deleted accounts are invisible to every read here. */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(em?: EntityManager) {
    return (em ?? this.dataSource.manager).getRepository(UserEntity);
  }

  findById(id: number, em?: EntityManager): Promise<UserEntity | null> {
    return this.repo(em).findOne({ where: { id, deleted_at: IsNull() } });
  }

  lockById(em: EntityManager, id: number): Promise<UserEntity | null> {
    return this.repo(em).findOne({ where: { id, deleted_at: IsNull() }, lock: { mode: 'pessimistic_write' } });
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.repo()
      .createQueryBuilder('u')
      .where('lower(u.username) = lower(:username)', { username })
      .andWhere('u.deleted_at IS NULL')
      .getOne();
  }

  /** Login accepts a username or an email in one field. */
  findByLogin(identifier: string): Promise<UserEntity | null> {
    return this.repo()
      .createQueryBuilder('u')
      .where('(lower(u.username) = lower(:identifier) OR lower(u.email) = lower(:identifier))', { identifier })
      .andWhere('u.deleted_at IS NULL')
      .orderBy('u.id')
      .getOne();
  }

  async usernameTaken(username: string, em?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (em ?? this.dataSource.manager).query(`SELECT 1 FROM users WHERE lower(username) = lower($1)`, [username]);
    return rows.length > 0;
  }

  insert(em: EntityManager, user: Partial<UserEntity>): Promise<UserEntity> {
    return this.repo(em).save(this.repo(em).create(user));
  }

  save(em: EntityManager, user: UserEntity): Promise<UserEntity> {
    return this.repo(em).save(user);
  }

  async touchLogin(id: number): Promise<void> {
    await this.dataSource.query(`UPDATE users SET last_login_at = now(), last_active_at = now() WHERE id = $1`, [id]);
  }

  /** Bumps last_active_at at most once a minute per user (cheap on busy /auth/me). */
  async touchActive(id: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE users SET last_active_at = now() WHERE id = $1 AND (last_active_at IS NULL OR last_active_at < now() - interval '1 minute')`,
      [id],
    );
  }

  findAdmin(email: string): Promise<UserEntity | null> {
    return this.repo()
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email })
      .andWhere('u.deleted_at IS NULL')
      .getOne();
  }
}
