import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export type OwnerState = 'active' | 'deactivated' | 'deleted';

/** The projection of identity's users that listings keeps (cities, whether they may list). */
@Injectable()
export class OwnersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async upsert(em: EntityManager, userId: number, fields: { locations?: string[]; state?: OwnerState }): Promise<void> {
    await em.query(
      `INSERT INTO owners (user_id, locations, state) VALUES ($1, coalesce($2::text[], '{}'), coalesce($3, 'active'))
       ON CONFLICT (user_id) DO UPDATE SET locations = coalesce($2::text[], owners.locations), state = coalesce($3, owners.state), updated_at = now()`,
      [userId, fields.locations ?? null, fields.state ?? null],
    );
  }

  async state(userId: number): Promise<OwnerState | null> {
    const rows: { state: OwnerState }[] = await this.dataSource.query(`SELECT state FROM owners WHERE user_id = $1`, [userId]);
    return rows[0]?.state ?? null;
  }
}
