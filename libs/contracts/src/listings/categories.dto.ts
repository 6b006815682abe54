import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { upper } from '../transforms';
import { EXCHANGE_TYPES, type ExchangeType } from './listing-rules';

export class CatalogueQuery {
  @ApiPropertyOptional({ example: 'v6.0', description: 'Catalogue version; the active one when omitted' })
  @IsOptional() @IsString() @MaxLength(32) @Matches(/^[A-Za-z0-9._-]+$/, { message: 'version must look like v6.0' })
  version?: string;
}

/** Path parameter: `permanent` or `temporary`, in any case. */
export class ExchangeTypeParam {
  @ApiProperty({ enum: ['permanent', 'temporary'] })
  @Transform(upper) @IsIn(EXCHANGE_TYPES, { message: 'exchange_type must be permanent or temporary' })
  exchange_type: ExchangeType;
}

/** RPC: categories (or their groups) of one exchange type. */
export class CategoriesByTypeRequest extends CatalogueQuery {
  @Transform(upper) @IsIn(EXCHANGE_TYPES, { message: 'exchange_type must be permanent or temporary' })
  exchange_type: ExchangeType;
}

export interface CategoryView {
  slug: string;
  name: string;
  group: string;
  emoji: string;
  sort_order: number;
  form_schema: unknown;
}

export interface CatalogueView {
  version: string;
  description: string;
  categories: { permanent: CategoryView[]; temporary: CategoryView[] };
}

export interface CategoryGroupsView {
  groups: string[];
}
