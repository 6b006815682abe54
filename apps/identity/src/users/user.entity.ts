import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { City, Role } from '@app/contracts';

const numeric = { to: (v: number) => v, from: (v: string | null) => (v === null ? 0 : Number(v)) };

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn() id: number;
  @Column('text') username: string;
  @Column({ type: 'text', nullable: true }) email: string | null;
  @Column({ type: 'text', nullable: true }) phone: string | null;
  @Column({ type: 'text', nullable: true }) password_hash: string | null;
  @Column({ type: 'text', default: 'user' }) role: Role;
  @Column({ type: 'text', nullable: true }) full_name: string | null;
  @Column({ type: 'text', nullable: true }) telegram_contact: string | null;
  @Column({ type: 'text', nullable: true }) city: string | null;
  @Column({ type: 'text', nullable: true }) bio: string | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) locations: City[];
  @Column({ type: 'numeric', precision: 5, scale: 2, default: 0, transformer: numeric }) trust_score: number;
  @Column({ type: 'int', default: 0 }) exchange_count: number;
  @Column({ type: 'numeric', precision: 3, scale: 2, default: 0, transformer: numeric }) rating_avg: number;
  @Column({ type: 'boolean', default: true }) is_active: boolean;
  @Column({ type: 'boolean', default: false }) is_verified: boolean;
  @Column({ type: 'boolean', default: false }) email_verified: boolean;
  @Column({ type: 'boolean', default: false }) phone_verified: boolean;
  @Column({ type: 'timestamptz', nullable: true }) deactivated_at: Date | null;
  @Column({ type: 'text', nullable: true }) deactivation_reason: string | null;
  @Column({ type: 'timestamptz', nullable: true }) deleted_at: Date | null;
  @Column({ type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } }) telegram_id: number | null;
  @Column({ type: 'text', nullable: true }) telegram_username: string | null;
  @Column({ type: 'text', nullable: true }) telegram_first_name: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) created_at: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updated_at: Date;
  @Column({ type: 'timestamptz', nullable: true }) last_login_at: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) last_active_at: Date | null;
}
