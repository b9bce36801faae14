import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ROLES, type Role } from './auth-user';

export class LoginDto {
  @ApiProperty({ example: 'admin@helpdesk.local' })
  @IsString()
  @MaxLength(320)
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password: string;
}

export class CreateUserDto {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({
    description:
      '8 to 128 characters, not a common password; under 12 the user must change it at the next sign-in. Users without one cannot sign in (e.g. filed by e-mail).',
  })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password?: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES as unknown as string[]) role: Role;
  @ApiPropertyOptional() @IsOptional() @IsUUID() organizationId?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  supportLevel?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() securityClearance?: boolean;
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(320) email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({
    description:
      'As for a new user; the user’s sessions end, and under 12 characters they must change it at sign-in. 2FA stays on.',
  })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(3) supportLevel?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() securityClearance?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

export class CreateOrganizationDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty() @IsUUID() policyId: string;
  @ApiPropertyOptional({ type: [String], example: ['example.com'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(DOMAIN, { each: true, message: 'each of emailDomains must be a domain name' })
  emailDomains?: string[];
  @ApiPropertyOptional({
    enum: [1, 2, 3],
    description: 'Severity of an e-mail whose subject has no tag; default 3',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  defaultSeverity?: number;
}

export class UpdateOrganizationDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() policyId?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(DOMAIN, { each: true, message: 'each of emailDomains must be a domain name' })
  emailDomains?: string[];
  @ApiPropertyOptional() @IsOptional() @IsUUID() principalUserId?: string;
  @ApiPropertyOptional({
    enum: [1, 2, 3],
    description: 'Severity of an e-mail whose subject has no tag',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  defaultSeverity?: number;
}

export class UserListQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() organizationId?: string;
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES as unknown as string[])
  role?: Role;
}
