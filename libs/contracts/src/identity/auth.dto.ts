import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PHONE_PATTERN, ProfileFields, USERNAME_PATTERN } from './users.dto';
import { lower, trim } from '../transforms';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

export class RegisterRequest extends ProfileFields {
  @ApiProperty({ example: 'newuser@example.com' })
  @Transform(lower) @IsEmail({}, { message: 'email must be a valid email address' }) @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'StrongPassword123!', minLength: MIN_PASSWORD_LENGTH })
  @IsString() @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;

  @ApiPropertyOptional({ example: 'newuser_freemarket', description: 'Derived from the email when omitted' })
  @IsOptional() @Transform(trim) @Matches(USERNAME_PATTERN, { message: 'username must be 3–32 letters, digits, _ . or -' })
  username?: string;

  @ApiPropertyOptional({ example: '+77001234567' })
  @IsOptional() @Transform(trim) @Matches(PHONE_PATTERN, { message: 'phone must be 10–15 digits, optionally starting with +' })
  phone?: string;
}

/** JSON `{username|email, password}` or the web client's form `email|identifier` + `password`. */
export class LoginRequest {
  @ApiPropertyOptional({ example: 'test_user' })
  @ValidateIf((o: LoginRequest) => !o.email && !o.identifier)
  @Transform(trim) @IsString({ message: 'one of username, email or identifier is required' }) @MinLength(1) @MaxLength(254)
  username?: string;

  @ApiPropertyOptional({ example: 'test@example.com' })
  @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ description: 'Username or email (form login of the web client)' })
  @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(254)
  identifier?: string;

  @ApiProperty({ example: 'secure_password_123' })
  @IsString() @MinLength(1, { message: 'password is required' }) @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;
}

export class ChangePasswordRequest {
  @ApiProperty()
  @IsString() @MinLength(1, { message: 'old_password is required' }) @MaxLength(MAX_PASSWORD_LENGTH)
  old_password: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH })
  @IsString() @MinLength(MIN_PASSWORD_LENGTH, { message: `new_password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(MAX_PASSWORD_LENGTH)
  new_password: string;
}

/** RPC: the opaque refresh token read from the cookie. */
export class RefreshCommand {
  @IsString() @MinLength(16) @MaxLength(512)
  refresh_token: string;
}

export class LogoutCommand {
  @IsOptional() @IsString() @MaxLength(512)
  refresh_token?: string;
}
