import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CITIES, MAX_LOCATIONS, type City } from '../cities';
import { PageQuery } from '../pagination';
import { IsItemGroups, toItemGroups } from './item-groups';
import {
  canonicalCity,
  CATEGORY_SLUG_PATTERN,
  DESCRIPTION_MAX,
  DURATION_DAYS_MAX,
  DURATION_DAYS_MIN,
  EXCHANGE_TYPES,
  ITEM_NAME_MAX,
  ITEM_SORTS,
  ITEM_STATUSES,
  ITEM_TYPES,
  MAX_ITEMS_PER_REQUEST,
  SEARCH_QUERY_MAX,
  VALUE_TENGE_MAX,
  type ExchangeType,
  type ItemSort,
  type ItemStatus,
  type ItemType,
} from './listing-rules';
import { lower, trim, upper } from '../transforms';

const city = ({ value }: { value: unknown }) => canonicalCity(value);
const cities = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map(canonicalCity) : value);

const NAME_MESSAGE = `item_name must be 1–${ITEM_NAME_MAX} characters (after trimming)`;
const VALUE_MESSAGE = 'value_tenge must be a positive integer (tenge)';
const DURATION_MESSAGE = `duration_days must be an integer from ${DURATION_DAYS_MIN} to ${DURATION_DAYS_MAX}`;

/** The fields of one want or offer as clients send them. Cross-field rules live in the listings service. */
export class ItemFields {
  @ApiProperty({ example: 'Учебник по Python', maxLength: ITEM_NAME_MAX })
  @Transform(trim) @IsString({ message: NAME_MESSAGE }) @MinLength(1, { message: NAME_MESSAGE }) @MaxLength(ITEM_NAME_MAX, { message: NAME_MESSAGE })
  item_name: string;

  @ApiProperty({ example: 15000, minimum: 1 })
  @IsInt({ message: VALUE_MESSAGE }) @Min(1, { message: VALUE_MESSAGE }) @Max(VALUE_TENGE_MAX, { message: `value_tenge must be at most ${VALUE_TENGE_MAX}` })
  value_tenge: number;

  @ApiPropertyOptional({ example: 3, minimum: DURATION_DAYS_MIN, maximum: DURATION_DAYS_MAX, description: 'Required for TEMPORARY, absent for PERMANENT' })
  @IsOptional() @IsInt({ message: DURATION_MESSAGE }) @Min(DURATION_DAYS_MIN, { message: DURATION_MESSAGE }) @Max(DURATION_DAYS_MAX, { message: DURATION_MESSAGE })
  duration_days?: number | null;

  @ApiPropertyOptional({ example: 'Ищу для изучения', maxLength: DESCRIPTION_MAX })
  @IsOptional() @IsString() @MaxLength(DESCRIPTION_MAX, { message: `description must be at most ${DESCRIPTION_MAX} characters` })
  description?: string | null;

  @ApiPropertyOptional({ example: 'bicycles', description: 'A category slug of the active catalogue (legacy slugs are mapped)' })
  @IsOptional() @Transform(lower) @Matches(CATEGORY_SLUG_PATTERN, { message: 'category must be a category slug' })
  category?: string | null;
}

/** An item inside `wants`/`offers`: its exchange type comes from the group key or from the item. */
export class ItemInput extends ItemFields {
  @ApiPropertyOptional({ enum: EXCHANGE_TYPES, description: 'Required when the group key is a category slug (unless the category has one exchange type)' })
  @IsOptional() @Transform(upper) @IsIn(EXCHANGE_TYPES, { message: 'exchange_type must be PERMANENT or TEMPORARY' })
  exchange_type?: ExchangeType;

  @ApiPropertyOptional({ enum: ITEM_TYPES, description: 'Optional; must agree with wants/offers' })
  @IsOptional() @Transform(upper) @IsIn(ITEM_TYPES, { message: 'item_type must be WANT or OFFER' })
  item_type?: ItemType;
}

const GROUPS_DOC = {
  description: 'Items keyed by exchange type (PERMANENT/TEMPORARY) or by category slug',
  example: { PERMANENT: [{ item_name: 'Книга по JS', value_tenge: 10000 }] },
  type: 'object' as const,
  additionalProperties: { type: 'array' as const, items: { type: 'object' as const } },
};

/** POST /api/listings/create-by-categories */
export class CreateByCategoriesRequest {
  @ApiPropertyOptional(GROUPS_DOC)
  @IsOptional() @Transform(({ value }) => toItemGroups(ItemInput, value)) @IsItemGroups(() => ItemInput)
  wants?: Record<string, ItemInput[]>;

  @ApiPropertyOptional(GROUPS_DOC)
  @IsOptional() @Transform(({ value }) => toItemGroups(ItemInput, value)) @IsItemGroups(() => ItemInput)
  offers?: Record<string, ItemInput[]>;

  @ApiPropertyOptional({ example: ['Алматы'], enum: CITIES, isArray: true, description: 'Where these items can be exchanged; the owner’s cities when omitted' })
  @IsOptional() @Transform(cities) @IsArray() @ArrayMaxSize(MAX_LOCATIONS, { message: `locations takes at most ${MAX_LOCATIONS} cities` })
  @ArrayUnique({ message: 'locations must not repeat a city' }) @IsIn(CITIES, { each: true, message: `each location must be one of: ${CITIES.join(', ')}` })
  locations?: City[];

  @ApiPropertyOptional({ description: 'Sent by the original client; identity stays the source of user data (a user_id must be the caller)' })
  @IsOptional() @IsObject()
  user_data?: Record<string, unknown>;
}

/** POST /api/listings/create: one want or offer. */
export class CreateItemRequest extends ItemFields {
  @ApiProperty({ enum: ITEM_TYPES })
  @Transform(upper) @IsIn(ITEM_TYPES, { message: 'item_type must be WANT or OFFER' })
  item_type: ItemType;

  @ApiProperty({ enum: EXCHANGE_TYPES })
  @Transform(upper) @IsIn(EXCHANGE_TYPES, { message: 'exchange_type must be PERMANENT or TEMPORARY' })
  exchange_type: ExchangeType;

  @ApiPropertyOptional({ description: 'Add to this listing of yours; your newest listing (or a new one) when omitted' })
  @IsOptional() @IsInt() @Min(1)
  listing_id?: number;
}

/** A change to an existing item inside PATCH /listings/{id}: its id and any of ItemFields but the category (only the given fields change). */
export class ItemChange extends PartialType(OmitType(ItemFields, ['category'] as const)) {
  @ApiProperty() @IsInt() @Min(1)
  id: number;
}

/** PATCH /listings/{listing_id}: add, change and remove items in one transaction. */
export class UpdateListingRequest {
  @ApiPropertyOptional(GROUPS_DOC)
  @IsOptional() @Transform(({ value }) => toItemGroups(ItemInput, value)) @IsItemGroups(() => ItemInput)
  wants?: Record<string, ItemInput[]>;

  @ApiPropertyOptional(GROUPS_DOC)
  @IsOptional() @Transform(({ value }) => toItemGroups(ItemInput, value)) @IsItemGroups(() => ItemInput)
  offers?: Record<string, ItemInput[]>;

  @ApiPropertyOptional({ example: [456, 789], description: 'Item ids of this listing to archive' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_ITEMS_PER_REQUEST, { message: `remove_items takes at most ${MAX_ITEMS_PER_REQUEST} ids` })
  @ArrayUnique({ message: 'remove_items must not repeat an id' }) @IsInt({ each: true, message: 'remove_items must be item ids' }) @Min(1, { each: true, message: 'remove_items must be item ids' })
  remove_items?: number[];

  @ApiPropertyOptional({ type: [ItemChange], description: 'Changes to items of this listing (an extension of the contract)' })
  @IsOptional() @IsArray() @ArrayMaxSize(MAX_ITEMS_PER_REQUEST, { message: `update_items takes at most ${MAX_ITEMS_PER_REQUEST} changes` })
  @Type(() => ItemChange) @ValidateNested({ each: true })
  update_items?: ItemChange[];
}

/** `user_id` in the query is accepted only when it is the caller. */
export class OwnerQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt({ message: 'user_id must be an integer' }) @Min(1)
  user_id?: number;
}

export class UpdateListingCommand extends UpdateListingRequest {
  @IsInt() @Min(1)
  listing_id: number;

  @IsOptional() @IsInt() @Min(1)
  user_id?: number;
}

/** Filters, sort and page of the item lists. */
export class ListItemsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ITEM_SORTS, default: 'created' })
  @IsOptional() @Transform(lower) @IsIn(ITEM_SORTS, { message: `sort must be one of: ${ITEM_SORTS.join(', ')}` })
  sort?: ItemSort;

  @ApiPropertyOptional({ enum: EXCHANGE_TYPES })
  @IsOptional() @Transform(upper) @IsIn(EXCHANGE_TYPES, { message: 'exchange_type must be PERMANENT or TEMPORARY' })
  exchange_type?: ExchangeType;

  @ApiPropertyOptional({ example: 'bicycles' })
  @IsOptional() @Transform(lower) @Matches(CATEGORY_SLUG_PATTERN, { message: 'category must be a category slug' })
  category?: string;

  @ApiPropertyOptional({ enum: CITIES })
  @IsOptional() @Transform(city) @IsIn(CITIES, { message: `city must be one of: ${CITIES.join(', ')}` })
  city?: City;

  @ApiPropertyOptional({ example: 'велосипед', description: 'Text search in name and description: any case, ё/е, word forms' })
  @IsOptional() @Transform(trim) @IsString() @MinLength(1, { message: 'q must not be empty' }) @MaxLength(SEARCH_QUERY_MAX, { message: `q must be at most ${SEARCH_QUERY_MAX} characters` })
  q?: string;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'min_value must be an integer' }) @Min(0, { message: 'min_value must not be negative' })
  min_value?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'max_value must be an integer' }) @Min(0, { message: 'max_value must not be negative' })
  max_value?: number;

  @ApiPropertyOptional()
  @IsOptional() @Type(() => Number) @IsInt({ message: 'user_id must be an integer' }) @Min(1, { message: 'user_id must be a user id' })
  user_id?: number;
}

/** GET /user/listings: the caller's own items in every state. */
export class MyItemsQuery extends ListItemsQuery {
  @ApiPropertyOptional({ enum: ITEM_STATUSES })
  @IsOptional() @Transform(lower) @IsIn(ITEM_STATUSES, { message: `status must be one of: ${ITEM_STATUSES.join(', ')}` })
  status?: ItemStatus;
}

/** RPC: a public list (wants, offers, one user's). */
export class ListItemsCommand extends ListItemsQuery {
  @IsOptional() @IsIn(ITEM_TYPES)
  item_type?: ItemType;
}
