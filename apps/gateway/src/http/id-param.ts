import type { PipeTransform } from '@nestjs/common';
import { DomainError } from '@app/contracts';

const MAX_ID = 2_147_483_647; // Postgres int

/** Path ids (`user_id`, `listing_id`, …): a positive integer, else 400 naming the parameter. */
export function idParam(name: string): PipeTransform<string, number> {
  return {
    transform(value: string): number {
      const id = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
      if (!(id >= 1 && id <= MAX_ID)) throw DomainError.validation(`${name} must be an integer of at least 1`, [{ field: name, message: 'must be an integer of at least 1' }]);
      return id;
    },
  };
}
