import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { CITIES, MAX_LOCATIONS, MIN_LOCATIONS, type City } from '../cities';
import { lower, trim } from '../transforms';

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
export const PHONE_PATTERN = /^\+?[0-9]{10,15}$/;
export const TELEGRAM_PATTERN = /^@?[A-Za-z0-9_]{5,32}$/;

/** Profile fields a user may set about themselves. Nothing else is accepted. */
export class ProfileFields {
  @ApiPropertyOptional({ example: 'Test User', maxLength: 100 })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(100)
  full_name?: string;

  @ApiPropertyOptional({ example: '@test_user_tg' })
  @IsOptional() @Transform(trim) @IsString() @Matches(TELEGRAM_PATTERN, { message: 'telegram_contact must look like @name (5–32 letters, digits or _)' })
  telegram_contact?: string;

  @ApiPropertyOptional({ example: 'Алматы', enum: CITIES })
  @IsOptional() @Transform(trim) @IsIn(CITIES, { message: `city must be one of: ${CITIES.join(', ')}` })
  city?: City;

  @ApiPropertyOptional({ example: 'Test bio', maxLength: 500 })
  @IsOptional() @IsString() @MaxLength(500)
  bio?: string;
}

/** POST /api/users/ (staff only): an account without a password, e.g. for the Telegram bot. */
export class CreateUserRequest extends ProfileFields {
  @ApiProperty({ example: 'test_user' })
  @Transform(trim) @IsString() @Matches(USERNAME_PATTERN, { message: 'username must be 3–32 letters, digits, _ . or -' })
  username: string;

  @ApiProperty({ example: 'test@example.com' })
  @Transform(lower) @IsEmail({}, { message: 'email must be a valid email address' }) @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ example: '+77001234567' })
  @IsOptional() @Transform(trim) @Matches(PHONE_PATTERN, { message: 'phone must be 10–15 digits, optionally starting with +' })
  phone?: string;
}

export class UpdateProfileRequest extends ProfileFields {}

export class UpdateLocationsRequest {
  @ApiProperty({ example: ['Алматы', 'Шымкент'], enum: CITIES, isArray: true })
  @IsArray() @ArrayMinSize(MIN_LOCATIONS, { message: `locations needs at least ${MIN_LOCATIONS} city` })
  @ArrayMaxSize(MAX_LOCATIONS, { message: `locations takes at most ${MAX_LOCATIONS} cities` })
  @ArrayUnique({ message: 'locations must not repeat a city' })
  @IsIn(CITIES, { each: true, message: `each location must be one of: ${CITIES.join(', ')}` })
  locations: City[];
}

/** RPC payloads (the gateway adds the target id from the path). */
export class UserIdRequest {
  @IsInt() @Min(1)
  user_id: number;
}

export class UsernameRequest {
  @IsString() @MaxLength(64)
  username: string;
}

export class UpdateLocationsCommand extends UpdateLocationsRequest {
  @IsInt() @Min(1)
  user_id: number;
}

export class SetActiveCommand {
  @IsInt() @Min(1)
  user_id: number;

  @IsBoolean()
  active: boolean;

  @IsOptional() @IsString() @MinLength(1) @MaxLength(500)
  reason?: string;
}
