import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** An event written in the same transaction as the change it describes. */
@Entity({ name: 'outbox' })
@Index('outbox_unpublished', ['seq'], { where: 'published_at IS NULL' })
export class OutboxRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'bigint', generated: 'increment', insert: false, update: false })
  seq: string;

  @Column('text')
  type: string;

  @Column('text')
  subject: string;

  @Column('jsonb')
  envelope: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @Column({ type: 'timestamptz', nullable: true })
  published_at: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  last_error: string | null;
}

/** Event ids a durable consumer has already applied (same transaction as the effect). */
@Entity({ name: 'inbox' })
export class InboxRecord {
  @PrimaryColumn('text')
  consumer: string;

  @PrimaryColumn('uuid')
  event_id: string;

  @Column('text')
  type: string;

  @CreateDateColumn({ type: 'timestamptz' })
  handled_at: Date;
}
