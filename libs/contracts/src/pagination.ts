import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export class PageQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  skip?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_LIMIT)
  limit?: number;

  @IsOptional() @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

export interface Page<T> {
  items: T[];
  total: number;
  skip: number;
  limit: number;
}
