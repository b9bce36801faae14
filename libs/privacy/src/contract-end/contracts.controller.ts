import { AuthUser, CurrentUser, Roles } from '@app/identity';
import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Res } from '@nestjs/common';
import type { Response } from 'express';
import { OrganisationExportService } from '../organisation-export.service';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { ContractsService } from './contracts.service';

class ContractDto {
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'the last day of the contract (YYYY-MM-DD), today or later; null: no end',
  })
  @IsOptional()
  @IsString()
  contractEndsOn!: string | null;
}

@ApiTags('privacy')
@ApiBearerAuth()
@Controller('admin')
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly exports: OrganisationExportService,
  ) {}

  @Roles('admin')
  @Get('organizations/:id/export.zip')
  @ApiOperation({
    summary:
      "The organisation's data as a ZIP (organisation.json: users, tickets with the public conversation and targets; their public files), e.g. before its deletion (audited)",
  })
  async exportZip(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() me: AuthUser,
    @Res() res: Response,
  ) {
    const zip = await this.exports.zip(me, id);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="organisation-${id}.zip"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.end(Buffer.from(zip));
  }

  @Roles('admin', 'manager', 'customer_admin')
  @Get('organizations/:id/contract')
  @ApiOperation({
    summary:
      'Contract end of an organisation: the date, when deletion starts, the warnings sent, the deletion and its progress',
  })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() me: AuthUser) {
    return this.contracts.get(me, id);
  }

  @Roles('admin')
  @Put('organizations/:id/contract')
  @ApiOperation({
    summary: 'Sets the contract end date (admins); deletion of the data starts 30 days after it',
  })
  set(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ContractDto,
    @CurrentUser() me: AuthUser,
  ) {
    return this.contracts.set(me, id, dto.contractEndsOn ?? null);
  }

  @Roles('admin')
  @Get('deletions')
  @ApiOperation({
    summary:
      "Deletions of ended organisations' data: progress while running, then the certificate (counts per kind, times)",
  })
  list() {
    return this.contracts.deletions();
  }
}
