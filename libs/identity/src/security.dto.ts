import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { ROLES, type Role } from './auth-user';

export class SecondFactorDto {
  @ApiProperty({ description: 'The challenge that POST /api/auth/login returned' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  challenge: string;

  @ApiProperty({
    description: 'The six digits of the authenticator app, or a recovery code',
    example: '123456',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  code: string;
}

export class CodeDto {
  @ApiProperty({ description: 'The six digits the authenticator app shows now', example: '123456' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  code: string;
}

export class DisableTwoFactorDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1024) password: string;
  @ApiProperty({ description: 'A current code or a recovery code', example: '123456' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  code: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1024) currentPassword: string;
  @ApiProperty({
    description:
      '12 to 128 characters, not one of the most common passwords; no other rules. Other sessions end.',
  })
  @IsString()
  @MaxLength(1024)
  newPassword: string;
}

export class RequiredRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true, description: 'Roles whose users must have 2FA' })
  @IsArray()
  @ArrayMaxSize(ROLES.length)
  @IsIn(ROLES as unknown as string[], {
    each: true,
    message: `each of roles must be one of ${ROLES.join(', ')}`,
  })
  roles: Role[];
}

export class OrganizationSecurityDto {
  @ApiPropertyOptional({ description: 'Every user of the organisation must have 2FA' })
  @IsOptional()
  @IsBoolean()
  requireTwoFactor?: boolean;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      'Idle time-out of its users’ sessions in minutes, if stricter than the role’s; null: the role’s',
  })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsInt()
  @Min(1)
  @Max(100_000)
  sessionIdleMinutes?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Absolute time-out in hours, if stricter than the role’s; null: the role’s',
  })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsInt()
  @Min(1)
  @Max(100_000)
  sessionMaxHours?: number | null;
}

export class TwoFactorOverviewQuery {
  @ApiPropertyOptional({ description: 'Admins: one organisation only' })
  @IsOptional()
  @IsUUID()
  organizationId?: string;
}
