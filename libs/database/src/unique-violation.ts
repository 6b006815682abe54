/** Postgres unique_violation, with the constraint that fired (for precise 409 messages). */
export function uniqueViolation(error: unknown): string | null {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })?.driverError ?? (error as { code?: string; constraint?: string });
  if (driverError && driverError.code === '23505') return driverError.constraint ?? 'unique';
  return null;
}
