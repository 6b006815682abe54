import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A login on one device: the family every rotated refresh token belongs to. */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('int') user_id: number;
  @CreateDateColumn({ type: 'timestamptz' }) created_at: Date;
  @Column({ type: 'timestamptz', nullable: true }) last_used_at: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) revoked_at: Date | null;
  @Column({ type: 'text', nullable: true }) revoked_reason: string | null;
  @Column({ type: 'text', nullable: true }) user_agent: string | null;
  @Column({ type: 'text', nullable: true }) ip: string | null;
}

/** One refresh token; only its SHA-256 is stored. `used_at` set = rotated away. */
@Entity({ name: 'refresh_tokens' })
export class RefreshTokenEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column('uuid') session_id: string;
  @Column('text') token_hash: string;
  @CreateDateColumn({ type: 'timestamptz' }) created_at: Date;
  @Column({ type: 'timestamptz' }) expires_at: Date;
  @Column({ type: 'timestamptz', nullable: true }) used_at: Date | null;
}
